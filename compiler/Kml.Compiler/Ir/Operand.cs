using Kml.Tal.Types;

namespace Kml.Compiler.Ir;

/// <summary>A static data object the code refers to by address: a string literal or the statics object.</summary>
public sealed class DataRef
{
    internal DataRef(string name, bool readOnly, PtrType pointer)
    {
        Name = name;
        ReadOnly = readOnly;
        Pointer = pointer;
    }

    /// <summary>Its symbol name.</summary>
    public string Name { get; }

    /// <summary>Whether it lives in .rodata.</summary>
    public bool ReadOnly { get; }

    /// <summary>The type of its address.</summary>
    public PtrType Pointer { get; }

    /// <summary>Its address, once the data is laid out.</summary>
    public uint Address { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => "@" + Name;
}

/// <summary>What an operand is.</summary>
public enum OperandKind : byte
{
    /// <summary>A virtual register.</summary>
    Reg,
    /// <summary>A 32-bit constant.</summary>
    Imm,
    /// <summary>The address of a static object.</summary>
    Data,
}

/// <summary>An instruction operand: a virtual register, a constant or the address of a static object.</summary>
public readonly struct Opnd : IEquatable<Opnd>
{
    private Opnd(OperandKind kind, VReg? reg, int imm, DataRef? data)
    {
        Kind = kind;
        Reg = reg;
        Imm = imm;
        Data = data;
    }

    /// <summary>What it is.</summary>
    public OperandKind Kind { get; }

    /// <summary>The register, for <see cref="OperandKind.Reg"/>.</summary>
    public VReg? Reg { get; }

    /// <summary>The constant, for <see cref="OperandKind.Imm"/>.</summary>
    public int Imm { get; }

    /// <summary>The object, for <see cref="OperandKind.Data"/>.</summary>
    public DataRef? Data { get; }

    /// <summary>Whether it is a register.</summary>
    public bool IsReg => Kind == OperandKind.Reg;

    /// <summary>Whether it is a constant.</summary>
    public bool IsImm => Kind == OperandKind.Imm;

    /// <summary>A register operand.</summary>
    public static implicit operator Opnd(VReg r) => new(OperandKind.Reg, r, 0, null);

    /// <summary>A constant.</summary>
    public static Opnd Const(int value) => new(OperandKind.Imm, null, value, null);

    /// <summary>A static object's address.</summary>
    public static Opnd Address(DataRef d) => new(OperandKind.Data, null, 0, d);

    /// <summary>The TAL type of the operand's value.</summary>
    public ValType Type => Kind switch
    {
        OperandKind.Reg => Reg!.Type,
        OperandKind.Data => Data!.Pointer,
        _ => Imm == 0 ? NullType.Instance : IntType.Instance,
    };

    /// <inheritdoc/>
    public bool Equals(Opnd other) => Kind == other.Kind && ReferenceEquals(Reg, other.Reg) && Imm == other.Imm && ReferenceEquals(Data, other.Data);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Opnd o && Equals(o);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Reg, Imm, Data);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        OperandKind.Reg => Reg!.ToString(),
        OperandKind.Data => Data!.ToString(),
        _ => Imm.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
