using Iced.Intel;
using Kml.Machine.Decoding;
using static Kml.Machine.Decoding.Operands;

namespace Kml.Machine.Executors;

/// <summary>mul, imul (one-, two- and three-operand forms), div, idiv (#DE on a zero divisor and on quotient overflow).</summary>
internal static unsafe class MulDiv
{
    public static void RegisterAll(Emitter?[] t)
    {
        t[(int)Mnemonic.Mul] = OneOperand;
        t[(int)Mnemonic.Imul] = Imul;
        t[(int)Mnemonic.Div] = OneOperand;
        t[(int)Mnemonic.Idiv] = OneOperand;
    }

    // Aux: 0 = mul, 1 = imul, 2 = div, 3 = idiv.
    private static bool OneOperand(ref Op op, in Instruction ins, EmitContext ctx)
    {
        int size = Size(ins, 0);
        op.Aux = ins.Mnemonic switch { Mnemonic.Mul => (byte)0, Mnemonic.Imul => (byte)1, Mnemonic.Div => (byte)2, _ => (byte)3 };
        bool mem = ins.Op0Kind == OpKind.Memory;
        if (mem) { if (!Mem(ref op, ins)) return false; }
        else op.R1 = Gpr(ins.Op0Register);
        op.Cost = (ushort)((op.Aux < 2 ? ctx.Model.Multiply : ctx.Model.Divide) + (mem ? ctx.Model.Load - ctx.Model.Alu : 0));
        op.H = (size, mem) switch
        {
            (1, false) => &OneR<S8>, (2, false) => &OneR<S16>, (_, false) => &OneR<S32>,
            (1, true) => &OneM<S8>, (2, true) => &OneM<S16>, _ => &OneM<S32>,
        };
        return true;
    }

    private static int OneR<TS>(Cpu c, Op* op) where TS : struct, ISize { Exec<TS>(c, op->Aux, TS.Get(c, op->R1)); return Exit.Next; }
    private static int OneM<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        Exec<TS>(c, op->Aux, TS.Load(c, c.SegRead(op->Seg, Ea(c, op), TS.Bytes)));
        return Exit.Next;
    }

    private static long SignExtend<TS>(uint v) where TS : struct, ISize => TS.Bits switch { 8 => (sbyte)v, 16 => (short)v, _ => (int)v };

    private static void Exec<TS>(Cpu c, int kind, uint src) where TS : struct, ISize
    {
        int bits = TS.Bits;
        // Dividend/accumulator: AL/AX (8-bit uses AX), DX:AX, EDX:EAX.
        uint acc = TS.Get(c, 0);
        switch (kind)
        {
            case 0: // mul
            {
                ulong p = (ulong)acc * src;
                uint lo = (uint)p & TS.Mask, hi = (uint)(p >> bits) & TS.Mask;
                StoreWide<TS>(c, lo, hi);
                uint cf = hi != 0 ? 1u : 0u;
                c.SetFlagsAux(TS.FlagSize, lo, cf | (cf << 11));
                break;
            }
            case 1: // imul
            {
                long p = SignExtend<TS>(acc) * SignExtend<TS>(src);
                uint lo = (uint)p & TS.Mask, hi = (uint)(p >> bits) & TS.Mask;
                StoreWide<TS>(c, lo, hi);
                uint cf = p != SignExtend<TS>(lo) ? 1u : 0u;
                c.SetFlagsAux(TS.FlagSize, lo, cf | (cf << 11));
                break;
            }
            case 2: // div
            {
                if (src == 0) c.Fault(Vectors.DE);
                ulong dividend = bits == 8 ? c.Reg(0) & 0xFFFF : ((ulong)TS.Get(c, 2) << bits) | acc;
                ulong q = dividend / src, r = dividend % src;
                if (q > TS.Mask) c.Fault(Vectors.DE);
                StoreDiv<TS>(c, (uint)q, (uint)r);
                break;
            }
            default: // idiv
            {
                if (src == 0) c.Fault(Vectors.DE);
                long dividend = bits switch
                {
                    8 => (short)c.Reg(0),
                    16 => (int)((TS.Get(c, 2) << 16) | acc),
                    _ => (long)(((ulong)c.Reg(2) << 32) | c.Reg(0)),
                };
                long divisor = SignExtend<TS>(src);
                if (dividend == long.MinValue && divisor == -1) c.Fault(Vectors.DE);
                long q = dividend / divisor, r = dividend % divisor;
                long max = (1L << (bits - 1)) - 1, min = -(1L << (bits - 1));
                if (q > max || q < min) c.Fault(Vectors.DE);
                StoreDiv<TS>(c, (uint)q & TS.Mask, (uint)r & TS.Mask);
                break;
            }
        }
    }

    private static void StoreWide<TS>(Cpu c, uint lo, uint hi) where TS : struct, ISize
    {
        if (TS.Bits == 8) S16.Set(c, 0, lo | (hi << 8));
        else { TS.Set(c, 0, lo); TS.Set(c, 2, hi); }
    }

    private static void StoreDiv<TS>(Cpu c, uint q, uint r) where TS : struct, ISize
    {
        if (TS.Bits == 8) S16.Set(c, 0, (q & 0xFF) | ((r & 0xFF) << 8));
        else { TS.Set(c, 0, q); TS.Set(c, 2, r); }
    }

    // Two- and three-operand imul: R0 = R1 or memory (times Imm when three operands; Aux = 1), truncated.
    private static bool Imul(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (ins.OpCount == 1) return OneOperand(ref op, ins, ctx);
        int size = Size(ins, 0);
        op.R0 = Gpr(ins.Op0Register);
        bool three = ins.OpCount == 3;
        if (three) { op.Aux = 1; op.Imm = Imm(ins, 2); }
        bool mem = ins.Op1Kind == OpKind.Memory;
        if (mem) { if (!Mem(ref op, ins)) return false; }
        else op.R1 = Gpr(ins.Op1Register);
        op.Cost = (ushort)(ctx.Model.Multiply + (mem ? ctx.Model.Load - ctx.Model.Alu : 0));
        op.H = (size, mem) switch
        {
            (2, false) => &ImulR<S16>, (_, false) => &ImulR<S32>,
            (2, true) => &ImulM<S16>, _ => &ImulM<S32>,
        };
        return true;
    }

    private static void ImulExec<TS>(Cpu c, Op* op, uint src) where TS : struct, ISize
    {
        uint other = op->Aux == 1 ? op->Imm & TS.Mask : TS.Get(c, op->R0);
        long p = SignExtend<TS>(src) * SignExtend<TS>(other);
        uint lo = (uint)p & TS.Mask;
        uint cf = p != SignExtend<TS>(lo) ? 1u : 0u;
        c.SetFlagsAux(TS.FlagSize, lo, cf | (cf << 11));
        TS.Set(c, op->R0, lo);
    }

    private static int ImulR<TS>(Cpu c, Op* op) where TS : struct, ISize { ImulExec<TS>(c, op, TS.Get(c, op->R1)); return Exit.Next; }
    private static int ImulM<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        ImulExec<TS>(c, op, TS.Load(c, c.SegRead(op->Seg, Ea(c, op), TS.Bytes)));
        return Exit.Next;
    }
}
