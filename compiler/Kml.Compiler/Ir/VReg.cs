using Kml.Tal.Types;

namespace Kml.Compiler.Ir;

/// <summary>
/// A virtual register: one 32-bit value with a TAL type (an integer or a pointer). Wider C# values are several
/// virtual registers (a long is a lo/hi pair, a struct one register per field leaf). A precolored register
/// (<see cref="Fixed"/> ≥ 0) lives in that machine register for its short life; the allocator places the rest.
/// </summary>
public sealed class VReg
{
    internal VReg(int id, ValType type, string name)
    {
        Id = id;
        Type = type;
        Name = name;
    }

    /// <summary>Its number within the function.</summary>
    public int Id { get; }

    /// <summary>The TAL type of every value it holds (pointers nullable unless every definition is non-null).</summary>
    public ValType Type { get; internal set; }

    /// <summary>A name for listings ("sum", "t12").</summary>
    public string Name { get; }

    /// <summary>The machine register it must live in (<see cref="Gpr"/>), or -1.</summary>
    public int Fixed { get; internal set; } = -1;

    /// <summary>The machine registers it may live in (bit r for <see cref="Gpr"/> r).</summary>
    public int Mask { get; internal set; } = RegisterMasks.Allocatable;

    /// <summary>Whether it is a pointer.</summary>
    public bool IsPointer => Type is PtrType;

    /// <inheritdoc/>
    public override string ToString() => Fixed >= 0 ? $"%{Name}<{Gpr.Name(Fixed)}>" : "%" + Name;
}

/// <summary>Sets of machine registers as bit masks over <see cref="Gpr"/> numbers.</summary>
public static class RegisterMasks
{
    /// <summary>Every register but esp.</summary>
    public const int Allocatable = 0xFF & ~(1 << Gpr.Esp);

    /// <summary>Registers with an 8-bit low part (al, cl, dl, bl): setcc and byte stores need one.</summary>
    public const int Byte = (1 << Gpr.Eax) | (1 << Gpr.Ecx) | (1 << Gpr.Edx) | (1 << Gpr.Ebx);

    /// <summary>Registers a call may clobber (the calling convention's scratch registers).</summary>
    public const int CallerSaved = (1 << Gpr.Eax) | (1 << Gpr.Ecx) | (1 << Gpr.Edx);

    /// <summary>Registers a function must hand back unchanged ('ebx 'esi 'edi 'ebp).</summary>
    public const int CalleeSaved = (1 << Gpr.Ebx) | (1 << Gpr.Esi) | (1 << Gpr.Edi) | (1 << Gpr.Ebp);

    /// <summary>One register.</summary>
    public static int Of(int reg) => 1 << reg;
}
