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
    /// <summary>The result without recording flags (used when no flag it writes is live).</summary>
    static abstract uint Pure<TS>(Cpu c, uint a, uint b) where TS : struct, ISize;
}

internal struct AddOp : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(Cpu c, uint a, uint b) where TS : struct, ISize => (a + b) & TS.Mask;
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = (a + b) & TS.Mask; c.SetFlags(FlagKind.Add | TS.FlagSize, r, a, b); return r; }
}

internal struct OrOp : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(Cpu c, uint a, uint b) where TS : struct, ISize => a | b;
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = a | b; c.FlagOp = FlagKind.Logic | TS.FlagSize; c.FlagRes = r; return r; }
}

internal struct AdcOp : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(Cpu c, uint a, uint b) where TS : struct, ISize => (a + b + (c.GetCF() ? 1u : 0u)) & TS.Mask;
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(Cpu c, uint a, uint b) where TS : struct, ISize => (a - b - (c.GetCF() ? 1u : 0u)) & TS.Mask;
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(Cpu c, uint a, uint b) where TS : struct, ISize => a & b;
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = a & b; c.FlagOp = FlagKind.Logic | TS.FlagSize; c.FlagRes = r; return r; }
}

internal struct SubOp : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(Cpu c, uint a, uint b) where TS : struct, ISize => (a - b) & TS.Mask;
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = (a - b) & TS.Mask; c.SetFlags(FlagKind.Sub | TS.FlagSize, r, a, b); return r; }
}

internal struct XorOp : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(Cpu c, uint a, uint b) where TS : struct, ISize => a ^ b;
    public static bool Writes => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = a ^ b; c.FlagOp = FlagKind.Logic | TS.FlagSize; c.FlagRes = r; return r; }
}

internal struct CmpOp : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(Cpu c, uint a, uint b) where TS : struct, ISize => 0;
    public static bool Writes => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = (a - b) & TS.Mask; c.SetFlags(FlagKind.Sub | TS.FlagSize, r, a, b); return r; }
}

internal struct TestOp : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(Cpu c, uint a, uint b) where TS : struct, ISize => 0;
    public static bool Writes => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a, uint b) where TS : struct, ISize
    { uint r = a & b; c.FlagOp = FlagKind.Logic | TS.FlagSize; c.FlagRes = r; return r; }
}

/// <summary>A one-operand read-modify-write operation (inc, dec, neg, not).</summary>
internal interface IUnaryOp
{
    static abstract uint Exec<TS>(Cpu c, uint a) where TS : struct, ISize;
    static abstract uint Pure<TS>(uint a) where TS : struct, ISize;
}

internal struct IncOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(uint a) where TS : struct, ISize => (a + 1) & TS.Mask;
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
    public static uint Pure<TS>(uint a) where TS : struct, ISize => (a - 1) & TS.Mask;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a) where TS : struct, ISize
    {
        uint cf = c.GetCF() ? 1u : 0u;
        uint r = (a - 1) & TS.Mask;
        c.FlagOp = FlagKind.Dec | TS.FlagSize; c.FlagRes = r; c.FlagAux = cf;
        return r;
    }
}

/// <summary>inc/dec when CF is dead afterwards: the other flags are recorded, the old CF is not computed.</summary>
internal struct IncNoCfOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(uint a) where TS : struct, ISize => (a + 1) & TS.Mask;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a) where TS : struct, ISize
    {
        uint r = (a + 1) & TS.Mask;
        c.FlagOp = FlagKind.Inc | TS.FlagSize; c.FlagRes = r; c.FlagAux = 0;
        return r;
    }
}

internal struct DecNoCfOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(uint a) where TS : struct, ISize => (a - 1) & TS.Mask;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a) where TS : struct, ISize
    {
        uint r = (a - 1) & TS.Mask;
        c.FlagOp = FlagKind.Dec | TS.FlagSize; c.FlagRes = r; c.FlagAux = 0;
        return r;
    }
}

internal struct NegOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(uint a) where TS : struct, ISize => (0 - a) & TS.Mask;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exec<TS>(Cpu c, uint a) where TS : struct, ISize
    { uint r = (0 - a) & TS.Mask; c.SetFlags(FlagKind.Neg | TS.FlagSize, r, 0, a); return r; }
}

internal struct NotOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(uint a) where TS : struct, ISize => ~a & TS.Mask;
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
        t[(int)Mnemonic.Inc] = (ref Op op, in Instruction ins, EmitContext ctx) =>
            ctx.FlagsLive(Cpu.CF) ? Unary<IncOp>(ref op, ins, ctx) : Unary<IncNoCfOp>(ref op, ins, ctx);
        t[(int)Mnemonic.Dec] = (ref Op op, in Instruction ins, EmitContext ctx) =>
            ctx.FlagsLive(Cpu.CF) ? Unary<DecOp>(ref op, ins, ctx) : Unary<DecNoCfOp>(ref op, ins, ctx);
        t[(int)Mnemonic.Neg] = Unary<NegOp>;
        t[(int)Mnemonic.Not] = Unary<NotOp>;
    }

    private static bool Binary<TOp>(ref Op op, in Instruction ins, EmitContext ctx) where TOp : struct, IBinaryOp
        => ctx.FlagsLive() || !TOp.Writes ? Binary<TOp, Yes>(ref op, ins, ctx) : Binary<TOp, No>(ref op, ins, ctx);

    private static bool Binary<TOp, TF>(ref Op op, in Instruction ins, EmitContext ctx) where TOp : struct, IBinaryOp where TF : struct, IFlag
        => ins.Op0Kind != OpKind.Memory && ins.Op1Kind != OpKind.Memory || ins.MemoryIndex != Register.None
            ? Binary<TOp, TF, AddrFull>(ref op, ins, ctx) : Binary<TOp, TF, AddrBaseDisp>(ref op, ins, ctx);

    private static bool Binary<TOp, TF, TA>(ref Op op, in Instruction ins, EmitContext ctx) where TOp : struct, IBinaryOp where TF : struct, IFlag where TA : struct, IAddr
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
                op.H = size switch { 1 => &RR<TOp, S8, TF>, 2 => &RR<TOp, S16, TF>, _ => &RR<TOp, S32, TF> };
                op.Cost = (ushort)m.Alu;
                return true;
            }
            if (k1 == OpKind.Memory)
            {
                if (!Mem(ref op, ins)) return false;
                op.H = size switch { 1 => &RM<TOp, S8, TF, TA>, 2 => &RM<TOp, S16, TF, TA>, _ => &RM<TOp, S32, TF, TA> };
                op.Cost = (ushort)m.Load;
                return true;
            }
            op.Imm = Imm(ins, 1);
            op.H = size switch { 1 => &RI<TOp, S8, TF>, 2 => &RI<TOp, S16, TF>, _ => &RI<TOp, S32, TF> };
            op.Cost = (ushort)m.Alu;
            return true;
        }
        if (k0 != OpKind.Memory || !Mem(ref op, ins)) return false;
        op.Cost = (ushort)(TOp.Writes ? (ins.HasLockPrefix ? m.Locked : m.LoadOpStore) : m.Load);
        if (k1 == OpKind.Register)
        {
            op.R1 = Gpr(ins.Op1Register);
            op.H = size switch { 1 => &MR<TOp, S8, TF, TA>, 2 => &MR<TOp, S16, TF, TA>, _ => &MR<TOp, S32, TF, TA> };
            return true;
        }
        op.Imm = Imm(ins, 1);
        op.H = size switch { 1 => &MI<TOp, S8, TF, TA>, 2 => &MI<TOp, S16, TF, TA>, _ => &MI<TOp, S32, TF, TA> };
        return true;
    }

    private static int RR<TOp, TS, TF>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize where TF : struct, IFlag
    {
        uint r = Do<TOp, TS, TF>(c, TS.Get(c, op->R0), TS.Get(c, op->R1));
        if (TOp.Writes) TS.Set(c, op->R0, r);
        return Exit.Next;
    }

    private static int RI<TOp, TS, TF>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize where TF : struct, IFlag
    {
        uint r = Do<TOp, TS, TF>(c, TS.Get(c, op->R0), op->Imm & TS.Mask);
        if (TOp.Writes) TS.Set(c, op->R0, r);
        return Exit.Next;
    }

    private static int RM<TOp, TS, TF, TA>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize where TF : struct, IFlag where TA : struct, IAddr
    {
        byte* p = c.FastRead<TA>(op, TS.Bytes);
        if (p == null) return RMSlow<TOp, TS, TF>(c, op);
        uint r = Do<TOp, TS, TF>(c, TS.Get(c, op->R0), TS.LoadPtr(p));
        if (TOp.Writes) TS.Set(c, op->R0, r);
        return Exit.Next;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RMSlow<TOp, TS, TF>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize where TF : struct, IFlag
    {
        uint lin = c.SegRead(op->Seg, Ea(c, op), TS.Bytes);
        uint b = TS.Load(c, lin);
        uint r = Do<TOp, TS, TF>(c, TS.Get(c, op->R0), b);
        if (TOp.Writes) TS.Set(c, op->R0, r);
        return Exit.Next;
    }

    private static int MR<TOp, TS, TF, TA>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize where TF : struct, IFlag where TA : struct, IAddr
    {
        byte* p = TOp.Writes ? c.FastWrite<TA>(op, TS.Bytes) : c.FastRead<TA>(op, TS.Bytes);
        if (p == null) return MRSlow<TOp, TS, TF>(c, op);
        uint r = Do<TOp, TS, TF>(c, TS.LoadPtr(p), TS.Get(c, op->R1));
        if (TOp.Writes) TS.StorePtr(p, r);
        return Exit.Next;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int MRSlow<TOp, TS, TF>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize where TF : struct, IFlag
        => MemOp<TOp, TS, TF>(c, op, TS.Get(c, op->R1));

    private static int MI<TOp, TS, TF, TA>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize where TF : struct, IFlag where TA : struct, IAddr
    {
        byte* p = TOp.Writes ? c.FastWrite<TA>(op, TS.Bytes) : c.FastRead<TA>(op, TS.Bytes);
        if (p == null) return MISlow<TOp, TS, TF>(c, op);
        uint r = Do<TOp, TS, TF>(c, TS.LoadPtr(p), op->Imm & TS.Mask);
        if (TOp.Writes) TS.StorePtr(p, r);
        return Exit.Next;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int MISlow<TOp, TS, TF>(Cpu c, Op* op) where TOp : struct, IBinaryOp where TS : struct, ISize where TF : struct, IFlag
        => MemOp<TOp, TS, TF>(c, op, op->Imm & TS.Mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MemOp<TOp, TS, TF>(Cpu c, Op* op, uint b) where TOp : struct, IBinaryOp where TS : struct, ISize where TF : struct, IFlag
    {
        uint ea = Ea(c, op);
        if (!TOp.Writes)
        {
            Do<TOp, TS, TF>(c, TS.Load(c, c.SegRead(op->Seg, ea, TS.Bytes)), b);
            return Exit.Next;
        }
        uint lin = c.SegWrite(op->Seg, ea, TS.Bytes);
        byte* p = c.RmwPtr(lin, TS.Bytes);
        if (p != null)
        {
            TS.StorePtr(p, Do<TOp, TS, TF>(c, TS.LoadPtr(p), b));
            return c.PendingExit;
        }
        TS.Store(c, lin, Do<TOp, TS, TF>(c, TS.Load(c, lin), b));
        return c.PendingExit;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Do<TOp, TS, TF>(Cpu c, uint a, uint b) where TOp : struct, IBinaryOp where TS : struct, ISize where TF : struct, IFlag
        => TF.Value ? TOp.Exec<TS>(c, a, b) : TOp.Pure<TS>(c, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint DoU<TOp, TS, TF>(Cpu c, uint a) where TOp : struct, IUnaryOp where TS : struct, ISize where TF : struct, IFlag
        => TF.Value ? TOp.Exec<TS>(c, a) : TOp.Pure<TS>(a);

    private static bool Unary<TOp>(ref Op op, in Instruction ins, EmitContext ctx) where TOp : struct, IUnaryOp
        => ctx.FlagsLive() ? Unary<TOp, Yes>(ref op, ins, ctx) : Unary<TOp, No>(ref op, ins, ctx);

    private static bool Unary<TOp, TF>(ref Op op, in Instruction ins, EmitContext ctx) where TOp : struct, IUnaryOp where TF : struct, IFlag
    {
        int size = Size(ins, 0);
        if (ins.Op0Kind == OpKind.Register)
        {
            op.R0 = Gpr(ins.Op0Register);
            op.H = size switch { 1 => &UR<TOp, S8, TF>, 2 => &UR<TOp, S16, TF>, _ => &UR<TOp, S32, TF> };
            op.Cost = (ushort)ctx.Model.Alu;
            return true;
        }
        if (!Mem(ref op, ins)) return false;
        op.H = size switch { 1 => &UM<TOp, S8, TF>, 2 => &UM<TOp, S16, TF>, _ => &UM<TOp, S32, TF> };
        op.Cost = (ushort)(ins.HasLockPrefix ? ctx.Model.Locked : ctx.Model.LoadOpStore);
        return true;
    }

    private static int UR<TOp, TS, TF>(Cpu c, Op* op) where TOp : struct, IUnaryOp where TS : struct, ISize where TF : struct, IFlag
    {
        TS.Set(c, op->R0, DoU<TOp, TS, TF>(c, TS.Get(c, op->R0)));
        return Exit.Next;
    }

    private static int UM<TOp, TS, TF>(Cpu c, Op* op) where TOp : struct, IUnaryOp where TS : struct, ISize where TF : struct, IFlag
    {
        uint lin = c.SegWrite(op->Seg, Ea(c, op), TS.Bytes);
        byte* p = c.RmwPtr(lin, TS.Bytes);
        if (p != null) TS.StorePtr(p, DoU<TOp, TS, TF>(c, TS.LoadPtr(p)));
        else TS.Store(c, lin, DoU<TOp, TS, TF>(c, TS.Load(c, lin)));
        return c.PendingExit;
    }
}
