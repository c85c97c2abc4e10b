using Iced.Intel;
using Kml.Tal.Types;

namespace Kml.Tal.Checker;

// The typing rule of each allowed instruction, grouped by family. Each rule reads its operands (which
// checks them), then writes its results; any broken rule throws Reject.
public sealed partial class TalChecker
{
    private void Step()
    {
        var m = _ins.Mnemonic;
        var preserves = AllowList.PreservesFlags(m);
        if (!preserves) S.Flags = null;
        switch (m)
        {
            case Mnemonic.Nop: break; // a hint: the operand is not accessed
            case Mnemonic.Mov: Mov(); break;
            case Mnemonic.Movzx or Mnemonic.Movsx: RejectEsp(); ReadInt(1); WriteReg(_ins.Op0Register, IntType.Instance); break;
            case Mnemonic.Lea: Lea(); break;
            case Mnemonic.Push: Push(); break;
            case Mnemonic.Pop: Pop(); break;
            case Mnemonic.Xchg: Xchg(); break;
            case Mnemonic.Add or Mnemonic.Sub when IsReg(0) && _ins.Op0Register == Register.ESP: AdjustStack(); break;
            case Mnemonic.Add or Mnemonic.Sub or Mnemonic.Adc or Mnemonic.Sbb or Mnemonic.And or Mnemonic.Or or Mnemonic.Xor: Binary(); break;
            case Mnemonic.Cmp: Compare(); break;
            case Mnemonic.Test: TestFlags(); break;
            case Mnemonic.Inc or Mnemonic.Dec or Mnemonic.Neg or Mnemonic.Not or Mnemonic.Bswap: RejectEsp(); ReadInt(0); WriteInt(0); break;
            case Mnemonic.Shl or Mnemonic.Shr or Mnemonic.Sar or Mnemonic.Rol or Mnemonic.Ror or Mnemonic.Rcl or Mnemonic.Rcr: Shift(); break;
            case Mnemonic.Shld or Mnemonic.Shrd: RejectEsp(); ReadInt(0); ReadInt(1); ReadInt(2); WriteInt(0); break;
            case Mnemonic.Imul when _ins.OpCount == 3: MultiplyImmediate(); break;
            case Mnemonic.Imul when _ins.OpCount == 2: RejectEsp(); ReadInt(0); ReadInt(1); WriteInt(0); break;
            case Mnemonic.Imul or Mnemonic.Mul or Mnemonic.Div or Mnemonic.Idiv: WideArithmetic(); break;
            case Mnemonic.Cdq: RequireInt(Gpr.Eax); S.Set(Gpr.Edx, IntType.Instance); break;
            case Mnemonic.Cwd: RequireInt(Gpr.Eax); WriteReg(Register.DX, IntType.Instance); break;
            case Mnemonic.Cwde or Mnemonic.Cbw: RequireInt(Gpr.Eax); S.Set(Gpr.Eax, IntType.Instance); break;
            case Mnemonic.Bt or Mnemonic.Bts or Mnemonic.Btr or Mnemonic.Btc: BitTest(); break;
            case Mnemonic.Xadd: RejectEsp(); ReadInt(0); ReadInt(1); WriteInt(0); WriteInt(1); break;
            case Mnemonic.Cmpxchg: RejectEsp(); RequireInt(Gpr.Eax); ReadInt(0); ReadInt(1); WriteInt(0); S.Set(Gpr.Eax, IntType.Instance); break;
            case Mnemonic.Jmp: Jump(); break;
            case Mnemonic.Call: Call(); break;
            case Mnemonic.Ret: Return(); break;
            default:
                if (AllowList.IsJcc(m)) ConditionalJump();
                else if (AllowList.IsSetcc(m)) { RejectEsp(); WriteInt(0); }
                else if (AllowList.IsCmov(m)) ConditionalMove();
                else throw new Reject(Rules.Forbidden, m.ToString().ToLowerInvariant());
                break;
        }
    }

    private void RequireInt(int reg)
    {
        var t = S.Regs[reg];
        if (!t.IsInt) throw new Reject(t is JunkType ? Rules.Uninitialised : Rules.NotInteger, $"{Gpr.Name(reg)}: expected int, found {t}");
    }

    private void Mov()
    {
        RejectEsp();
        var size = OpSize(0);
        var value = ReadOperand(1);
        if (size < 4 && !value.IsInt) throw new Reject(Rules.NotInteger, $"expected int, found {value}");
        if (IsReg(0)) WriteReg(_ins.Op0Register, value);
        else Store(size, value);
    }

    /// <summary>lea computes integers only: an address computed from a pointer would be a forged interior pointer.</summary>
    private void Lea()
    {
        if (_ins.MemoryBase == Register.ESP || _ins.MemoryIndex == Register.ESP || _ins.Op0Register == Register.ESP)
            throw new Reject(Rules.EspUse, "expected push, pop, call, ret or add/sub esp, imm; found lea with esp");
        ValType result = IntType.Instance;
        RequireIntAddressPart(_ins.MemoryBase);
        RequireIntAddressPart(_ins.MemoryIndex);
        // lea t, [i*size] turns a proven index into a scaled one.
        if (_ins.MemoryBase == Register.None && _ins.MemoryIndex != Register.None && _ins.MemoryDisplacement32 == 0
            && S.Regs[Gp32(_ins.MemoryIndex)] is IndexType it && ElementSize(it.Array) == _ins.MemoryIndexScale)
            result = Refinements.ElemOffset(it.Array);
        WriteReg(_ins.Op0Register, result);
    }

    private void RequireIntAddressPart(Register r)
    {
        if (r == Register.None) return;
        var g = Gp32(r);
        var t = S.Regs[g];
        if (!t.IsInt) throw new Reject(t is JunkType ? Rules.Uninitialised : Rules.NotInteger, $"{Gpr.Name(g)}: expected int, found {t}");
    }

    private int ElementSize(int arrayReg) =>
        S.Regs[arrayReg] is PtrType { Target: ArrayHeap a } ? _ctx.Layouts.SizeOf(a.Element) : -1;

    private void Push()
    {
        if (_ins.StackPointerIncrement != -4) throw new Reject(Rules.BadOperand, "expected a 32-bit push");
        var value = IsImm(0) ? ImmediateType((uint)_ins.GetImmediate(0)) : ReadOperand(0); // memory is read at the old esp
        GrowStack(1);
        S.Push(Subtyping.Degrade(value));
        S.Unprobed = 0; // the push wrote [esp]
    }

    private void Pop()
    {
        if (_ins.StackPointerIncrement != 4 || !IsReg(0)) throw new Reject(Rules.BadOperand, "expected a 32-bit pop into a register");
        if (_ins.Op0Register == Register.ESP) throw new Reject(Rules.EspUse, "expected push, pop, call, ret or add/sub esp, imm; found pop esp");
        if (S.Depth == 0) throw new Reject(Rules.StackUnderflow, "expected a known slot at [esp], found the caller's stack");
        var v = S.Pop();
        S.Unprobed = 0;
        WriteReg(_ins.Op0Register, v);
    }

    private void GrowStack(int slots)
    {
        if (S.Depth + slots > TalLayout.MaxFrameSlots)
            throw new Reject(Rules.FrameTooLarge, $"expected at most {TalLayout.MaxFrameSlots} slots, found {S.Depth + slots}");
    }

    private void AdjustStack()
    {
        if (!IsImm(1)) throw new Reject(Rules.EspUse, "expected add/sub esp with an immediate, found a register or memory operand");
        var delta = (int)_ins.GetImmediate(1);
        if (_ins.Mnemonic == Mnemonic.Sub) delta = -delta;
        if (delta % 4 != 0) throw new Reject(Rules.StackAdjust, $"expected a multiple of 4, found {Math.Abs(delta)}");
        if (delta < 0)
        {
            var bytes = -(long)delta;
            if (S.Unprobed + bytes > TalLayout.MaxUnprobed)
                throw new Reject(Rules.StackProbe, $"expected at most {TalLayout.MaxUnprobed} unprobed bytes, found {S.Unprobed + bytes}");
            GrowStack((int)(bytes / 4));
            for (var i = 0; i < bytes / 4; i++) S.Push(JunkType.Instance);
            S.Unprobed += (int)bytes;
        }
        else
        {
            if (delta / 4 > S.Depth) throw new Reject(Rules.StackUnderflow, $"expected at most {4 * S.Depth} bytes, found {delta}");
            for (var i = 0; i < delta / 4; i++) S.Pop();
            S.Unprobed = Math.Max(0, S.Unprobed - delta);
        }
    }

    private void Xchg()
    {
        RejectEsp();
        if (!IsReg(0) || !IsReg(1)) throw new Reject(Rules.BadOperand, "expected xchg between registers");
        var (a, size) = Gp(_ins.Op0Register);
        var b = Gp(_ins.Op1Register).Reg;
        if (size < 4) { ReadInt(0); ReadInt(1); WriteInt(0); WriteInt(1); return; }
        S.Kill(a); S.Kill(b);
        var (ta, tb) = (S.Regs[a], S.Regs[b]);
        S.Regs[a] = tb; S.Regs[b] = ta;
    }

    private void Binary()
    {
        RejectEsp();
        // xor r,r and sub r,r give 0 whatever r held.
        if (_ins.Mnemonic is Mnemonic.Xor or Mnemonic.Sub && IsReg(0) && IsReg(1) && _ins.Op0Register == _ins.Op1Register && OpSize(0) == 4)
        {
            S.Set(Gp(_ins.Op0Register).Reg, NullType.Instance);
            return;
        }
        ReadInt(0); ReadInt(1);
        WriteInt(0);
    }

    /// <summary>cmp sets the flags fact; pointers may be compared with each other and with 0, nothing else.</summary>
    private void Compare()
    {
        RejectEsp();
        var a = ReadOperand(0);
        var b = IsImm(1) ? (_ins.GetImmediate(1) == 0 ? NullType.Instance : IntType.Instance) : ReadOperand(1);
        var pointers = (a is PtrType or NullType) && (b is PtrType or NullType) && OpSize(0) == 4;
        if (!pointers)
        {
            if (!a.IsInt) throw new Reject(Rules.NotInteger, $"{OperandName(0)}: expected int, found {a}");
            if (!b.IsInt) throw new Reject(Rules.NotInteger, $"{OperandName(1)}: expected int, found {b}");
        }
        if (OpSize(0) != 4) return;
        if (IsReg(0) && IsImm(1) && _ins.GetImmediate(1) == 0)
        {
            var r = Gp(_ins.Op0Register).Reg;
            S.Flags = new FlagsFact(-1, -1, -1, -1, r, 1 << r);
            return;
        }
        var (l, lLen, lDeps) = Side(0, a);
        var (rr, rLen, rDeps) = Side(1, b);
        if ((l >= 0 || lLen >= 0) && (rr >= 0 || rLen >= 0))
            S.Flags = new FlagsFact(l, lLen, rr, rLen, -1, lDeps | rDeps);
    }

    /// <summary>One side of a cmp: the register compared, and whether its value is a known array length.</summary>
    private (int Reg, int LenOf, int Deps) Side(int i, ValType t)
    {
        if (IsReg(i))
        {
            var r = Gp(_ins.GetOpRegister(i)).Reg;
            var lenOf = t is LenType l ? l.Array : -1;
            return (r, lenOf, (1 << r) | (lenOf >= 0 ? 1 << lenOf : 0));
        }
        if (IsMem(i) && t is LenType m) return (-1, m.Array, 1 << m.Array);
        return (-1, -1, 0);
    }

    private void TestFlags()
    {
        RejectEsp();
        if (IsReg(0) && IsReg(1) && _ins.Op0Register == _ins.Op1Register && OpSize(0) == 4)
        {
            var r = Gp(_ins.Op0Register).Reg;
            var t = ReadReg(_ins.Op0Register);
            if (!t.IsInt && t is not PtrType) throw new Reject(Rules.NotInteger, $"{Gpr.Name(r)}: expected int or pointer, found {t}");
            S.Flags = new FlagsFact(-1, -1, -1, -1, r, 1 << r);
            return;
        }
        ReadInt(0); ReadInt(1);
    }

    private void Shift()
    {
        RejectEsp();
        var t = ReadInt(0);
        if (!IsImm(1)) ReadInt(1);
        // shl i, k turns index(a) into eoff(a) when 2^k is a's element size.
        if (_ins.Mnemonic == Mnemonic.Shl && IsReg(0) && OpSize(0) == 4 && IsImm(1) && t is IndexType it
            && ElementSize(it.Array) == 1 << (int)(_ins.GetImmediate(1) & 31))
        {
            S.Set(Gp(_ins.Op0Register).Reg, Refinements.ElemOffset(it.Array));
            return;
        }
        WriteInt(0);
    }

    /// <summary>imul r, r/m, imm; with index(a) and imm equal to a's element size, the result is eoff(a).</summary>
    private void MultiplyImmediate()
    {
        RejectEsp();
        var src = ReadInt(1);
        if (OpSize(0) == 4 && src is IndexType it && (long)_ins.GetImmediate(2) == ElementSize(it.Array))
        {
            WriteReg(_ins.Op0Register, Refinements.ElemOffset(it.Array));
            return;
        }
        WriteInt(0);
    }

    /// <summary>One-operand mul/imul/div/idiv on edx:eax (#DE on a zero divisor is left to the CPU: the kernel ends the process).</summary>
    private void WideArithmetic()
    {
        RejectEsp();
        ReadInt(0);
        var size = OpSize(0);
        RequireInt(Gpr.Eax);
        if (size > 1 && _ins.Mnemonic is Mnemonic.Div or Mnemonic.Idiv) RequireInt(Gpr.Edx);
        switch (size)
        {
            case 1: WriteReg(Register.AX, IntType.Instance); break;
            case 2: WriteReg(Register.AX, IntType.Instance); WriteReg(Register.DX, IntType.Instance); break;
            default: S.Set(Gpr.Eax, IntType.Instance); S.Set(Gpr.Edx, IntType.Instance); break;
        }
    }

    /// <summary>bt* with a memory operand and a register bit offset reaches memory outside the operand, so only registers are allowed.</summary>
    private void BitTest()
    {
        RejectEsp();
        if (!IsReg(0)) throw new Reject(Rules.BadOperand, "expected a register as the bit base (bt on memory can address beyond the operand)");
        ReadInt(0);
        if (!IsImm(1)) ReadInt(1);
        if (_ins.Mnemonic != Mnemonic.Bt) WriteInt(0);
    }

    /// <summary>cmov: the destination ends up with either value, so both must have one type (or both be integers). A memory source is always read.</summary>
    private void ConditionalMove()
    {
        RejectEsp();
        var src = ReadOperand(1);
        var old = ReadReg(_ins.Op0Register);
        ValType result;
        if (old.Equals(src)) result = old;
        else if (old.IsInt && src.IsInt) result = IntType.Instance;
        else throw new Reject(Rules.CmovJoin, $"expected {old}, found {src}");
        WriteReg(_ins.Op0Register, result);
    }
}
