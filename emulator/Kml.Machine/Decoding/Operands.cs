using System.Runtime.CompilerServices;
using Iced.Intel;

namespace Kml.Machine.Decoding;

/// <summary>Operand extraction from Iced instructions into <see cref="Op"/> fields.</summary>
internal static class Operands
{
    public const byte NoReg = 8;

    /// <summary>Register number of a general register in its own size's numbering (AL..BH = 0..7, AX..DI, EAX..EDI).</summary>
    public static byte Gpr(Register r)
    {
        if (r >= Register.EAX && r <= Register.EDI) return (byte)(r - Register.EAX);
        if (r >= Register.AX && r <= Register.DI) return (byte)(r - Register.AX);
        if (r >= Register.AL && r <= Register.BH) return (byte)(r - Register.AL);
        throw new NotSupportedException($"register {r}");
    }

    public static bool IsGpr(Register r) => (r >= Register.EAX && r <= Register.EDI) || (r >= Register.AX && r <= Register.DI) || (r >= Register.AL && r <= Register.BH);

    public static int RegSize(Register r)
    {
        if (r >= Register.EAX && r <= Register.EDI) return 4;
        if (r >= Register.AX && r <= Register.DI) return 2;
        if (r >= Register.AL && r <= Register.BH) return 1;
        return 0;
    }

    public static byte SegIndex(Register r) => r switch
    {
        Register.ES => 0, Register.CS => 1, Register.SS => 2, Register.DS => 3, Register.FS => 4, Register.GS => 5,
        _ => throw new NotSupportedException($"segment register {r}"),
    };

    /// <summary>Fills the memory-operand fields. False for 16-bit addressing (not implemented).</summary>
    public static bool Mem(ref Op op, in Instruction ins)
    {
        var b = ins.MemoryBase;
        var x = ins.MemoryIndex;
        if (b != Register.None && !(b >= Register.EAX && b <= Register.EDI)) return false;
        if (x != Register.None && !(x >= Register.EAX && x <= Register.EDI)) return false;
        op.Base = b == Register.None ? NoReg : (byte)(b - Register.EAX);
        op.IndexReg = x == Register.None ? NoReg : (byte)(x - Register.EAX);
        op.Scale = (byte)(ins.MemoryIndexScale switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 });
        op.Disp = ins.MemoryDisplacement32;
        op.Seg = SegIndex(ins.MemorySegment);
        return true;
    }

    /// <summary>Operand size in bytes of operand <paramref name="n"/> (register or memory).</summary>
    public static int Size(in Instruction ins, int n)
    {
        var k = ins.GetOpKind(n);
        if (k == OpKind.Register) return RegSize(ins.GetOpRegister(n));
        if (k == OpKind.Memory) return ins.MemorySize.GetSize();
        return 0;
    }

    public static uint Imm(in Instruction ins, int n) => (uint)ins.GetImmediate(n);

    public static bool IsImm(OpKind k) => k is OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32 or OpKind.Immediate8to16 or OpKind.Immediate8to32;

    /// <summary>The addressing mode of an op's memory operand as a type parameter (see <see cref="IAddr"/>).</summary>
    public static bool IsBaseDisp(in Op op) => op.IndexReg == NoReg;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe uint Ea(Cpu c, Op* op) => c.Reg(op->Base) + (c.Reg(op->IndexReg) << op->Scale) + op->Disp;
}

/// <summary>Effective-address computation specialized by addressing mode, so the common [reg+disp] form skips the index.</summary>
internal unsafe interface IAddr { static abstract uint Ea(Cpu c, Op* op); }

/// <summary>base + index &lt;&lt; scale + disp (any register may be the constant-zero slot).</summary>
internal unsafe struct AddrFull : IAddr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Ea(Cpu c, Op* op) => c.Reg(op->Base) + (c.Reg(op->IndexReg) << op->Scale) + op->Disp;
}

/// <summary>base + disp (no index register; base may be the zero slot for an absolute address).</summary>
internal unsafe struct AddrBaseDisp : IAddr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Ea(Cpu c, Op* op) => c.Reg(op->Base) + op->Disp;
}
