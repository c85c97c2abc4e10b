using Iced.Intel;
using Kml.Tal.Types;

namespace Kml.Tal.Checker;

// Registers, immediates and memory operands: where a value comes from and where it goes.
public sealed partial class TalChecker
{
    private MachineState S => _s!;

    /// <summary>A general-purpose register as (number, size in bytes); ah..bh are the high bytes of eax..ebx.</summary>
    private static (int Reg, int Size) Gp(Register r)
    {
        if (r >= Register.EAX && r <= Register.EDI) return (r - Register.EAX, 4);
        if (r >= Register.AX && r <= Register.DI) return (r - Register.AX, 2);
        if (r >= Register.AL && r <= Register.BL) return (r - Register.AL, 1);
        if (r >= Register.AH && r <= Register.BH) return (r - Register.AH, 1);
        throw new Reject(Rules.BadOperand, $"register {r.ToString().ToLowerInvariant()}");
    }

    private static int Gp32(Register r)
    {
        var (reg, size) = Gp(r);
        if (size != 4) throw new Reject(Rules.BadOperand, "16-bit addressing");
        return reg;
    }

    /// <summary>Reads a register operand. Sub-registers must hold integers.</summary>
    private ValType ReadReg(Register r)
    {
        var (g, size) = Gp(r);
        if (g == Gpr.Esp) throw new Reject(Rules.EspUse, "expected push, pop, call, ret or add/sub esp, imm; found esp as a value");
        var t = S.Regs[g];
        if (t is JunkType) throw new Reject(Rules.Uninitialised, $"{Gpr.Name(g)}: expected a value, found uninit");
        if (size < 4 && !t.IsInt) throw new Reject(Rules.NotInteger, $"{Gpr.Name(g)}: expected int, found {t}");
        return size < 4 ? IntType.Instance : t;
    }

    /// <summary>Writes a register operand. Writing part of a register keeps the rest, so the register must already be an integer.</summary>
    private void WriteReg(Register r, ValType t)
    {
        var (g, size) = Gp(r);
        if (g == Gpr.Esp) throw new Reject(Rules.EspUse, "expected push, pop, call, ret or add/sub esp, imm; found a write to esp");
        if (size < 4)
        {
            if (!S.Regs[g].IsInt) throw new Reject(Rules.PartialWrite, $"{Gpr.Name(g)}: expected int, found {S.Regs[g]}");
            S.Set(g, IntType.Instance);
        }
        else S.Set(g, t);
    }

    private bool IsReg(int i) => _ins.GetOpKind(i) == OpKind.Register;
    private bool IsMem(int i) => _ins.GetOpKind(i) == OpKind.Memory;
    private bool IsImm(int i) => _ins.GetOpKind(i) is OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32
        or OpKind.Immediate8to16 or OpKind.Immediate8to32 or OpKind.Immediate8_2nd;

    /// <summary>Operand size in bytes of operand i (register or memory).</summary>
    private int OpSize(int i) => IsReg(i) ? Gp(_ins.GetOpRegister(i)).Size : IsMem(i) ? _ins.MemorySize.GetSize() : 4;

    /// <summary>The type of an immediate stored as a full word: 0 is null, the address of a static object is a pointer to it, anything else an int.</summary>
    private ValType ImmediateType(uint value)
    {
        if (value == 0) return NullType.Instance;
        if (_ctx.StaticAt(value) is { } o && o.Object.Address == value) return o.Pointer;
        return IntType.Instance;
    }

    /// <summary>Reads operand i as a value of its size (32-bit immediates may be pointers to static data).</summary>
    private ValType ReadOperand(int i)
    {
        if (IsReg(i)) return ReadReg(_ins.GetOpRegister(i));
        if (IsMem(i)) return Load(OpSize(i));
        if (IsImm(i)) return OpSize(0) == 4 ? ImmediateType((uint)_ins.GetImmediate(i)) : IntType.Instance;
        throw new Reject(Rules.BadOperand, _ins.GetOpKind(i).ToString());
    }

    /// <summary>Reads operand i, which must be an integer.</summary>
    private ValType ReadInt(int i)
    {
        if (IsImm(i)) return IntType.Instance;
        var t = ReadOperand(i);
        if (!t.IsInt) throw new Reject(Rules.NotInteger, $"{OperandName(i)}: expected int, found {t}");
        return t;
    }

    private string OperandName(int i) => IsReg(i) ? Gp(_ins.GetOpRegister(i)).Reg is var g && OpSize(i) == 4 ? Gpr.Name(g) : _ins.GetOpRegister(i).ToString().ToLowerInvariant() : "memory";

    /// <summary>Writes an integer result to operand i (a register, or a mutable integer cell).</summary>
    private void WriteInt(int i)
    {
        if (IsReg(i)) WriteReg(_ins.GetOpRegister(i), IntType.Instance);
        else Store(OpSize(i), IntType.Instance);
    }

    private void RejectEsp()
    {
        for (var i = 0; i < _ins.OpCount; i++)
            if (IsReg(i) && _ins.GetOpRegister(i) is Register.ESP or Register.SP)
                throw new Reject(Rules.EspUse, "expected push, pop, call, ret or add/sub esp, imm; found esp as an operand");
    }
}
