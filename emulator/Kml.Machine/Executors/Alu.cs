using System.Runtime.CompilerServices;
using Iced.Intel;
using Kml.Machine.Decoding;
using static Kml.Machine.Decoding.Operands;

namespace Kml.Machine.Executors;

/// <summary>A two-operand ALU operation: computes the result and records the flags (lazily).</summary>
internal interface IBinaryOp
{
    /// <summary>False for cmp/test (no write-back).</summary>
    static abstract bool Writes { get; }
    static abstract uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize;
}

internal struct AddOp : IBinaryOp
{
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = (a + b) & TS.Mask; c.SetFlags(FlagKind.Add | TS.FlagSize, r, a, b); return r; }
}

internal struct OrOp : IBinaryOp
{
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = a | b; c.FlagOp = FlagKind.Logic | TS.FlagSize; c.FlagRes = r; return r; }
}

internal struct AdcOp : IBinaryOp
{
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    {
        uint cin = c.GetCF() ? 1u : 0u;
        uint r = (a + b + cin) & TS.Mask;
        c.SetFlags(FlagKind.Adc | TS.FlagSize, r, a, b);
        c.FlagAux = cin;
        return r;
    }
}

internal struct SbbOp : IBinaryOp
{
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    {
        uint cin = c.GetCF() ? 1u : 0u;
        uint r = (a - b - cin) & TS.Mask;
        c.SetFlags(FlagKind.Sbb | TS.FlagSize, r, a, b);
        c.FlagAux = cin;
        return r;
    }
}

internal struct AndOp : IBinaryOp
{
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = a & b; c.FlagOp = FlagKind.Logic | TS.FlagSize; c.FlagRes = r; return r; }
}

internal struct SubOp : IBinaryOp
{
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = (a - b) & TS.Mask; c.SetFlags(FlagKind.Sub | TS.FlagSize, r, a, b); return r; }
}

internal struct XorOp : IBinaryOp
{
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = a ^ b; c.FlagOp = FlagKind.Logic | TS.FlagSize; c.FlagRes = r; return r; }
}

internal struct CmpOp : IBinaryOp
{
    public static bool Writes => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = (a - b) & TS.Mask; c.SetFlags(FlagKind.Sub | TS.FlagSize, r, a, b); return r; }
}

internal struct TestOp : IBinaryOp
{
    public static bool Writes => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = a & b; c.FlagOp = FlagKind.Logic | TS.FlagSize; c.FlagRes = r; return r; }
}

/// <summary>A one-operand read-modify-write operation (inc, dec, neg, not).</summary>
internal interface IUnaryOp
{
    static abstract uint Exec<TS>(Cpu c, uint a) where TS : struct, ISize;
}

internal struct IncOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a) where TS : struct, ISize
    {
        uint cf = c.GetCF() ? 1u : 0u;
        uint r = (a + 1) & TS.Mask;
        c.FlagOp = FlagKind.Inc | TS.FlagSize; c.FlagRes = r; c.FlagAux = cf;
        return r;
    }
}

internal struct DecOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a) where TS : struct, ISize
    {
        uint cf = c.GetCF() ? 1u : 0u;
        uint r = (a - 1) & TS.Mask;
        c.FlagOp = FlagKind.Dec | TS.FlagSize; c.FlagRes = r; c.FlagAux = cf;
        return r;
    }
}

internal struct NegOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a) where TS : struct, ISize
    { uint r = (0 - a) & TS.Mask; c.SetFlags(FlagKind.Neg | TS.FlagSize, r, 0, a); return r; }
}

internal struct NotOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a) where TS : struct, ISize => ~a & TS.Mask;
}

/// <summary>Integer ALU: add/or/adc/sbb/and/sub/xor/cmp/test, inc/dec/neg/not.</summary>
internal static unsafe class Alu
{
    public static void RegisterAll(Emitter?[] t)
    {
        t[(int)Mnemonic.Add] = Binary<AddOp>;
        t[(int)Mnemonic.Or] = Binary<OrOp>;
        t[(int)Mnemonic.Adc] = Binary<AdcOp>;
        t[(int)Mnemonic.Sbb] = Binary<SbbOp>;
        t[(int)Mnemonic.And] = Binary<AndOp>;
        t[(int)Mnemonic.Sub] = Binary<SubOp>;
        t[(int)Mnemonic.Xor] = Binary<XorOp>;
        t[(int)Mnemonic.Cmp] = Binary<CmpOp>;
        t[(int)Mnemonic.Test] = Binary<TestOp>;
        t[(int)Mnemonic.Inc] = Unary<IncOp>;
        t[(int)Mnemonic.Dec] = Unary<DecOp>;
        t[(int)Mnemonic.Neg] = Unary<NegOp>;
        t[(int)Mnemonic.Not] = Unary<NotOp>;
    }

    private static bool Binary<TOp>(ref Op op, in Instruction ins, EmitContext ctx) where TOp : struct, IBinaryOp
    {
        int size = Size(ins, 0);
        var k0 = ins.Op0Kind;
        var k1 = ins.Op1Kind;
        var m = ctx.Model;
        if (k0 == OpKind.Register)
        {
            op.R0 = Gpr(ins.Op0Register);
            if (k1 == OpKind.Register)
            {
                op.R1 = Gpr(ins.Op1Register);
                op.H = size switch { 1 => &RR<TOp, S8>, 2 => &RR<TOp, S16>, _ => &RR<TOp, S32> };
                op.Cost = (ushort)m.Alu;
                return true;
            }
            if (k1 == OpKind.Memory)
            {
                if (!Mem(ref op, ins)) return false;
                op.H = size switch { 1 => &RM<TOp, S8>, 2 => &RM<TOp, S16>, _ => &RM<TOp, S32> };
                op.Cost = (ushort)m.Load;
                return true;
            }
            op.Imm = Imm(ins, 1);
            op.H = size switch { 1 => &RI<TOp, S8>, 2 => &RI<TOp, S16>, _ => &RI<TOp, S32> };
            op.Cost = (ushort)m.Alu;
            return true;
        }
        if (k0 != OpKind.Memory || !Mem(ref op, ins)) return false;
        op.Cost = (ushort)(TOp.Writes ? (ins.HasLockPrefix ? m.Locked : m.LoadOpStore) : m.Load);
        if (k1 == OpKind.Register)
        {
            op.R1 = Gpr(ins.Op1Register);
            op.H = size switch { 1 => &MR<TOp, S8>, 2 => &MR<TOp, S16>, _ => &MR<TOp, S32> };
            return true;
        }
        op.Imm = Imm(ins, 1);
        op.H = size switch { 1 => &MI<TOp, S8>, 2 => &MI<TOp, S16>, _ => &MI<TOp, S32> };
        return true;
    }

    private static int RR<TOp, TS>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize
    {
        uint r = TOp.Exec<TS>(c, TS.Get(c, op->R0), TS.Get(c, op->R1));
        if (TOp.Writes) TS.Set(c, op->R0, r);
        return Exit.Next;
    }

    private static int RI<TOp, TS>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize
    {
        uint r = TOp.Exec<TS>(c, TS.Get(c, op->R0), op->Imm & TS.Mask);
        if (TOp.Writes) TS.Set(c, op->R0, r);
        return Exit.Next;
    }

    private static int RM<TOp, TS>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize
    {
        uint lin = c.SegRead(op->Seg, Ea(c, op), TS.Bytes);
        uint b = TS.Load(c, lin);
        uint r = TOp.Exec<TS>(c, TS.Get(c, op->R0), b);
        if (TOp.Writes) TS.Set(c, op->R0, r);
        return Exit.Next;
    }

    private static int MR<TOp, TS>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize
        => MemOp<TOp, TS>(c, op, TS.Get(c, op->R1));

    private static int MI<TOp, TS>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize
        => MemOp<TOp, TS>(c, op, op->Imm & TS.Mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MemOp<TOp, TS>(Cpu c, Op* op, uint b) where TOp : struct, IBinaryOp where TS : struct, ISize
    {
        uint ea = Ea(c, op);
        if (!TOp.Writes)
        {
            TOp.Exec<TS>(c, TS.Load(c, c.SegRead(op->Seg, ea, TS.Bytes)), b);
            return Exit.Next;
        }
        uint lin = c.SegWrite(op->Seg, ea, TS.Bytes);
        byte* p = c.RmwPtr(lin, TS.Bytes);
        if (p != null)
        {
            TS.StorePtr(p, TOp.Exec<TS>(c, TS.LoadPtr(p), b));
            return c.PendingExit;
        }
        TS.Store(c, lin, TOp.Exec<TS>(c, TS.Load(c, lin), b));
        return c.PendingExit;
    }

    private static bool Unary<TOp>(ref Op op, in Instruction ins, EmitContext ctx) where TOp : struct, IUnaryOp
    {
        int size = Size(ins, 0);
        if (ins.Op0Kind == OpKind.Register)
        {
            op.R0 = Gpr(ins.Op0Register);
            op.H = size switch { 1 => &UR<TOp, S8>, 2 => &UR<TOp, S16>, _ => &UR<TOp, S32> };
            op.Cost = (ushort)ctx.Model.Alu;
            return true;
        }
        if (!Mem(ref op, ins)) return false;
        op.H = size switch { 1 => &UM<TOp, S8>, 2 => &UM<TOp, S16>, _ => &UM<TOp, S32> };
        op.Cost = (ushort)(ins.HasLockPrefix ? ctx.Model.Locked : ctx.Model.LoadOpStore);
        return true;
    }

    private static int UR<TOp, TS>(Cpu c, Op* op) where TOp : struct, IUnaryOp where TS : struct, ISize
    {
        TS.Set(c, op->R0, TOp.Exec<TS>(c, TS.Get(c, op->R0)));
        return Exit.Next;
    }

    private static int UM<TOp, TS>(Cpu c, Op* op) where TOp : struct, IUnaryOp where TS : struct, ISize
    {
        uint lin = c.SegWrite(op->Seg, Ea(c, op), TS.Bytes);
        byte* p = c.RmwPtr(lin, TS.Bytes);
        if (p != null) TS.StorePtr(p, TOp.Exec<TS>(c, TS.LoadPtr(p)));
        else TS.Store(c, lin, TOp.Exec<TS>(c, TS.Load(c, lin)));
        return c.PendingExit;
    }
}
