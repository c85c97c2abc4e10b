using Iced.Intel;
using Kml.Compiler.Ir;
using Kml.Tal.Interface;
using Kml.Tal.Lines;
using Kml.Tal.Types;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Compiler.CodeGen;

// Instruction selection for each IR operation.
internal sealed partial class FunctionEmitter
{
    private void EmitArg(Inst inst)
    {
        var d = inst.Defs[0];
        var r = RegOf(d);
        if (r >= 0) _a.mov(R(r), Slot(_frame.Argument(inst.Offset)));
        // A spilled parameter stays in its argument slot.
    }

    private void EmitMov(Inst inst)
    {
        var d = inst.Defs[0];
        var src = LocOf(inst.Uses[0]);
        var r = RegOf(d);
        if (r >= 0) { Load(r, src); return; }
        var home = HomeOf(d);
        switch (src.Kind)
        {
            case LocKind.Reg: _a.mov(Slot(home), R(src.Value)); break;
            case LocKind.Imm: _a.mov(Slot(home), src.Value); break;
            default:
                if (src.Value == home) break;
                var s = Scratch();
                _a.mov(R(s), Slot(src.Value));
                _a.mov(Slot(home), R(s));
                break;
        }
    }

    private enum AluOp { Add, Sub, And, Or, Xor, Imul, Adc, Sbb, AddFlags, SubFlags }

    private static AluOp AluOf(Op op) => op switch
    {
        Op.Add => AluOp.Add, Op.Sub => AluOp.Sub, Op.And => AluOp.And, Op.Or => AluOp.Or, Op.Xor => AluOp.Xor, Op.Imul => AluOp.Imul,
        _ => throw new InvalidOperationException(op.ToString()),
    };

    private void Alu(Op op, int dst, Loc src) => Alu(AluOf(op), dst, src);

    private void Alu(AluOp op, int dst, Loc src)
    {
        var d = R(dst);
        switch (src.Kind)
        {
            case LocKind.Reg:
                var s = R(src.Value);
                switch (op)
                {
                    case AluOp.Add or AluOp.AddFlags: _a.add(d, s); break;
                    case AluOp.Sub or AluOp.SubFlags: _a.sub(d, s); break;
                    case AluOp.And: _a.and(d, s); break;
                    case AluOp.Or: _a.or(d, s); break;
                    case AluOp.Xor: _a.xor(d, s); break;
                    case AluOp.Imul: _a.imul(d, s); break;
                    case AluOp.Adc: _a.adc(d, s); break;
                    case AluOp.Sbb: _a.sbb(d, s); break;
                }
                break;
            case LocKind.Mem:
                var m = Slot(src.Value);
                switch (op)
                {
                    case AluOp.Add or AluOp.AddFlags: _a.add(d, m); break;
                    case AluOp.Sub or AluOp.SubFlags: _a.sub(d, m); break;
                    case AluOp.And: _a.and(d, m); break;
                    case AluOp.Or: _a.or(d, m); break;
                    case AluOp.Xor: _a.xor(d, m); break;
                    case AluOp.Imul: _a.imul(d, m); break;
                    case AluOp.Adc: _a.adc(d, m); break;
                    case AluOp.Sbb: _a.sbb(d, m); break;
                }
                break;
            default:
                var v = src.Value;
                switch (op)
                {
                    case AluOp.Add: if (v == 1) _a.inc(d); else if (v == -1) _a.dec(d); else _a.add(d, v); break;
                    case AluOp.Sub: if (v == 1) _a.dec(d); else if (v == -1) _a.inc(d); else _a.sub(d, v); break;
                    case AluOp.And: _a.and(d, v); break;
                    case AluOp.Or: _a.or(d, v); break;
                    case AluOp.Xor: _a.xor(d, v); break;
                    case AluOp.Imul: _a.imul(d, d, v); break;
                    case AluOp.AddFlags: _a.add(d, v); break;
                    case AluOp.SubFlags: _a.sub(d, v); break;
                    case AluOp.Adc: _a.adc(d, v); break;
                    case AluOp.Sbb: _a.sbb(d, v); break;
                }
                break;
        }
    }

    private static bool Commutative(Op op) => op is Op.Add or Op.And or Op.Or or Op.Xor or Op.Imul;

    private void EmitBinary(Inst inst)
    {
        var a = LocOf(inst.Uses[0]);
        var b = LocOf(inst.Uses[1]);
        var d = Def(inst.Defs[0]);
        if (inst.Op == Op.Imul && b.IsImm && !a.IsImm)
        {
            if (a.IsReg) _a.imul(R(d), R(a.Value), b.Value);
            else _a.imul(R(d), Slot(a.Value), b.Value);
            return;
        }
        if (a.IsReg && a.Value == d) { Alu(inst.Op, d, b); return; }
        if (b.IsReg && b.Value == d)
        {
            if (Commutative(inst.Op)) { Alu(inst.Op, d, a); return; }
            // d = a - d: negate, then add a.
            _a.neg(R(d));
            Alu(AluOp.Add, d, a);
            return;
        }
        Load(d, a);
        Alu(inst.Op, d, b);
    }

    private void EmitShift(Inst inst)
    {
        var a = LocOf(inst.Uses[0]);
        var count = inst.Uses[1];
        var d = Def(inst.Defs[0]);
        Load(d, a);
        if (count.IsImm)
        {
            var c = count.Imm & 31;
            if (c == 0) return;
            switch (inst.Op)
            {
                case Op.Shl: _a.shl(R(d), (byte)c); break;
                case Op.Shr: _a.shr(R(d), (byte)c); break;
                default: _a.sar(R(d), (byte)c); break;
            }
            return;
        }
        switch (inst.Op)
        {
            case Op.Shl: _a.shl(R(d), cl); break;
            case Op.Shr: _a.shr(R(d), cl); break;
            default: _a.sar(R(d), cl); break;
        }
    }

    private void EmitUnary(Inst inst)
    {
        var a = LocOf(inst.Uses[0]);
        var d = Def(inst.Defs[0]);
        Load(d, a);
        if (inst.Op == Op.Neg) _a.neg(R(d)); else _a.not(R(d));
    }

    private void EmitExtend(Inst inst)
    {
        var a = LocOf(inst.Uses[0]);
        var d = Def(inst.Defs[0]);
        switch (inst.Op)
        {
            case Op.SignExtend16:
                if (a.IsReg) _a.movsx(R(d), R16(a.Value));
                else if (a.IsMem) _a.movsx(R(d), __word_ptr[esp + a.Value]);
                else _a.mov(R(d), (short)a.Value);
                return;
            case Op.ZeroExtend16:
                if (a.IsReg) _a.movzx(R(d), R16(a.Value));
                else if (a.IsMem) _a.movzx(R(d), __word_ptr[esp + a.Value]);
                else _a.mov(R(d), (ushort)a.Value);
                return;
            case Op.SignExtend8:
                if (a.IsReg && a.Value <= Gpr.Ebx) _a.movsx(R(d), R8(a.Value));
                else if (a.IsMem) _a.movsx(R(d), __byte_ptr[esp + a.Value]);
                else if (a.IsImm) _a.mov(R(d), (sbyte)a.Value);
                else { Load(d, a); _a.shl(R(d), 24); _a.sar(R(d), 24); }
                return;
            default:
                if (a.IsReg && a.Value <= Gpr.Ebx) _a.movzx(R(d), R8(a.Value));
                else if (a.IsMem) _a.movzx(R(d), __byte_ptr[esp + a.Value]);
                else if (a.IsImm) _a.mov(R(d), (byte)a.Value);
                else { Load(d, a); _a.and(R(d), 0xFF); }
                return;
        }
    }

    /// <summary>cmp a, b (or test a, a for a comparison with 0), loading operands x86 cannot take as they are.</summary>
    private void Compare(Loc a, Loc b, bool zeroTest)
    {
        if (a.IsImm)
        {
            var s = Scratch();
            Load(s, a);
            a = Loc.Reg(s);
        }
        if (zeroTest && b.IsImm && b.Value == 0)
        {
            if (a.IsReg) _a.test(R(a.Value), R(a.Value));
            else _a.cmp(Slot(a.Value), 0);
            return;
        }
        if (b.Kind == LocKind.Length)
        {
            if (!a.IsReg) { var t = Scratch(); Load(t, a); a = Loc.Reg(t); }
            _a.cmp(R(a.Value), __dword_ptr[R(b.Value)]);
            return;
        }
        if (a.IsMem && b.IsMem)
        {
            var s = Scratch();
            _a.mov(R(s), Slot(a.Value));
            a = Loc.Reg(s);
        }
        if (a.IsReg)
        {
            if (b.IsReg) _a.cmp(R(a.Value), R(b.Value));
            else if (b.IsMem) _a.cmp(R(a.Value), Slot(b.Value));
            else _a.cmp(R(a.Value), b.Value);
        }
        else
        {
            if (b.IsReg) _a.cmp(Slot(a.Value), R(b.Value));
            else _a.cmp(Slot(a.Value), b.Value);
        }
    }

    private static bool ZeroTestable(Cond c) => c is Cond.Eq or Cond.Ne or Cond.Lt or Cond.Ge;

    private void SetCC(Cond c, int r)
    {
        var r8 = R8(r);
        switch (c)
        {
            case Cond.Eq: _a.sete(r8); break;
            case Cond.Ne: _a.setne(r8); break;
            case Cond.Lt: _a.setl(r8); break;
            case Cond.Le: _a.setle(r8); break;
            case Cond.Gt: _a.setg(r8); break;
            case Cond.Ge: _a.setge(r8); break;
            case Cond.Ltu: _a.setb(r8); break;
            case Cond.Leu: _a.setbe(r8); break;
            case Cond.Gtu: _a.seta(r8); break;
            default: _a.setae(r8); break;
        }
    }

    private void Jcc(Cond c, Label target)
    {
        switch (c)
        {
            case Cond.Eq: _a.je(target); break;
            case Cond.Ne: _a.jne(target); break;
            case Cond.Lt: _a.jl(target); break;
            case Cond.Le: _a.jle(target); break;
            case Cond.Gt: _a.jg(target); break;
            case Cond.Ge: _a.jge(target); break;
            case Cond.Ltu: _a.jb(target); break;
            case Cond.Leu: _a.jbe(target); break;
            case Cond.Gtu: _a.ja(target); break;
            default: _a.jae(target); break;
        }
    }

    private void CMov(Cond c, int dst, Loc src)
    {
        var d = R(dst);
        if (src.IsReg)
        {
            var s = R(src.Value);
            switch (c)
            {
                case Cond.Eq: _a.cmove(d, s); break;
                case Cond.Ne: _a.cmovne(d, s); break;
                case Cond.Lt: _a.cmovl(d, s); break;
                case Cond.Le: _a.cmovle(d, s); break;
                case Cond.Gt: _a.cmovg(d, s); break;
                case Cond.Ge: _a.cmovge(d, s); break;
                case Cond.Ltu: _a.cmovb(d, s); break;
                case Cond.Leu: _a.cmovbe(d, s); break;
                case Cond.Gtu: _a.cmova(d, s); break;
                default: _a.cmovae(d, s); break;
            }
            return;
        }
        var m = Slot(src.Value);
        switch (c)
        {
            case Cond.Eq: _a.cmove(d, m); break;
            case Cond.Ne: _a.cmovne(d, m); break;
            case Cond.Lt: _a.cmovl(d, m); break;
            case Cond.Le: _a.cmovle(d, m); break;
            case Cond.Gt: _a.cmovg(d, m); break;
            case Cond.Ge: _a.cmovge(d, m); break;
            case Cond.Ltu: _a.cmovb(d, m); break;
            case Cond.Leu: _a.cmovbe(d, m); break;
            case Cond.Gtu: _a.cmova(d, m); break;
            default: _a.cmovae(d, m); break;
        }
    }

    private void EmitSetCond(Inst inst)
    {
        var d = Def(inst.Defs[0]);
        var a = LocOf(inst.Uses[0]);
        var b = LocOf(inst.Uses[1]);
        _a.xor(R(d), R(d));
        Compare(a, b, ZeroTestable(inst.Cond) && inst.Cond is Cond.Eq or Cond.Ne);
        SetCC(inst.Cond, d);
    }

    private void EmitSetCond64(Inst inst)
    {
        var d = Def(inst.Defs[0]);
        var t = Def(inst.Defs[1]);
        var (alo, ahi, blo, bhi) = (LocOf(inst.Uses[0]), LocOf(inst.Uses[1]), LocOf(inst.Uses[2]), LocOf(inst.Uses[3]));
        var c = inst.Cond;
        if (c is Cond.Eq or Cond.Ne)
        {
            Load(t, ahi);
            Alu(AluOp.Xor, t, bhi);
            Load(d, alo);
            Alu(AluOp.Xor, d, blo);
            _a.or(R(d), R(t));
            SetCC(c, d);
            _a.movzx(R(d), R8(d));
            return;
        }
        if (c is Cond.Gt or Cond.Le or Cond.Gtu or Cond.Leu)
        {
            (alo, ahi, blo, bhi) = (blo, bhi, alo, ahi);
            c = IrFacts.Swap(c);
        }
        _a.xor(R(d), R(d));
        if (alo.IsImm) { var s = Scratch(); Load(s, alo); alo = Loc.Reg(s); }
        Compare(alo, blo, zeroTest: false);
        Load(t, ahi);
        Alu(AluOp.Sbb, t, bhi);
        SetCC(c, d);
    }

    private void EmitSelect(Inst inst)
    {
        var d = Def(inst.Defs[0]);
        var (a, b, yes, no) = (LocOf(inst.Uses[0]), LocOf(inst.Uses[1]), LocOf(inst.Uses[2]), LocOf(inst.Uses[3]));
        Load(d, no);
        Compare(a, b, zeroTest: false);
        if (yes.IsImm) { var s = Scratch(); Load(s, yes); yes = Loc.Reg(s); } // cmov has no immediate form; mov keeps the flags
        CMov(inst.Cond, d, yes);
    }

    private void EmitWide(Inst inst)
    {
        var operand = inst.Op == Op.MulWide ? inst.Uses[1] : inst.Uses[2];
        var loc = LocOf(operand);
        if (loc.IsImm) { var s = Scratch(~(RegisterMasks.Of(Gpr.Eax) | RegisterMasks.Of(Gpr.Edx))); Load(s, loc); loc = Loc.Reg(s); }
        switch (inst.Op)
        {
            case Op.MulWide: if (loc.IsReg) _a.mul(R(loc.Value)); else _a.mul(Slot(loc.Value)); break;
            case Op.Div: if (loc.IsReg) _a.div(R(loc.Value)); else _a.div(Slot(loc.Value)); break;
            default: if (loc.IsReg) _a.idiv(R(loc.Value)); else _a.idiv(Slot(loc.Value)); break;
        }
    }

    private void EmitPair(Inst inst)
    {
        var lo = Def(inst.Defs[0]);
        var hi = Def(inst.Defs[1]);
        Load(lo, LocOf(inst.Uses[0]));
        Load(hi, LocOf(inst.Uses[1]));
        switch (inst.Op)
        {
            case Op.AddPair:
                Alu(AluOp.AddFlags, lo, LocOf(inst.Uses[2]));
                Alu(AluOp.Adc, hi, LocOf(inst.Uses[3]));
                break;
            case Op.SubPair:
                Alu(AluOp.SubFlags, lo, LocOf(inst.Uses[2]));
                Alu(AluOp.Sbb, hi, LocOf(inst.Uses[3]));
                break;
            default:
                _a.neg(R(lo));
                _a.adc(R(hi), 0);
                _a.neg(R(hi));
                break;
        }
    }

    private void EmitPairShift(Inst inst)
    {
        var lo = Def(inst.Defs[0]);
        var hi = Def(inst.Defs[1]);
        Load(lo, LocOf(inst.Uses[0]));
        Load(hi, LocOf(inst.Uses[1]));
        var count = inst.Uses[2];
        if (count.IsImm)
        {
            var c = count.Imm;
            switch (inst.Op)
            {
                case Op.ShlPair: _a.shld(R(hi), R(lo), (byte)c); _a.shl(R(lo), (byte)c); break;
                case Op.ShrPair: _a.shrd(R(lo), R(hi), (byte)c); _a.shr(R(hi), (byte)c); break;
                default: _a.shrd(R(lo), R(hi), (byte)c); _a.sar(R(hi), (byte)c); break;
            }
            return;
        }
        var t = Def(inst.Defs[2]);
        switch (inst.Op)
        {
            case Op.ShlPair:
                _a.shld(R(hi), R(lo), cl);
                _a.shl(R(lo), cl);
                _a.xor(R(t), R(t));
                _a.test(cl, 32);
                _a.cmovne(R(hi), R(lo));
                _a.cmovne(R(lo), R(t));
                break;
            case Op.ShrPair:
                _a.shrd(R(lo), R(hi), cl);
                _a.shr(R(hi), cl);
                _a.xor(R(t), R(t));
                _a.test(cl, 32);
                _a.cmovne(R(lo), R(hi));
                _a.cmovne(R(hi), R(t));
                break;
            default:
                _a.shrd(R(lo), R(hi), cl);
                _a.sar(R(hi), cl);
                _a.mov(R(t), R(hi));
                _a.sar(R(t), 31);
                _a.test(cl, 32);
                _a.cmovne(R(lo), R(hi));
                _a.cmovne(R(hi), R(t));
                break;
        }
    }
}
