using System.Runtime.CompilerServices;
using Iced.Intel;
using Kml.Machine.Decoding;
using static Kml.Machine.Decoding.Operands;

namespace Kml.Machine.Executors;

/// <summary>A shift or rotate: given the operand and a non-zero masked count, returns the result and sets the flags.</summary>
internal interface IShiftOp
{
    static abstract uint Exec<TS>(Cpu c, uint a, int count) where TS : struct, ISize;
    /// <summary>False for rcl/rcr (their result depends on CF).</summary>
    static abstract bool HasPure { get; }
    static abstract uint Pure<TS>(uint a, int count) where TS : struct, ISize;
}

internal struct ShlOp : IShiftOp
{
    public static bool HasPure => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(uint a, int n) where TS : struct, ISize => n < 32 ? (a << n) & TS.Mask : 0;
    public static uint Exec<TS>(Cpu c, uint a, int n) where TS : struct, ISize
    {
        int bits = TS.Bits;
        uint r = n < 32 ? (a << n) & TS.Mask : 0;
        uint cf = n <= bits ? (a >> (bits - n)) & 1 : 0;
        uint of = ((r >> (bits - 1)) & 1) ^ cf;
        c.SetFlagsAux(TS.FlagSize, r, cf | (of << 11));
        return r;
    }
}

internal struct ShrOp : IShiftOp
{
    public static bool HasPure => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(uint a, int n) where TS : struct, ISize => n < 32 ? a >> n : 0;
    public static uint Exec<TS>(Cpu c, uint a, int n) where TS : struct, ISize
    {
        int bits = TS.Bits;
        uint r = n < 32 ? a >> n : 0;
        uint cf = n <= bits ? (a >> (n - 1)) & 1 : 0;
        uint of = n == 1 ? (a >> (bits - 1)) & 1 : 0;
        c.SetFlagsAux(TS.FlagSize, r, cf | (of << 11));
        return r;
    }
}

internal struct SarOp : IShiftOp
{
    public static bool HasPure => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(uint a, int n) where TS : struct, ISize => (uint)(((int)(a << (32 - TS.Bits)) >> (32 - TS.Bits)) >> Math.Min(n, TS.Bits - 1)) & TS.Mask;
    public static uint Exec<TS>(Cpu c, uint a, int n) where TS : struct, ISize
    {
        int bits = TS.Bits;
        int sa = (int)(a << (32 - bits)) >> (32 - bits);
        int k = Math.Min(n, bits);
        uint r = (uint)(k >= 32 ? sa >> 31 : sa >> k) & TS.Mask;
        uint cf = (uint)(sa >> (k - 1)) & 1;
        c.SetFlagsAux(TS.FlagSize, r, cf);
        return r;
    }
}

internal struct RolOp : IShiftOp
{
    public static bool HasPure => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(uint a, int n) where TS : struct, ISize => (n & (TS.Bits - 1)) == 0 ? a : ((a << (n & (TS.Bits - 1))) | (a >> (TS.Bits - (n & (TS.Bits - 1))))) & TS.Mask;
    public static uint Exec<TS>(Cpu c, uint a, int n) where TS : struct, ISize
    {
        int bits = TS.Bits;
        int k = n & (bits - 1);
        uint r = k == 0 ? a : ((a << k) | (a >> (bits - k))) & TS.Mask;
        uint cf = r & 1;
        uint of = ((r >> (bits - 1)) & 1) ^ cf;
        c.SetArith((c.Arith() & ~(Cpu.CF | Cpu.OF)) | cf | (of << 11));
        return r;
    }
}

internal struct RorOp : IShiftOp
{
    public static bool HasPure => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pure<TS>(uint a, int n) where TS : struct, ISize => (n & (TS.Bits - 1)) == 0 ? a : ((a >> (n & (TS.Bits - 1))) | (a << (TS.Bits - (n & (TS.Bits - 1))))) & TS.Mask;
    public static uint Exec<TS>(Cpu c, uint a, int n) where TS : struct, ISize
    {
        int bits = TS.Bits;
        int k = n & (bits - 1);
        uint r = k == 0 ? a : ((a >> k) | (a << (bits - k))) & TS.Mask;
        uint cf = (r >> (bits - 1)) & 1;
        uint of = cf ^ ((r >> (bits - 2)) & 1);
        c.SetArith((c.Arith() & ~(Cpu.CF | Cpu.OF)) | cf | (of << 11));
        return r;
    }
}

internal struct RclOp : IShiftOp
{
    public static bool HasPure => false;
    public static uint Pure<TS>(uint a, int n) where TS : struct, ISize => throw new InvalidOperationException();
    public static uint Exec<TS>(Cpu c, uint a, int n) where TS : struct, ISize
    {
        int bits = TS.Bits;
        int k = n % (bits + 1);
        uint f = c.Arith();
        if (k == 0) return a;
        ulong wide = ((ulong)(f & Cpu.CF) << bits) | a; // bits+1 wide value: CF above the operand
        ulong m = (1ul << (bits + 1)) - 1;
        wide = ((wide << k) | (wide >> (bits + 1 - k))) & m;
        uint r = (uint)wide & TS.Mask;
        uint cf = (uint)(wide >> bits) & 1;
        uint of = ((r >> (bits - 1)) & 1) ^ cf;
        c.SetArith((f & ~(Cpu.CF | Cpu.OF)) | cf | (of << 11));
        return r;
    }
}

internal struct RcrOp : IShiftOp
{
    public static bool HasPure => false;
    public static uint Pure<TS>(uint a, int n) where TS : struct, ISize => throw new InvalidOperationException();
    public static uint Exec<TS>(Cpu c, uint a, int n) where TS : struct, ISize
    {
        int bits = TS.Bits;
        int k = n % (bits + 1);
        uint f = c.Arith();
        if (k == 0) return a;
        ulong wide = ((ulong)(f & Cpu.CF) << bits) | a;
        ulong m = (1ul << (bits + 1)) - 1;
        wide = ((wide >> k) | (wide << (bits + 1 - k))) & m;
        uint r = (uint)wide & TS.Mask;
        uint cf = (uint)(wide >> bits) & 1;
        uint of = ((r >> (bits - 1)) ^ (r >> (bits - 2))) & 1;
        c.SetArith((f & ~(Cpu.CF | Cpu.OF)) | cf | (of << 11));
        return r;
    }
}

/// <summary>Shifts and rotates (incl. rcl/rcr, shld/shrd), bit tests (bt/bts/btr/btc), bit scans (bsf/bsr).</summary>
internal static unsafe class Bits
{
    public static void RegisterAll(Emitter?[] t)
    {
        t[(int)Mnemonic.Shl] = Shift<ShlOp>;
        t[(int)Mnemonic.Sal] = Shift<ShlOp>;
        t[(int)Mnemonic.Shr] = Shift<ShrOp>;
        t[(int)Mnemonic.Sar] = Shift<SarOp>;
        t[(int)Mnemonic.Rol] = Shift<RolOp>;
        t[(int)Mnemonic.Ror] = Shift<RorOp>;
        t[(int)Mnemonic.Rcl] = Shift<RclOp>;
        t[(int)Mnemonic.Rcr] = Shift<RcrOp>;
        t[(int)Mnemonic.Shld] = DoubleShift;
        t[(int)Mnemonic.Shrd] = DoubleShift;
        t[(int)Mnemonic.Bt] = BitTest;
        t[(int)Mnemonic.Bts] = BitTest;
        t[(int)Mnemonic.Btr] = BitTest;
        t[(int)Mnemonic.Btc] = BitTest;
        t[(int)Mnemonic.Bsf] = Scan;
        t[(int)Mnemonic.Bsr] = Scan;
        // F3 0F BC/BD: tzcnt/lzcnt on CPUs with BMI1/ABM. Ours reports neither in CPUID, and such a CPU executes the
        // bytes as rep bsf / rep bsr, i.e. exactly bsf/bsr (flags, and the destination kept when the source is zero).
        t[(int)Mnemonic.Tzcnt] = Scan;
        t[(int)Mnemonic.Lzcnt] = Scan;
    }

    // ---------------- shifts and rotates ----------------
    private static bool Shift<TOp>(ref Op op, in Instruction ins, EmitContext ctx) where TOp : struct, IShiftOp
        => ctx.FlagsLive() || !TOp.HasPure ? Shift<TOp, Yes>(ref op, ins, ctx) : Shift<TOp, No>(ref op, ins, ctx);

    private static bool Shift<TOp, TF>(ref Op op, in Instruction ins, EmitContext ctx) where TOp : struct, IShiftOp where TF : struct, IFlag
    {
        int size = Size(ins, 0);
        // Count: CL (Aux = 1) or an immediate (including the implicit 1).
        if (ins.Op1Kind == OpKind.Register) op.Aux = 1;
        else op.Imm = ins.GetImmediate(1) is var v ? (uint)v & 31 : 0;
        bool mem = ins.Op0Kind == OpKind.Memory;
        if (mem) { if (!Mem(ref op, ins)) return false; }
        else op.R0 = Gpr(ins.Op0Register);
        op.Cost = (ushort)(mem ? ctx.Model.LoadOpStore : ctx.Model.Shift);
        if (!mem && op.Aux == 0)
        {
            // Immediate count: a count of 0 is a no-op (flags unchanged), otherwise no run-time count check.
            if (op.Imm == 0) { op.H = &Moves.NopOp; return true; }
            op.H = size switch { 1 => &ShRI<TOp, S8, TF>, 2 => &ShRI<TOp, S16, TF>, _ => &ShRI<TOp, S32, TF> };
            return true;
        }
        op.H = (size, mem) switch
        {
            (1, false) => &ShR<TOp, S8, TF>, (2, false) => &ShR<TOp, S16, TF>, (_, false) => &ShR<TOp, S32, TF>,
            (1, true) => &ShM<TOp, S8, TF>, (2, true) => &ShM<TOp, S16, TF>, _ => &ShM<TOp, S32, TF>,
        };
        return true;
    }

    private static int Count(Cpu c, Op* op) => (int)((op->Aux == 1 ? c.Reg(1) : op->Imm) & 31);

    private static int ShR<TOp, TS, TF>(Cpu c, Op* op) where TOp : struct, IShiftOp where TS : struct, ISize where TF : struct, IFlag
    {
        int n = Count(c, op);
        if (n != 0) TS.Set(c, op->R0, TF.Value ? TOp.Exec<TS>(c, TS.Get(c, op->R0), n) : TOp.Pure<TS>(TS.Get(c, op->R0), n));
        return Exit.Next;
    }

    private static int ShRI<TOp, TS, TF>(Cpu c, Op* op) where TOp : struct, IShiftOp where TS : struct, ISize where TF : struct, IFlag
    {
        int n = (int)op->Imm;
        TS.Set(c, op->R0, TF.Value ? TOp.Exec<TS>(c, TS.Get(c, op->R0), n) : TOp.Pure<TS>(TS.Get(c, op->R0), n));
        return Exit.Next;
    }

    private static int ShM<TOp, TS, TF>(Cpu c, Op* op) where TOp : struct, IShiftOp where TS : struct, ISize where TF : struct, IFlag
    {
        int n = Count(c, op);
        uint lin = c.SegWrite(op->Seg, Ea(c, op), TS.Bytes);
        byte* p = c.RmwPtr(lin, TS.Bytes);
        uint a = p != null ? TS.LoadPtr(p) : TS.Load(c, lin);
        if (n == 0) return Exit.Next;
        uint r = TF.Value ? TOp.Exec<TS>(c, a, n) : TOp.Pure<TS>(a, n);
        if (p != null) TS.StorePtr(p, r); else TS.Store(c, lin, r);
        return c.PendingExit;
    }

    private static bool DoubleShift(ref Op op, in Instruction ins, EmitContext ctx)
    {
        int size = Size(ins, 0);
        if (size == 1) return false;
        op.R1 = Gpr(ins.Op1Register);
        if (ins.Op2Kind == OpKind.Register) op.Aux = 1; else op.Imm = (uint)ins.GetImmediate(2) & 31;
        bool left = ins.Mnemonic == Mnemonic.Shld;
        op.Imm2 = left ? 1u : 0u;
        bool mem = ins.Op0Kind == OpKind.Memory;
        if (mem) { if (!Mem(ref op, ins)) return false; }
        else op.R0 = Gpr(ins.Op0Register);
        op.Cost = (ushort)(mem ? ctx.Model.LoadOpStore : ctx.Model.Shift);
        op.H = (size, mem) switch
        {
            (2, false) => &DshR<S16>, (_, false) => &DshR<S32>,
            (2, true) => &DshM<S16>, _ => &DshM<S32>,
        };
        return true;
    }

    private static uint DoubleExec<TS>(Cpu c, uint d, uint s, int n, bool left) where TS : struct, ISize
    {
        int bits = TS.Bits;
        uint r, cf;
        if (bits == 32)
        {
            if (left) { r = (d << n) | (s >> (32 - n)); cf = (d >> (32 - n)) & 1; }
            else { r = (d >> n) | (s << (32 - n)); cf = (d >> (n - 1)) & 1; }
        }
        else
        {
            // 16-bit: shift within dst:src:dst (counts above 16 give architecturally undefined results).
            ulong w = ((ulong)d << 32) | ((ulong)s << 16) | d;
            if (left) { r = (uint)(w >> (32 - n)) & 0xFFFF; cf = (uint)(w >> (48 - n)) & 1; }
            else { r = (uint)(w >> n) & 0xFFFF; cf = (uint)(w >> (n - 1)) & 1; }
        }
        r &= TS.Mask;
        uint of = ((r ^ d) >> (bits - 1)) & 1;
        c.SetFlagsAux(TS.FlagSize, r, cf | (of << 11));
        return r;
    }

    private static int DshR<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        int n = Count(c, op);
        if (n == 0) return Exit.Next;
        TS.Set(c, op->R0, DoubleExec<TS>(c, TS.Get(c, op->R0), TS.Get(c, op->R1), n, op->Imm2 != 0));
        return Exit.Next;
    }

    private static int DshM<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        int n = Count(c, op);
        uint lin = c.SegWrite(op->Seg, Ea(c, op), TS.Bytes);
        byte* p = c.RmwPtr(lin, TS.Bytes);
        uint a = p != null ? TS.LoadPtr(p) : TS.Load(c, lin);
        if (n == 0) return Exit.Next;
        uint r = DoubleExec<TS>(c, a, TS.Get(c, op->R1), n, op->Imm2 != 0);
        if (p != null) TS.StorePtr(p, r); else TS.Store(c, lin, r);
        return c.PendingExit;
    }

    // ---------------- bit test ----------------
    // Imm2: 0 = bt, 1 = bts, 2 = btr, 3 = btc. Aux: 1 when the bit offset is a register.
    private static bool BitTest(ref Op op, in Instruction ins, EmitContext ctx)
    {
        int size = Size(ins, 0);
        if (size == 1) return false;
        op.Imm2 = ins.Mnemonic switch { Mnemonic.Bt => 0u, Mnemonic.Bts => 1u, Mnemonic.Btr => 2u, _ => 3u };
        if (ins.Op1Kind == OpKind.Register) { op.Aux = 1; op.R1 = Gpr(ins.Op1Register); }
        else op.Imm = (uint)ins.GetImmediate(1);
        bool mem = ins.Op0Kind == OpKind.Memory;
        if (mem) { if (!Mem(ref op, ins)) return false; }
        else op.R0 = Gpr(ins.Op0Register);
        op.Cost = (ushort)(mem ? (op.Imm2 == 0 ? ctx.Model.Load : ctx.Model.LoadOpStore) : ctx.Model.Shift);
        op.H = (size, mem) switch
        {
            (2, false) => &BtR<S16>, (_, false) => &BtR<S32>,
            (2, true) => &BtM<S16>, _ => &BtM<S32>,
        };
        return true;
    }

    private static uint BitOp(Cpu c, uint v, int bit, uint kind)
    {
        uint cf = (v >> bit) & 1;
        c.SetArith((c.Arith() & ~Cpu.CF) | cf);
        return kind switch { 1 => v | (1u << bit), 2 => v & ~(1u << bit), 3 => v ^ (1u << bit), _ => v };
    }

    private static int BtR<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        uint off = op->Aux == 1 ? TS.Get(c, op->R1) : op->Imm;
        int bit = (int)(off & (uint)(TS.Bits - 1));
        uint r = BitOp(c, TS.Get(c, op->R0), bit, op->Imm2);
        if (op->Imm2 != 0) TS.Set(c, op->R0, r);
        return Exit.Next;
    }

    private static int BtM<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        uint ea = Ea(c, op);
        int bit;
        if (op->Aux == 1)
        {
            // A register offset addresses bits beyond the operand: a signed displacement in operand-size units.
            int off = TS.Bits == 16 ? (short)c.Reg(op->R1) : (int)c.Reg(op->R1);
            ea += (uint)((off >> (TS.Bits == 16 ? 4 : 5)) * TS.Bytes);
            bit = off & (TS.Bits - 1);
        }
        else bit = (int)(op->Imm & (uint)(TS.Bits - 1));
        if (op->Imm2 == 0)
        {
            BitOp(c, TS.Load(c, c.SegRead(op->Seg, ea, TS.Bytes)), bit, 0);
            return Exit.Next;
        }
        uint lin = c.SegWrite(op->Seg, ea, TS.Bytes);
        byte* p = c.RmwPtr(lin, TS.Bytes);
        uint a = p != null ? TS.LoadPtr(p) : TS.Load(c, lin);
        uint r = BitOp(c, a, bit, op->Imm2);
        if (p != null) TS.StorePtr(p, r); else TS.Store(c, lin, r);
        return c.PendingExit;
    }

    // ---------------- bit scan ----------------
    private static bool Scan(ref Op op, in Instruction ins, EmitContext ctx)
    {
        int size = Size(ins, 0);
        op.R0 = Gpr(ins.Op0Register);
        op.Aux = (byte)(ins.Mnemonic is Mnemonic.Bsf or Mnemonic.Tzcnt ? 0 : 1);
        bool mem = ins.Op1Kind == OpKind.Memory;
        if (mem) { if (!Mem(ref op, ins)) return false; }
        else op.R1 = Gpr(ins.Op1Register);
        op.Cost = (ushort)(mem ? ctx.Model.Load + ctx.Model.Shift : ctx.Model.Shift);
        op.H = (size, mem) switch
        {
            (2, false) => &ScanR<S16>, (_, false) => &ScanR<S32>,
            (2, true) => &ScanM<S16>, _ => &ScanM<S32>,
        };
        return true;
    }

    private static void ScanExec<TS>(Cpu c, Op* op, uint v) where TS : struct, ISize
    {
        // Source zero: ZF = 1 and the destination is left unchanged (what Intel and AMD cores do).
        c.SetFlagsAux(TS.FlagSize, v, 0);
        if (v == 0) return;
        uint idx = op->Aux == 0 ? (uint)System.Numerics.BitOperations.TrailingZeroCount(v) : (uint)(31 - System.Numerics.BitOperations.LeadingZeroCount(v));
        TS.Set(c, op->R0, idx);
    }

    private static int ScanR<TS>(Cpu c, Op* op) where TS : struct, ISize { ScanExec<TS>(c, op, TS.Get(c, op->R1)); return Exit.Next; }
    private static int ScanM<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        ScanExec<TS>(c, op, TS.Load(c, c.SegRead(op->Seg, Ea(c, op), TS.Bytes)));
        return Exit.Next;
    }
}
