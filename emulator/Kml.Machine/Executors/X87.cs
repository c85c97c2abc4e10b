using Iced.Intel;
using Kml.Machine.Decoding;
using static Kml.Machine.Decoding.Operands;

namespace Kml.Machine.Executors;

/// <summary>
/// The x87 subset static glibc programs and busybox applets use: loads/stores (m32/m64/m80, m16/m32/m64 integers),
/// constants, arithmetic (+r and p forms, integer operands), comparisons (fcom*/fucom*/fcomi*/ficom/ftst/fxam),
/// fxch, fchs/fabs, fsqrt, frndint, fprem/fprem1, fscale, fcmovcc, control/status word access. Values are kept
/// as <see cref="double"/> (53-bit significand); m80 loads/stores convert exactly where representable.
/// </summary>
internal static unsafe class X87
{
    // Memory operand types (Imm2).
    private const uint M32 = 0, M64 = 1, M80 = 2, I16 = 3, I32 = 4, I64 = 5;
    // Arithmetic operations (Aux).
    private const byte Add = 0, Mul = 1, Sub = 2, SubR = 3, Div = 4, DivR = 5;
    // Status-word bits.
    private const ushort IE = 1, ZE = 4, SFbit = 0x40, C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;

    public static void RegisterAll(Emitter?[] t)
    {
        t[(int)Mnemonic.Fld] = Fld;
        t[(int)Mnemonic.Fild] = Fld;
        t[(int)Mnemonic.Fst] = Fst;
        t[(int)Mnemonic.Fstp] = Fst;
        t[(int)Mnemonic.Fist] = Fst;
        t[(int)Mnemonic.Fistp] = Fst;
        foreach (var m in new[] { Mnemonic.Fldz, Mnemonic.Fld1, Mnemonic.Fldpi, Mnemonic.Fldl2e, Mnemonic.Fldl2t, Mnemonic.Fldlg2, Mnemonic.Fldln2 })
            t[(int)m] = Const;
        foreach (var m in new[] { Mnemonic.Fadd, Mnemonic.Faddp, Mnemonic.Fiadd, Mnemonic.Fmul, Mnemonic.Fmulp, Mnemonic.Fimul,
                                  Mnemonic.Fsub, Mnemonic.Fsubp, Mnemonic.Fisub, Mnemonic.Fsubr, Mnemonic.Fsubrp, Mnemonic.Fisubr,
                                  Mnemonic.Fdiv, Mnemonic.Fdivp, Mnemonic.Fidiv, Mnemonic.Fdivr, Mnemonic.Fdivrp, Mnemonic.Fidivr })
            t[(int)m] = Arith;
        foreach (var m in new[] { Mnemonic.Fcom, Mnemonic.Fcomp, Mnemonic.Fcompp, Mnemonic.Fucom, Mnemonic.Fucomp, Mnemonic.Fucompp,
                                  Mnemonic.Ficom, Mnemonic.Ficomp, Mnemonic.Ftst, Mnemonic.Fcomi, Mnemonic.Fcomip, Mnemonic.Fucomi, Mnemonic.Fucomip })
            t[(int)m] = Compare;
        foreach (var m in new[] { Mnemonic.Fchs, Mnemonic.Fabs, Mnemonic.Fsqrt, Mnemonic.Frndint, Mnemonic.Fprem, Mnemonic.Fprem1, Mnemonic.Fscale,
                                  Mnemonic.Fxam, Mnemonic.Fninit, Mnemonic.Finit, Mnemonic.Fnclex, Mnemonic.Fclex, Mnemonic.Fincstp, Mnemonic.Fdecstp, Mnemonic.Fnop })
            t[(int)m] = NoOperand;
        t[(int)Mnemonic.Fxch] = RegOp;
        t[(int)Mnemonic.Ffree] = RegOp;
        foreach (var m in new[] { Mnemonic.Fcmovb, Mnemonic.Fcmove, Mnemonic.Fcmovbe, Mnemonic.Fcmovu, Mnemonic.Fcmovnb, Mnemonic.Fcmovne, Mnemonic.Fcmovnbe, Mnemonic.Fcmovnu })
            t[(int)m] = RegOp;
        t[(int)Mnemonic.Fnstsw] = StatusControl;
        t[(int)Mnemonic.Fstsw] = StatusControl;
        t[(int)Mnemonic.Fnstcw] = StatusControl;
        t[(int)Mnemonic.Fstcw] = StatusControl;
        t[(int)Mnemonic.Fldcw] = StatusControl;
        t[(int)Mnemonic.Fnstenv] = Env;
        t[(int)Mnemonic.Fstenv] = Env;
        t[(int)Mnemonic.Fldenv] = Env;
    }

    // ---------------- environment (28-byte protected-mode 32-bit layout) ----------------
    private static bool Env(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (!Mem(ref op, ins)) return false;
        op.Cost = (ushort)(ctx.Model.X87 * 4);
        op.Aux = (byte)(ins.Mnemonic == Mnemonic.Fldenv ? 1 : 0);
        op.H = &EnvOp;
        return true;
    }

    private static int EnvOp(Cpu c, Op* op)
    {
        var f = c.Fpu;
        if (op->Aux == 0)
        {
            uint lin = c.SegWrite(op->Seg, Ea(c, op), 28);
            c.ProbeWrite(lin, 28);
            uint tags = 0;
            for (int i = 0; i < 8; i++)
            {
                uint t = (f.EmptyMask & (1 << i)) != 0 ? 3u : f.Registers[i] == 0 ? 1u : double.IsFinite(f.Registers[i]) ? 0u : 2u;
                tags |= t << (2 * i);
            }
            uint[] words = [0xFFFF_0000u | f.Control, 0xFFFF_0000u | f.StatusWord, 0xFFFF_0000u | tags, 0, 0, 0, 0xFFFF_0000u];
            for (int i = 0; i < 7; i++) c.Write32(lin + (uint)i * 4, words[i]);
            f.Control |= 0x3F; // fnstenv masks all exceptions
            return c.PendingExit;
        }
        uint src = c.SegRead(op->Seg, Ea(c, op), 28);
        ushort cw = c.Read16(src), sw = c.Read16(src + 4), tw = c.Read16(src + 8);
        f.Control = cw;
        f.Status = (ushort)(sw & ~0x3800);
        f.Top = (sw >> 11) & 7;
        byte empty = 0;
        for (int i = 0; i < 8; i++) if (((tw >> (2 * i)) & 3) == 3) empty |= (byte)(1 << i);
        f.EmptyMask = empty;
        return Exit.Next;
    }

    // ---------------- stack helpers ----------------
    private static int Phys(X87State f, int i) => (f.Top + i) & 7;

    private static double St(Cpu c, int i)
    {
        var f = c.Fpu;
        int p = Phys(f, i);
        if ((f.EmptyMask & (1 << p)) != 0) { f.Status = (ushort)((f.Status | IE | SFbit) & ~C1); return double.NaN; }
        return f.Registers[p];
    }

    private static void SetSt(Cpu c, int i, double v)
    {
        var f = c.Fpu;
        int p = Phys(f, i);
        f.Registers[p] = v;
        f.EmptyMask &= (byte)~(1 << p);
    }

    private static void Push(Cpu c, double v)
    {
        var f = c.Fpu;
        int top = (f.Top - 1) & 7;
        if ((f.EmptyMask & (1 << top)) == 0) { f.Status |= IE | SFbit | C1; v = double.NaN; } // stack overflow, masked response
        f.Top = top;
        f.Registers[top] = v;
        f.EmptyMask &= (byte)~(1 << top);
    }

    private static void Pop(Cpu c)
    {
        var f = c.Fpu;
        f.EmptyMask |= (byte)(1 << f.Top);
        f.Top = (f.Top + 1) & 7;
    }

    private static int Rc(Cpu c) => (c.Fpu.Control >> 10) & 3;

    internal static double Round(double v, int rc) => rc switch
    {
        0 => Math.Round(v, MidpointRounding.ToEven),
        1 => Math.Floor(v),
        2 => Math.Ceiling(v),
        _ => Math.Truncate(v),
    };

    // ---------------- memory operands ----------------
    private static uint MemType(in Instruction ins) => ins.MemorySize switch
    {
        MemorySize.Float32 => M32,
        MemorySize.Float64 => M64,
        MemorySize.Float80 => M80,
        MemorySize.Int16 => I16,
        MemorySize.Int32 => I32,
        MemorySize.Int64 => I64,
        _ => 99,
    };

    private static int Bytes(uint type) => type switch { M32 => 4, M64 => 8, M80 => 10, I16 => 2, I32 => 4, _ => 8 };

    private static double Load(Cpu c, Op* op)
    {
        uint type = op->Imm2;
        uint lin = c.SegRead(op->Seg, Ea(c, op), Bytes(type));
        switch (type)
        {
            case M32: return BitConverter.UInt32BitsToSingle(c.Read32(lin));
            case M64: return BitConverter.UInt64BitsToDouble(c.Read64(lin));
            case M80: { ulong m = c.Read64(lin); ushort se = c.Read16(lin + 8); return FromExtended(m, se); }
            case I16: return (short)c.Read16(lin);
            case I32: return (int)c.Read32(lin);
            default: return (long)c.Read64(lin);
        }
    }

    private static void Store(Cpu c, Op* op, double v)
    {
        uint type = op->Imm2;
        int n = Bytes(type);
        uint lin = c.SegWrite(op->Seg, Ea(c, op), n);
        c.ProbeWrite(lin, n);
        switch (type)
        {
            case M32: c.Write32(lin, BitConverter.SingleToUInt32Bits((float)v)); break;
            case M64: c.Write64(lin, BitConverter.DoubleToUInt64Bits(v)); break;
            case M80: { var (m, se) = ToExtended(v); c.Write64(lin, m); c.Write16(lin + 8, se); break; }
            case I16: c.Write16(lin, (uint)ToInt(c, v, short.MinValue, short.MaxValue, 0x8000)); break;
            case I32: c.Write32(lin, (uint)ToInt(c, v, int.MinValue, int.MaxValue, 0x8000_0000)); break;
            default: c.Write64(lin, (ulong)ToInt(c, v, long.MinValue, long.MaxValue, 0x8000_0000_0000_0000)); break;
        }
    }

    /// <summary>Rounds by the control word's RC; out of range or NaN gives the integer indefinite (and IE).</summary>
    private static long ToInt(Cpu c, double v, long min, long max, ulong indefinite)
    {
        double r = Round(v, Rc(c));
        if (double.IsNaN(r) || r < min || r > max || (max == long.MaxValue && r >= 9.2233720368547758E18))
        {
            c.Fpu.Status |= IE;
            return (long)indefinite;
        }
        return (long)r;
    }

    /// <summary>80-bit extended → double (rounded to nearest when not representable).</summary>
    internal static double FromExtended(ulong mant, ushort se)
    {
        bool neg = (se & 0x8000) != 0;
        int exp = se & 0x7FFF;
        double v;
        if (exp == 0x7FFF) v = (mant << 1) == 0 ? double.PositiveInfinity : double.NaN;
        else if (mant == 0) v = 0;
        else v = Math.ScaleB((double)mant, (exp == 0 ? 1 : exp) - 16383 - 63);
        return neg ? -v : v;
    }

    /// <summary>double → 80-bit extended (always exact).</summary>
    internal static (ulong Mantissa, ushort SignExponent) ToExtended(double d)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(d);
        ushort sign = (ushort)((bits >> 48) & 0x8000);
        int e = (int)((bits >> 52) & 0x7FF);
        ulong frac = bits & ((1ul << 52) - 1);
        if (e == 0x7FF)
            return frac == 0 ? (1ul << 63, (ushort)(sign | 0x7FFF)) : ((1ul << 63) | (1ul << 62) | (frac << 11), (ushort)(sign | 0x7FFF));
        if (e == 0)
        {
            if (frac == 0) return (0, sign);
            int msb = 63 - System.Numerics.BitOperations.LeadingZeroCount(frac);
            return (frac << (63 - msb), (ushort)(sign | (msb - 1074 + 16383)));
        }
        return ((1ul << 63) | (frac << 11), (ushort)(sign | (e - 1023 + 16383)));
    }

    // ---------------- fld / fild ----------------
    private static bool Fld(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Cost = (ushort)ctx.Model.X87;
        if (ins.Op0Kind == OpKind.Register) { op.R0 = (byte)(ins.Op0Register - Register.ST0); op.H = &FldSt; return true; }
        op.Imm2 = MemType(ins);
        if (op.Imm2 == 99 || !Mem(ref op, ins)) return false;
        op.H = &FldM;
        return true;
    }

    private static int FldSt(Cpu c, Op* op) { double v = St(c, op->R0); Push(c, v); return Exit.Next; }
    private static int FldM(Cpu c, Op* op) { double v = Load(c, op); Push(c, v); return Exit.Next; }

    // ---------------- fst / fstp / fist / fistp ----------------
    private static bool Fst(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Cost = (ushort)ctx.Model.X87;
        op.Aux = (byte)(ins.Mnemonic is Mnemonic.Fstp or Mnemonic.Fistp ? 1 : 0);
        if (ins.Op0Kind == OpKind.Register) { op.R0 = (byte)(ins.Op0Register - Register.ST0); op.H = &FstSt; return true; }
        op.Imm2 = MemType(ins);
        if (op.Imm2 == 99 || !Mem(ref op, ins)) return false;
        op.H = &FstM;
        return true;
    }

    private static int FstSt(Cpu c, Op* op)
    {
        SetSt(c, op->R0, St(c, 0));
        if (op->Aux == 1) Pop(c);
        return Exit.Next;
    }

    private static int FstM(Cpu c, Op* op)
    {
        Store(c, op, St(c, 0));
        if (op->Aux == 1) Pop(c);
        return c.PendingExit;
    }

    // ---------------- constants ----------------
    private static bool Const(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Cost = (ushort)ctx.Model.X87;
        op.Aux = ins.Mnemonic switch
        {
            Mnemonic.Fldz => 0, Mnemonic.Fld1 => 1, Mnemonic.Fldpi => 2, Mnemonic.Fldl2e => 3,
            Mnemonic.Fldl2t => 4, Mnemonic.Fldlg2 => 5, _ => 6,
        };
        op.H = &FldConst;
        return true;
    }

    private static int FldConst(Cpu c, Op* op)
    {
        Push(c, op->Aux switch
        {
            0 => 0.0, 1 => 1.0, 2 => Math.PI, 3 => 1.4426950408889634, 4 => 3.3219280948873622, 5 => 0.3010299956639812, _ => 0.6931471805599453,
        });
        return Exit.Next;
    }

    // ---------------- arithmetic ----------------
    // Imm (form): 0 = ST0 op mem, 1 = ST0 = ST0 op STi, 2 = STi = STi op ST0, 3 = form 2 then pop.
    private static bool Arith(ref Op op, in Instruction ins, EmitContext ctx)
    {
        var m = ins.Mnemonic;
        op.Aux = m switch
        {
            Mnemonic.Fadd or Mnemonic.Faddp or Mnemonic.Fiadd => Add,
            Mnemonic.Fmul or Mnemonic.Fmulp or Mnemonic.Fimul => Mul,
            Mnemonic.Fsub or Mnemonic.Fsubp or Mnemonic.Fisub => Sub,
            Mnemonic.Fsubr or Mnemonic.Fsubrp or Mnemonic.Fisubr => SubR,
            Mnemonic.Fdiv or Mnemonic.Fdivp or Mnemonic.Fidiv => Div,
            _ => DivR,
        };
        op.Cost = (ushort)(op.Aux >= Div ? ctx.Model.X87Divide : ctx.Model.X87);
        bool pop = m is Mnemonic.Faddp or Mnemonic.Fmulp or Mnemonic.Fsubp or Mnemonic.Fsubrp or Mnemonic.Fdivp or Mnemonic.Fdivrp;
        if (ins.OpCount == 1 && ins.Op0Kind == OpKind.Memory)
        {
            op.Imm2 = MemType(ins);
            if (op.Imm2 == 99 || !Mem(ref op, ins)) return false;
            op.Imm = 0;
        }
        else if (ins.OpCount == 2 && ins.Op0Register == Register.ST0)
        {
            op.Imm = 1;
            op.R1 = (byte)(ins.Op1Register - Register.ST0);
        }
        else if (ins.OpCount == 2 && ins.Op1Register == Register.ST0)
        {
            op.Imm = pop ? 3u : 2u;
            op.R1 = (byte)(ins.Op0Register - Register.ST0);
        }
        else if (ins.OpCount == 0 && pop)
        {
            op.Imm = 3; op.R1 = 1; // faddp with no operands = faddp st(1), st(0)
        }
        else return false;
        op.H = &ArithOp;
        return true;
    }

    private static double Apply(Cpu c, byte kind, double dest, double src)
    {
        if (kind is Div or DivR && (kind == Div ? src : dest) == 0 && !double.IsNaN(kind == Div ? dest : src)) c.Fpu.Status |= ZE;
        return kind switch
        {
            Add => dest + src,
            Mul => dest * src,
            Sub => dest - src,
            SubR => src - dest,
            Div => dest / src,
            _ => src / dest,
        };
    }

    private static int ArithOp(Cpu c, Op* op)
    {
        switch (op->Imm)
        {
            case 0: { double m = Load(c, op); SetSt(c, 0, Apply(c, op->Aux, St(c, 0), m)); break; }
            case 1: SetSt(c, 0, Apply(c, op->Aux, St(c, 0), St(c, op->R1))); break;
            default:
                SetSt(c, op->R1, Apply(c, op->Aux, St(c, op->R1), St(c, 0)));
                if (op->Imm == 3) Pop(c);
                break;
        }
        return Exit.Next;
    }

    // ---------------- comparisons ----------------
    // Aux: pops (0, 1, 2). Imm: 0 = C3/C2/C0, 1 = EFLAGS (fcomi). Imm2: memory type, or 98 = ST(R1), 97 = 0.0 (ftst).
    private static bool Compare(ref Op op, in Instruction ins, EmitContext ctx)
    {
        var m = ins.Mnemonic;
        op.Cost = (ushort)ctx.Model.X87;
        op.Aux = m switch
        {
            Mnemonic.Fcomp or Mnemonic.Fucomp or Mnemonic.Ficomp or Mnemonic.Fcomip or Mnemonic.Fucomip => 1,
            Mnemonic.Fcompp or Mnemonic.Fucompp => 2,
            _ => 0,
        };
        op.Imm = m is Mnemonic.Fcomi or Mnemonic.Fcomip or Mnemonic.Fucomi or Mnemonic.Fucomip ? 1u : 0u;
        if (m == Mnemonic.Ftst) op.Imm2 = 97;
        else if (ins.OpCount == 0) { op.Imm2 = 98; op.R1 = 1; }
        else if (ins.Op0Kind == OpKind.Memory)
        {
            op.Imm2 = MemType(ins);
            if (op.Imm2 == 99 || !Mem(ref op, ins)) return false;
        }
        else
        {
            op.Imm2 = 98;
            op.R1 = (byte)((ins.OpCount == 2 ? ins.Op1Register : ins.Op0Register) - Register.ST0);
        }
        op.H = &CompareOp;
        return true;
    }

    private static int CompareOp(Cpu c, Op* op)
    {
        double a = St(c, 0);
        double b = op->Imm2 switch { 97 => 0.0, 98 => St(c, op->R1), _ => Load(c, op) };
        bool unordered = double.IsNaN(a) || double.IsNaN(b);
        if (op->Imm == 0)
        {
            ushort cc = unordered ? (ushort)(C3 | C2 | C0) : a > b ? (ushort)0 : a < b ? C0 : C3;
            c.Fpu.Status = (ushort)((c.Fpu.Status & ~(C3 | C2 | C1 | C0)) | cc);
        }
        else
        {
            uint f = unordered ? Cpu.ZF | Cpu.PF | Cpu.CF : a > b ? 0 : a < b ? Cpu.CF : Cpu.ZF;
            c.SetArith(f);
            c.Fpu.Status &= unchecked((ushort)~C1);
        }
        if (unordered) c.Fpu.Status |= IE;
        for (int i = 0; i < op->Aux; i++) Pop(c);
        return Exit.Next;
    }

    // ---------------- operand-less ----------------
    private static bool NoOperand(ref Op op, in Instruction ins, EmitContext ctx)
    {
        var m = ins.Mnemonic;
        op.Cost = (ushort)(m is Mnemonic.Fsqrt or Mnemonic.Fprem or Mnemonic.Fprem1 ? ctx.Model.X87Divide : ctx.Model.X87);
        op.Aux = m switch
        {
            Mnemonic.Fchs => 0, Mnemonic.Fabs => 1, Mnemonic.Fsqrt => 2, Mnemonic.Frndint => 3, Mnemonic.Fprem => 4,
            Mnemonic.Fprem1 => 5, Mnemonic.Fscale => 6, Mnemonic.Fxam => 7, Mnemonic.Fninit or Mnemonic.Finit => 8,
            Mnemonic.Fnclex or Mnemonic.Fclex => 9, Mnemonic.Fincstp => 10, Mnemonic.Fdecstp => 11, _ => 12,
        };
        op.H = &NoOperandOp;
        return true;
    }

    private static int NoOperandOp(Cpu c, Op* op)
    {
        var f = c.Fpu;
        switch (op->Aux)
        {
            case 0: SetSt(c, 0, -St(c, 0)); break;
            case 1: SetSt(c, 0, Math.Abs(St(c, 0))); break;
            case 2: { double v = St(c, 0); if (v < 0) f.Status |= IE; SetSt(c, 0, Math.Sqrt(v)); break; }
            case 3: SetSt(c, 0, Round(St(c, 0), Rc(c))); break;
            case 4:
            case 5:
            {
                double a = St(c, 0), b = St(c, 1);
                double q = op->Aux == 4 ? Math.Truncate(a / b) : Math.Round(a / b, MidpointRounding.ToEven);
                double r = op->Aux == 4 ? Math.IEEERemainder(a, b) : Math.IEEERemainder(a, b);
                if (op->Aux == 4) r = a % b;
                SetSt(c, 0, r);
                ulong qi = double.IsFinite(q) ? (ulong)Math.Abs(q) : 0;
                ushort s = (ushort)(f.Status & ~(C3 | C2 | C1 | C0));
                if ((qi & 1) != 0) s |= C1;
                if ((qi & 2) != 0) s |= C3;
                if ((qi & 4) != 0) s |= C0;
                f.Status = s;
                break;
            }
            case 6: { double a = St(c, 0), b = St(c, 1); SetSt(c, 0, double.IsFinite(b) ? Math.ScaleB(a, (int)Math.Clamp(Math.Truncate(b), -100000, 100000)) : a * Math.Pow(2, b)); break; }
            case 7: Fxam(c); break;
            case 8: f.Init(); break;
            case 9: f.Status &= 0x7F00; break;
            case 10: f.Top = (f.Top + 1) & 7; break;
            case 11: f.Top = (f.Top - 1) & 7; break;
            default: break;
        }
        return Exit.Next;
    }

    private static void Fxam(Cpu c)
    {
        var f = c.Fpu;
        int p = Phys(f, 0);
        ushort s = (ushort)(f.Status & ~(C3 | C2 | C1 | C0));
        if ((f.EmptyMask & (1 << p)) != 0) { f.Status = (ushort)(s | C3 | C0); return; }
        double v = f.Registers[p];
        if (double.IsNegative(v)) s |= C1;
        if (double.IsNaN(v)) s |= C0;
        else if (double.IsInfinity(v)) s |= C2 | C0;
        else if (v == 0) s |= C3;
        else s |= C2; // every non-zero double is a normal extended value
        f.Status = s;
    }

    // ---------------- fxch, ffree, fcmovcc ----------------
    private static bool RegOp(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Cost = (ushort)ctx.Model.X87;
        var m = ins.Mnemonic;
        op.R1 = (byte)((ins.OpCount == 2 ? ins.Op1Register : ins.OpCount == 1 ? ins.Op0Register : Register.ST1) - Register.ST0);
        op.Aux = m switch
        {
            Mnemonic.Fxch => 0, Mnemonic.Ffree => 1,
            Mnemonic.Fcmovb => 2, Mnemonic.Fcmove => 3, Mnemonic.Fcmovbe => 4, Mnemonic.Fcmovu => 5,
            Mnemonic.Fcmovnb => 6, Mnemonic.Fcmovne => 7, Mnemonic.Fcmovnbe => 8, _ => 9,
        };
        op.H = &RegOpExec;
        return true;
    }

    private static int RegOpExec(Cpu c, Op* op)
    {
        var f = c.Fpu;
        int i = op->R1;
        switch (op->Aux)
        {
            case 0:
            {
                double a = St(c, 0), b = St(c, i);
                SetSt(c, 0, b); SetSt(c, i, a);
                break;
            }
            case 1: f.EmptyMask |= (byte)(1 << Phys(f, i)); break;
            default:
            {
                bool cond = op->Aux switch
                {
                    2 => c.GetCF(), 3 => c.GetZF(), 4 => c.GetCF() || c.GetZF(), 5 => c.GetPF(),
                    6 => !c.GetCF(), 7 => !c.GetZF(), 8 => !(c.GetCF() || c.GetZF()), _ => !c.GetPF(),
                };
                if (cond) SetSt(c, 0, St(c, i));
                break;
            }
        }
        return Exit.Next;
    }

    // ---------------- status and control words ----------------
    private static bool StatusControl(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Cost = (ushort)ctx.Model.X87;
        var m = ins.Mnemonic;
        op.Aux = m switch { Mnemonic.Fnstsw or Mnemonic.Fstsw => 0, Mnemonic.Fnstcw or Mnemonic.Fstcw => 1, _ => 2 };
        if (ins.Op0Kind == OpKind.Register) { op.H = &FnstswAx; return op.Aux == 0; }
        if (!Mem(ref op, ins)) return false;
        op.H = &StatusControlM;
        return true;
    }

    private static int FnstswAx(Cpu c, Op* op) { S16.Set(c, 0, c.Fpu.StatusWord); return Exit.Next; }

    private static int StatusControlM(Cpu c, Op* op)
    {
        switch (op->Aux)
        {
            case 0: c.Write16(c.SegWrite(op->Seg, Ea(c, op), 2), c.Fpu.StatusWord); return c.PendingExit;
            case 1: c.Write16(c.SegWrite(op->Seg, Ea(c, op), 2), c.Fpu.Control); return c.PendingExit;
            default: c.Fpu.Control = (ushort)(c.Read16(c.SegRead(op->Seg, Ea(c, op), 2)) | 0x40); return Exit.Next;
        }
    }
}
