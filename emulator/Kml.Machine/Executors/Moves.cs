using System.Runtime.CompilerServices;
using Iced.Intel;
using Kml.Machine.Decoding;
using static Kml.Machine.Decoding.Operands;

namespace Kml.Machine.Executors;

/// <summary>Data movement: mov (incl. segment registers), movzx/movsx, lea, xchg, xadd, cmpxchg(8b), conversions,
/// setcc, cmovcc, bswap, xlat, flag moves (lahf/sahf, clc/stc/cmc/cld/std), nops.</summary>
internal static unsafe class Moves
{
    public static void RegisterAll(Emitter?[] t)
    {
        t[(int)Mnemonic.Mov] = Mov;
        t[(int)Mnemonic.Movzx] = Movx;
        t[(int)Mnemonic.Movsx] = Movx;
        t[(int)Mnemonic.Lea] = Lea;
        t[(int)Mnemonic.Xchg] = Xchg;
        t[(int)Mnemonic.Xadd] = Xadd;
        t[(int)Mnemonic.Cmpxchg] = Cmpxchg;
        t[(int)Mnemonic.Cmpxchg8b] = Cmpxchg8b;
        t[(int)Mnemonic.Cbw] = Simple(&Cbw);
        t[(int)Mnemonic.Cwde] = Simple(&Cwde);
        t[(int)Mnemonic.Cwd] = Simple(&Cwd);
        t[(int)Mnemonic.Cdq] = Simple(&Cdq);
        t[(int)Mnemonic.Bswap] = Bswap;
        t[(int)Mnemonic.Xlatb] = Xlat;
        t[(int)Mnemonic.Lahf] = Simple(&Lahf);
        t[(int)Mnemonic.Sahf] = Simple(&Sahf);
        t[(int)Mnemonic.Clc] = Simple(&Clc);
        t[(int)Mnemonic.Stc] = Simple(&Stc);
        t[(int)Mnemonic.Cmc] = Simple(&Cmc);
        t[(int)Mnemonic.Cld] = Simple(&Cld);
        t[(int)Mnemonic.Std] = Simple(&Std);
        t[(int)Mnemonic.Nop] = Simple(&Nop);
        t[(int)Mnemonic.Pause] = Simple(&Nop);
        t[(int)Mnemonic.Endbr32] = Simple(&Nop);
        t[(int)Mnemonic.Wait] = Simple(&Nop);
        foreach (var m in new[] { Mnemonic.Seto, Mnemonic.Setno, Mnemonic.Setb, Mnemonic.Setae, Mnemonic.Sete, Mnemonic.Setne, Mnemonic.Setbe, Mnemonic.Seta,
                                  Mnemonic.Sets, Mnemonic.Setns, Mnemonic.Setp, Mnemonic.Setnp, Mnemonic.Setl, Mnemonic.Setge, Mnemonic.Setle, Mnemonic.Setg })
            t[(int)m] = Setcc;
        foreach (var m in new[] { Mnemonic.Cmovo, Mnemonic.Cmovno, Mnemonic.Cmovb, Mnemonic.Cmovae, Mnemonic.Cmove, Mnemonic.Cmovne, Mnemonic.Cmovbe, Mnemonic.Cmova,
                                  Mnemonic.Cmovs, Mnemonic.Cmovns, Mnemonic.Cmovp, Mnemonic.Cmovnp, Mnemonic.Cmovl, Mnemonic.Cmovge, Mnemonic.Cmovle, Mnemonic.Cmovg })
            t[(int)m] = Cmovcc;
    }

    /// <summary>An emitter for an operand-less instruction with a fixed handler.</summary>
    internal static Emitter Simple(delegate*<Cpu, Op*, int> h, bool system = false) => (ref Op op, in Instruction ins, EmitContext ctx) =>
    {
        op.H = h;
        op.Cost = (ushort)(system ? ctx.Model.System : ctx.Model.Alu);
        return true;
    };

    // ---------------- mov ----------------
    private static bool Mov(ref Op op, in Instruction ins, EmitContext ctx)
    {
        var m = ctx.Model;
        var k0 = ins.Op0Kind;
        var k1 = ins.Op1Kind;
        if (k0 == OpKind.Register && ins.Op0Register >= Register.ES && ins.Op0Register <= Register.GS)
            return SystemOps.EmitMovToSreg(ref op, ins, ctx);
        if (k1 == OpKind.Register && ins.Op1Register >= Register.ES && ins.Op1Register <= Register.GS)
        {
            op.R1 = SegIndex(ins.Op1Register);
            op.Cost = (ushort)m.Alu;
            if (k0 == OpKind.Register) { op.R0 = Gpr(ins.Op0Register); op.H = Size(ins, 0) == 2 ? &MovRSreg16 : &MovRSreg32; return true; }
            if (!Mem(ref op, ins)) return false;
            op.H = &MovMSreg;
            op.Cost = (ushort)m.Store;
            return true;
        }
        if ((k0 == OpKind.Register && !IsGpr(ins.Op0Register)) || (k1 == OpKind.Register && !IsGpr(ins.Op1Register)))
            return SystemOps.EmitMovCr(ref op, ins, ctx);
        int size = Size(ins, 0);
        if (k0 == OpKind.Register)
        {
            op.R0 = Gpr(ins.Op0Register);
            if (k1 == OpKind.Register)
            {
                op.R1 = Gpr(ins.Op1Register);
                op.H = size switch { 1 => &RR<S8>, 2 => &RR<S16>, _ => &RR<S32> };
                op.Cost = (ushort)m.Alu;
                return true;
            }
            if (k1 == OpKind.Memory)
            {
                if (!Mem(ref op, ins)) return false;
                op.H = IsBaseDisp(op) ? size switch { 1 => &RM<S8, AddrBaseDisp>, 2 => &RM<S16, AddrBaseDisp>, _ => &RM<S32, AddrBaseDisp> }
                    : size switch { 1 => &RM<S8, AddrFull>, 2 => &RM<S16, AddrFull>, _ => &RM<S32, AddrFull> };
                op.Cost = (ushort)m.Load;
                return true;
            }
            op.Imm = Imm(ins, 1);
            op.H = size switch { 1 => &RI<S8>, 2 => &RI<S16>, _ => &RI<S32> };
            op.Cost = (ushort)m.Alu;
            return true;
        }
        if (!Mem(ref op, ins)) return false;
        op.Cost = (ushort)m.Store;
        if (k1 == OpKind.Register)
        {
            op.R1 = Gpr(ins.Op1Register);
            op.H = IsBaseDisp(op) ? size switch { 1 => &MR<S8, AddrBaseDisp>, 2 => &MR<S16, AddrBaseDisp>, _ => &MR<S32, AddrBaseDisp> }
                : size switch { 1 => &MR<S8, AddrFull>, 2 => &MR<S16, AddrFull>, _ => &MR<S32, AddrFull> };
            return true;
        }
        op.Imm = Imm(ins, 1);
        op.H = IsBaseDisp(op) ? size switch { 1 => &MI<S8, AddrBaseDisp>, 2 => &MI<S16, AddrBaseDisp>, _ => &MI<S32, AddrBaseDisp> }
            : size switch { 1 => &MI<S8, AddrFull>, 2 => &MI<S16, AddrFull>, _ => &MI<S32, AddrFull> };
        return true;
    }

    private static int RR<TS>(Cpu c, Op* op) where TS : struct, ISize { TS.Set(c, op->R0, TS.Get(c, op->R1)); return Exit.Next; }
    private static int RI<TS>(Cpu c, Op* op) where TS : struct, ISize { TS.Set(c, op->R0, op->Imm); return Exit.Next; }
    private static int RM<TS, TA>(Cpu c, Op* op) where TS : struct, ISize where TA : struct, IAddr
    {
        byte* p = c.FastRead<TA>(op, TS.Bytes);
        if (p == null) return RMSlow<TS>(c, op);
        TS.Set(c, op->R0, TS.LoadPtr(p));
        return Exit.Next;
    }
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RMSlow<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        TS.Set(c, op->R0, TS.Load(c, c.SegRead(op->Seg, Ea(c, op), TS.Bytes)));
        return Exit.Next;
    }
    private static int MR<TS, TA>(Cpu c, Op* op) where TS : struct, ISize where TA : struct, IAddr
    {
        byte* p = c.FastWrite<TA>(op, TS.Bytes);
        if (p == null) return MRSlow<TS>(c, op);
        TS.StorePtr(p, TS.Get(c, op->R1));
        return Exit.Next;
    }
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int MRSlow<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        TS.Store(c, c.SegWrite(op->Seg, Ea(c, op), TS.Bytes), TS.Get(c, op->R1));
        return c.PendingExit;
    }
    private static int MI<TS, TA>(Cpu c, Op* op) where TS : struct, ISize where TA : struct, IAddr
    {
        byte* p = c.FastWrite<TA>(op, TS.Bytes);
        if (p == null) return MISlow<TS>(c, op);
        TS.StorePtr(p, op->Imm);
        return Exit.Next;
    }
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int MISlow<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        TS.Store(c, c.SegWrite(op->Seg, Ea(c, op), TS.Bytes), op->Imm);
        return c.PendingExit;
    }

    private static int MovRSreg32(Cpu c, Op* op) { c.Reg(op->R0) = c.SegAt(op->R1).Selector; return Exit.Next; }
    private static int MovRSreg16(Cpu c, Op* op) { S16.Set(c, op->R0, c.SegAt(op->R1).Selector); return Exit.Next; }
    private static int MovMSreg(Cpu c, Op* op)
    {
        c.Write16(c.SegWrite(op->Seg, Ea(c, op), 2), c.SegAt(op->R1).Selector);
        return c.PendingExit;
    }

    // ---------------- movzx / movsx ----------------
    private static bool Movx(ref Op op, in Instruction ins, EmitContext ctx)
    {
        int dst = Size(ins, 0), src = Size(ins, 1);
        bool sign = ins.Mnemonic == Mnemonic.Movsx;
        op.R0 = Gpr(ins.Op0Register);
        bool mem = ins.Op1Kind == OpKind.Memory;
        if (mem) { if (!Mem(ref op, ins)) return false; }
        else op.R1 = Gpr(ins.Op1Register);
        op.Cost = (ushort)(mem ? ctx.Model.Load : ctx.Model.Alu);
        op.H = (dst, src, sign, mem) switch
        {
            (4, 1, false, false) => &XR<S8, S32, No>,
            (4, 1, true, false) => &XR<S8, S32, Yes>,
            (4, 2, false, false) => &XR<S16, S32, No>,
            (4, 2, true, false) => &XR<S16, S32, Yes>,
            (2, 1, false, false) => &XR<S8, S16, No>,
            (2, 1, true, false) => &XR<S8, S16, Yes>,
            (2, 2, _, false) => &XR<S16, S16, No>,
            (4, 1, false, true) => &XM<S8, S32, No>,
            (4, 1, true, true) => &XM<S8, S32, Yes>,
            (4, 2, false, true) => &XM<S16, S32, No>,
            (4, 2, true, true) => &XM<S16, S32, Yes>,
            (2, 1, false, true) => &XM<S8, S16, No>,
            (2, 1, true, true) => &XM<S8, S16, Yes>,
            (2, 2, _, true) => &XM<S16, S16, No>,
            _ => null,
        };
        return op.H != null;
    }

    private static uint Extend<TSrc, TSign>(uint v) where TSrc : struct, ISize where TSign : struct, IFlag
        => TSign.Value ? (TSrc.Bytes == 1 ? (uint)(sbyte)v : (uint)(short)v) : v;

    private static int XR<TSrc, TDst, TSign>(Cpu c, Op* op) where TSrc : struct, ISize where TDst : struct, ISize where TSign : struct, IFlag
    {
        TDst.Set(c, op->R0, Extend<TSrc, TSign>(TSrc.Get(c, op->R1)));
        return Exit.Next;
    }

    private static int XM<TSrc, TDst, TSign>(Cpu c, Op* op) where TSrc : struct, ISize where TDst : struct, ISize where TSign : struct, IFlag
    {
        byte* p = c.FastRead(op, TSrc.Bytes);
        if (p == null) return XMSlow<TSrc, TDst, TSign>(c, op);
        TDst.Set(c, op->R0, Extend<TSrc, TSign>(TSrc.LoadPtr(p)));
        return Exit.Next;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int XMSlow<TSrc, TDst, TSign>(Cpu c, Op* op) where TSrc : struct, ISize where TDst : struct, ISize where TSign : struct, IFlag
    {
        TDst.Set(c, op->R0, Extend<TSrc, TSign>(TSrc.Load(c, c.SegRead(op->Seg, Ea(c, op), TSrc.Bytes))));
        return Exit.Next;
    }

    // ---------------- lea ----------------
    private static bool Lea(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (!Mem(ref op, ins)) return false;
        op.R0 = Gpr(ins.Op0Register);
        op.Cost = (ushort)ctx.Model.Alu;
        op.H = Size(ins, 0) == 2 ? &Lea16 : &Lea32;
        return true;
    }

    private static int Lea32(Cpu c, Op* op) { c.Reg(op->R0) = Ea(c, op); return Exit.Next; }
    private static int Lea16(Cpu c, Op* op) { S16.Set(c, op->R0, Ea(c, op)); return Exit.Next; }

    // ---------------- xchg / xadd / cmpxchg ----------------
    private static bool Xchg(ref Op op, in Instruction ins, EmitContext ctx)
    {
        int size = Size(ins, 0);
        if (ins.Op0Kind == OpKind.Register && ins.Op1Kind == OpKind.Register)
        {
            op.R0 = Gpr(ins.Op0Register); op.R1 = Gpr(ins.Op1Register);
            op.H = size switch { 1 => &XchgRR<S8>, 2 => &XchgRR<S16>, _ => &XchgRR<S32> };
            op.Cost = (ushort)ctx.Model.Alu;
            return true;
        }
        // xchg with memory: the register is whichever operand is not memory.
        op.R0 = Gpr(ins.Op0Kind == OpKind.Register ? ins.Op0Register : ins.Op1Register);
        if (!Mem(ref op, ins)) return false;
        op.H = size switch { 1 => &XchgRM<S8>, 2 => &XchgRM<S16>, _ => &XchgRM<S32> };
        op.Cost = (ushort)ctx.Model.Locked;
        return true;
    }

    private static int XchgRR<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        uint a = TS.Get(c, op->R0), b = TS.Get(c, op->R1);
        TS.Set(c, op->R0, b); TS.Set(c, op->R1, a);
        return Exit.Next;
    }

    private static int XchgRM<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        uint lin = c.SegWrite(op->Seg, Ea(c, op), TS.Bytes);
        byte* p = c.RmwPtr(lin, TS.Bytes);
        uint old;
        if (p != null) { old = TS.LoadPtr(p); TS.StorePtr(p, TS.Get(c, op->R0)); }
        else { old = TS.Load(c, lin); TS.Store(c, lin, TS.Get(c, op->R0)); }
        TS.Set(c, op->R0, old);
        return c.PendingExit;
    }

    private static bool Xadd(ref Op op, in Instruction ins, EmitContext ctx)
    {
        int size = Size(ins, 0);
        op.R1 = Gpr(ins.Op1Register);
        if (ins.Op0Kind == OpKind.Register)
        {
            op.R0 = Gpr(ins.Op0Register);
            op.H = size switch { 1 => &XaddRR<S8>, 2 => &XaddRR<S16>, _ => &XaddRR<S32> };
            op.Cost = (ushort)ctx.Model.Alu;
            return true;
        }
        if (!Mem(ref op, ins)) return false;
        op.H = size switch { 1 => &XaddM<S8>, 2 => &XaddM<S16>, _ => &XaddM<S32> };
        op.Cost = (ushort)ctx.Model.Locked;
        return true;
    }

    private static int XaddRR<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        uint a = TS.Get(c, op->R0), b = TS.Get(c, op->R1);
        uint r = AddOp.Exec<TS>(c, a, b);
        TS.Set(c, op->R1, a);
        TS.Set(c, op->R0, r);
        return Exit.Next;
    }

    private static int XaddM<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        uint lin = c.SegWrite(op->Seg, Ea(c, op), TS.Bytes);
        byte* p = c.RmwPtr(lin, TS.Bytes);
        uint b = TS.Get(c, op->R1);
        uint a = p != null ? TS.LoadPtr(p) : TS.Load(c, lin);
        uint r = AddOp.Exec<TS>(c, a, b);
        if (p != null) TS.StorePtr(p, r); else TS.Store(c, lin, r);
        TS.Set(c, op->R1, a);
        return c.PendingExit;
    }

    private static bool Cmpxchg(ref Op op, in Instruction ins, EmitContext ctx)
    {
        int size = Size(ins, 0);
        op.R1 = Gpr(ins.Op1Register);
        if (ins.Op0Kind == OpKind.Register)
        {
            op.R0 = Gpr(ins.Op0Register);
            op.H = size switch { 1 => &CmpxchgR<S8>, 2 => &CmpxchgR<S16>, _ => &CmpxchgR<S32> };
            op.Cost = (ushort)ctx.Model.Alu;
            return true;
        }
        if (!Mem(ref op, ins)) return false;
        op.H = size switch { 1 => &CmpxchgM<S8>, 2 => &CmpxchgM<S16>, _ => &CmpxchgM<S32> };
        op.Cost = (ushort)ctx.Model.Locked;
        return true;
    }

    private static int CmpxchgR<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        uint acc = TS.Get(c, 0), d = TS.Get(c, op->R0);
        CmpOp.Exec<TS>(c, acc, d);
        if (acc == d) TS.Set(c, op->R0, TS.Get(c, op->R1));
        else TS.Set(c, 0, d);
        return Exit.Next;
    }

    private static int CmpxchgM<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        uint lin = c.SegWrite(op->Seg, Ea(c, op), TS.Bytes);
        byte* p = c.RmwPtr(lin, TS.Bytes);
        uint acc = TS.Get(c, 0);
        uint d = p != null ? TS.LoadPtr(p) : TS.Load(c, lin);
        CmpOp.Exec<TS>(c, acc, d);
        // The destination is always written (with its old value when the comparison fails), as the CPU does.
        uint w = acc == d ? TS.Get(c, op->R1) : d;
        if (p != null) TS.StorePtr(p, w); else TS.Store(c, lin, w);
        if (acc != d) TS.Set(c, 0, d);
        return c.PendingExit;
    }

    private static bool Cmpxchg8b(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (!Mem(ref op, ins)) return false;
        op.H = &Cmpxchg8bM;
        op.Cost = (ushort)ctx.Model.Locked;
        return true;
    }

    private static int Cmpxchg8bM(Cpu c, Op* op)
    {
        uint lin = c.SegWrite(op->Seg, Ea(c, op), 8);
        c.ProbeWrite(lin, 8);
        ulong m = c.Read64(lin);
        ulong cmp = c.Reg(0) | ((ulong)c.Reg(2) << 32);
        uint f = c.Arith();
        if (m == cmp)
        {
            c.Write64(lin, c.Reg(3) | ((ulong)c.Reg(1) << 32));
            c.SetArith(f | Cpu.ZF);
        }
        else
        {
            c.Write64(lin, m);
            c.Reg(0) = (uint)m; c.Reg(2) = (uint)(m >> 32);
            c.SetArith(f & ~Cpu.ZF);
        }
        return c.PendingExit;
    }

    // ---------------- conversions ----------------
    private static int Cbw(Cpu c, Op* op) { S16.Set(c, 0, (uint)(sbyte)c.Reg(0)); return Exit.Next; }
    private static int Cwde(Cpu c, Op* op) { c.Reg(0) = (uint)(short)c.Reg(0); return Exit.Next; }
    private static int Cwd(Cpu c, Op* op) { S16.Set(c, 2, (short)c.Reg(0) < 0 ? 0xFFFFu : 0); return Exit.Next; }
    private static int Cdq(Cpu c, Op* op) { c.Reg(2) = (uint)((int)c.Reg(0) >> 31); return Exit.Next; }

    private static bool Bswap(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (Size(ins, 0) != 4) return false;
        op.R0 = Gpr(ins.Op0Register);
        op.H = &BswapR;
        op.Cost = (ushort)ctx.Model.Alu;
        return true;
    }

    private static int BswapR(Cpu c, Op* op) { c.Reg(op->R0) = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(c.Reg(op->R0)); return Exit.Next; }

    private static bool Xlat(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (ins.MemoryBase != Register.EBX) return false; // 16-bit addressing
        op.Seg = SegIndex(ins.MemorySegment);
        op.H = &XlatM;
        op.Cost = (ushort)ctx.Model.Load;
        return true;
    }

    private static int XlatM(Cpu c, Op* op)
    {
        uint ea = c.Reg(3) + (c.Reg(0) & 0xFF);
        S8.Set(c, 0, c.Read8(c.SegRead(op->Seg, ea, 1)));
        return Exit.Next;
    }

    // ---------------- flags ----------------
    private static int Lahf(Cpu c, Op* op) { S8.Set(c, 4, c.Arith() | 2); return Exit.Next; }
    private static int Sahf(Cpu c, Op* op)
    {
        uint ah = (c.Reg(0) >> 8) & (Cpu.SF | Cpu.ZF | Cpu.AF | Cpu.PF | Cpu.CF);
        c.SetArith((c.Arith() & Cpu.OF) | ah);
        return Exit.Next;
    }
    private static int Clc(Cpu c, Op* op) { c.SetArith(c.Arith() & ~Cpu.CF); return Exit.Next; }
    private static int Stc(Cpu c, Op* op) { c.SetArith(c.Arith() | Cpu.CF); return Exit.Next; }
    private static int Cmc(Cpu c, Op* op) { c.SetArith(c.Arith() ^ Cpu.CF); return Exit.Next; }
    private static int Cld(Cpu c, Op* op) { c.EflagsRest &= ~Cpu.DF; return Exit.Next; }
    private static int Std(Cpu c, Op* op) { c.EflagsRest |= Cpu.DF; return Exit.Next; }
    private static int Nop(Cpu c, Op* op) => Exit.Next;
    internal static int NopOp(Cpu c, Op* op) => Exit.Next;

    // ---------------- setcc / cmovcc ----------------
    private static bool Setcc(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Aux = (byte)Cc(ins.ConditionCode);
        if (ins.Op0Kind == OpKind.Register) { op.R0 = Gpr(ins.Op0Register); op.H = &SetR; op.Cost = (ushort)ctx.Model.Alu; return true; }
        if (!Mem(ref op, ins)) return false;
        op.H = &SetM;
        op.Cost = (ushort)ctx.Model.Store;
        return true;
    }

    /// <summary>Intel condition-code number (0 = O … 15 = G) of an Iced condition.</summary>
    internal static int Cc(ConditionCode cc) => cc switch
    {
        ConditionCode.o => 0, ConditionCode.no => 1, ConditionCode.b => 2, ConditionCode.ae => 3,
        ConditionCode.e => 4, ConditionCode.ne => 5, ConditionCode.be => 6, ConditionCode.a => 7,
        ConditionCode.s => 8, ConditionCode.ns => 9, ConditionCode.p => 10, ConditionCode.np => 11,
        ConditionCode.l => 12, ConditionCode.ge => 13, ConditionCode.le => 14, ConditionCode.g => 15,
        _ => throw new NotSupportedException($"condition {cc}"),
    };

    private static int SetR(Cpu c, Op* op) { S8.Set(c, op->R0, c.Condition(op->Aux) ? 1u : 0); return Exit.Next; }
    private static int SetM(Cpu c, Op* op)
    {
        c.Write8(c.SegWrite(op->Seg, Ea(c, op), 1), c.Condition(op->Aux) ? 1u : 0);
        return c.PendingExit;
    }

    private static bool Cmovcc(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Aux = (byte)Cc(ins.ConditionCode);
        op.R0 = Gpr(ins.Op0Register);
        bool w = Size(ins, 0) == 2;
        if (ins.Op1Kind == OpKind.Register) { op.R1 = Gpr(ins.Op1Register); op.H = w ? &CmovR<S16> : &CmovR<S32>; op.Cost = (ushort)ctx.Model.Alu; return true; }
        if (!Mem(ref op, ins)) return false;
        op.H = w ? &CmovM<S16> : &CmovM<S32>;
        op.Cost = (ushort)ctx.Model.Load;
        return true;
    }

    private static int CmovR<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        if (c.Condition(op->Aux)) TS.Set(c, op->R0, TS.Get(c, op->R1));
        return Exit.Next;
    }

    private static int CmovM<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        uint v = TS.Load(c, c.SegRead(op->Seg, Ea(c, op), TS.Bytes)); // the source is read whatever the condition
        if (c.Condition(op->Aux)) TS.Set(c, op->R0, v);
        return Exit.Next;
    }
}
