using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;
using Kml.Machine.Decoding;

namespace Kml.Machine.Executors;

/// <summary>String instructions movs/stos/lods/cmps/scas (8/16/32 bits) with rep/repe/repne and DF. Registers are updated
/// per element (or per page-bounded chunk on the fast paths), so a fault leaves ECX/ESI/EDI reflecting the progress and the
/// instruction restarts where it stopped.</summary>
internal static unsafe class Strings
{
    private const byte NoRep = 0, Rep = 1, Repne = 2;

    public static void RegisterAll(Emitter?[] t)
    {
        t[(int)Mnemonic.Movsb] = Str;
        t[(int)Mnemonic.Movsw] = Str;
        t[(int)Mnemonic.Movsd] = Str;
        t[(int)Mnemonic.Stosb] = Str;
        t[(int)Mnemonic.Stosw] = Str;
        t[(int)Mnemonic.Stosd] = Str;
        t[(int)Mnemonic.Lodsb] = Str;
        t[(int)Mnemonic.Lodsw] = Str;
        t[(int)Mnemonic.Lodsd] = Str;
        t[(int)Mnemonic.Cmpsb] = Str;
        t[(int)Mnemonic.Cmpsw] = Str;
        t[(int)Mnemonic.Cmpsd] = Str;
        t[(int)Mnemonic.Scasb] = Str;
        t[(int)Mnemonic.Scasw] = Str;
        t[(int)Mnemonic.Scasd] = Str;
    }

    private static bool Str(ref Op op, in Instruction ins, EmitContext ctx)
    {
        var k0 = ins.Op0Kind;
        bool isString = k0 is OpKind.MemoryESEDI or OpKind.MemorySegESI or OpKind.MemorySegEDI or OpKind.MemoryESDI or OpKind.MemorySegSI
            || (k0 == OpKind.Register && ins.OpCount == 2 && ins.Op1Kind is OpKind.MemorySegESI or OpKind.MemoryESEDI);
        if (!isString) return false; // SSE movsd/cmpsd share the mnemonic
        if (ins.Op0Kind is OpKind.MemoryESDI or OpKind.MemorySegSI or OpKind.MemorySegDI || ins.Op1Kind is OpKind.MemoryESDI or OpKind.MemorySegSI)
            return false; // 16-bit addressing
        op.Seg = ins.SegmentPrefix == Register.None ? (byte)Cpu.SegDs : Operands.SegIndex(ins.SegmentPrefix);
        op.Aux = ins.HasRepPrefix ? Rep : ins.HasRepnePrefix ? Repne : NoRep;
        op.Cost = (ushort)(ctx.Model.StringStart);
        op.Imm2 = (uint)ctx.Model.StringIteration;
        var m = ins.Mnemonic;
        string name = m.ToString();
        int size = name.EndsWith('b') ? 1 : name.EndsWith('w') ? 2 : 4;
        op.H = (name[..^1], size) switch
        {
            ("Movs", 1) => &Movs<S8>, ("Movs", 2) => &Movs<S16>, ("Movs", _) => &Movs<S32>,
            ("Stos", 1) => &Stos<S8>, ("Stos", 2) => &Stos<S16>, ("Stos", _) => &Stos<S32>,
            ("Lods", 1) => &Lods<S8>, ("Lods", 2) => &Lods<S16>, ("Lods", _) => &Lods<S32>,
            ("Cmps", 1) => &Cmps<S8>, ("Cmps", 2) => &Cmps<S16>, ("Cmps", _) => &Cmps<S32>,
            ("Scas", 1) => &Scas<S8>, ("Scas", 2) => &Scas<S16>, _ => &Scas<S32>,
        };
        return true;
    }

    private static int Step<TS>(Cpu c) where TS : struct, ISize => (c.EflagsRest & Cpu.DF) != 0 ? -TS.Bytes : TS.Bytes;

    private static bool Flat(Cpu c, int seg) =>
        c.SegBaseAt(seg) == 0 && c.SegEndReadAt(seg) == 0x1_0000_0000ul && c.SegBase[Cpu.SegEs] == 0 && c.SegEndWrite[Cpu.SegEs] == 0x1_0000_0000ul
        && c.ObserverField == null;

    // ---------------- movs ----------------
    private static int Movs<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        int step = Step<TS>(c);
        if (op->Aux == NoRep)
        {
            MovsOne<TS>(c, op, step);
            return c.PendingExit;
        }
        if (step > 0 && Flat(c, op->Seg)) return MovsFast<TS>(c, op);
        while (c.Reg(1) != 0)
        {
            MovsOne<TS>(c, op, step);
            c.Reg(1)--;
            c.CyclesField += op->Imm2;
        }
        return c.PendingExit;
    }

    private static void MovsOne<TS>(Cpu c, Op* op, int step) where TS : struct, ISize
    {
        uint esi = c.Reg(6), edi = c.Reg(7);
        uint v = TS.Load(c, c.SegRead(op->Seg, esi, TS.Bytes));
        TS.Store(c, c.SegWrite(Cpu.SegEs, edi, TS.Bytes), v);
        c.Reg(6) = esi + (uint)step;
        c.Reg(7) = edi + (uint)step;
    }

    private static int MovsFast<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        int sz = TS.Bytes;
        while (c.Reg(1) != 0)
        {
            uint esi = c.Reg(6), edi = c.Reg(7), ecx = c.Reg(1);
            uint n = Math.Min(ecx, Math.Min((0x1000 - (esi & 0xFFF)) / (uint)sz, (0x1000 - (edi & 0xFFF)) / (uint)sz));
            if (n == 0)
            {
                MovsOne<TS>(c, op, sz);
                c.Reg(1) = ecx - 1;
                c.CyclesField += op->Imm2;
                continue;
            }
            uint sp = c.PhysFor(esi, false);
            uint dp = c.PhysFor(edi, true);
            byte* s = c.Mem.Base + sp, d = c.Mem.Base + dp;
            uint bytes = n * (uint)sz;
            if (d > s && d < s + bytes)
            {
                for (uint i = 0; i < bytes; i++) d[i] = s[i]; // forward element copy replicates, as the CPU does
            }
            else Buffer.MemoryCopy(s, d, bytes, bytes);
            c.Reg(6) = esi + bytes;
            c.Reg(7) = edi + bytes;
            c.Reg(1) = ecx - n;
            c.CyclesField += n * op->Imm2;
        }
        return c.PendingExit;
    }

    // ---------------- stos ----------------
    private static int Stos<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        int step = Step<TS>(c);
        uint v = TS.Get(c, 0);
        if (op->Aux == NoRep)
        {
            uint edi = c.Reg(7);
            TS.Store(c, c.SegWrite(Cpu.SegEs, edi, TS.Bytes), v);
            c.Reg(7) = edi + (uint)step;
            return c.PendingExit;
        }
        if (step > 0 && Flat(c, Cpu.SegEs)) return StosFast<TS>(c, op, v);
        while (c.Reg(1) != 0)
        {
            uint edi = c.Reg(7);
            TS.Store(c, c.SegWrite(Cpu.SegEs, edi, TS.Bytes), v);
            c.Reg(7) = edi + (uint)step;
            c.Reg(1)--;
            c.CyclesField += op->Imm2;
        }
        return c.PendingExit;
    }

    private static int StosFast<TS>(Cpu c, Op* op, uint v) where TS : struct, ISize
    {
        int sz = TS.Bytes;
        while (c.Reg(1) != 0)
        {
            uint edi = c.Reg(7), ecx = c.Reg(1);
            uint n = Math.Min(ecx, (0x1000 - (edi & 0xFFF)) / (uint)sz);
            if (n == 0)
            {
                TS.Store(c, edi, v);
                c.Reg(7) = edi + (uint)sz;
                c.Reg(1) = ecx - 1;
                c.CyclesField += op->Imm2;
                continue;
            }
            byte* d = c.Mem.Base + c.PhysFor(edi, true);
            // A pattern of one repeated byte (memset, usually of zero) is a block fill; other patterns a plain loop.
            // (Span<uint>.Fill and Span<ushort>.Fill are generic instantiations ReadyToRun does not precompile: they ran
            // as Tier0 code at every rep stosd of a short run.)
            uint b = v & 0xFF;
            if (sz == 1 || (sz == 2 && (v & 0xFFFF) == b * 0x0101u) || (sz == 4 && v == b * 0x0101_0101u))
                Unsafe.InitBlockUnaligned(d, (byte)b, n * (uint)sz);
            else if (sz == 2) { for (uint i = 0; i < n; i++) ((ushort*)d)[i] = (ushort)v; }
            else { for (uint i = 0; i < n; i++) ((uint*)d)[i] = v; }
            c.Reg(7) = edi + n * (uint)sz;
            c.Reg(1) = ecx - n;
            c.CyclesField += n * op->Imm2;
        }
        return c.PendingExit;
    }

    // ---------------- lods ----------------
    private static int Lods<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        int step = Step<TS>(c);
        if (op->Aux == NoRep)
        {
            uint esi = c.Reg(6);
            TS.Set(c, 0, TS.Load(c, c.SegRead(op->Seg, esi, TS.Bytes)));
            c.Reg(6) = esi + (uint)step;
            return Exit.Next;
        }
        while (c.Reg(1) != 0)
        {
            uint esi = c.Reg(6);
            TS.Set(c, 0, TS.Load(c, c.SegRead(op->Seg, esi, TS.Bytes)));
            c.Reg(6) = esi + (uint)step;
            c.Reg(1)--;
            c.CyclesField += op->Imm2;
        }
        return Exit.Next;
    }

    // ---------------- cmps / scas ----------------
    private static int Cmps<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        int step = Step<TS>(c);
        if (op->Aux == NoRep)
        {
            CmpsOne<TS>(c, op, step);
            return Exit.Next;
        }
        while (c.Reg(1) != 0)
        {
            CmpsOne<TS>(c, op, step);
            uint ecx = --c.Reg(1);
            c.CyclesField += op->Imm2;
            if (ecx == 0 || c.GetZF() != (op->Aux == Rep)) break;
        }
        return Exit.Next;
    }

    private static void CmpsOne<TS>(Cpu c, Op* op, int step) where TS : struct, ISize
    {
        uint esi = c.Reg(6), edi = c.Reg(7);
        uint a = TS.Load(c, c.SegRead(op->Seg, esi, TS.Bytes));
        uint b = TS.Load(c, c.SegRead(Cpu.SegEs, edi, TS.Bytes));
        CmpOp.Exec<TS>(c, a, b);
        c.Reg(6) = esi + (uint)step;
        c.Reg(7) = edi + (uint)step;
    }

    private static int Scas<TS>(Cpu c, Op* op) where TS : struct, ISize
    {
        int step = Step<TS>(c);
        uint acc = TS.Get(c, 0);
        if (op->Aux == NoRep)
        {
            uint edi = c.Reg(7);
            CmpOp.Exec<TS>(c, acc, TS.Load(c, c.SegRead(Cpu.SegEs, edi, TS.Bytes)));
            c.Reg(7) = edi + (uint)step;
            return Exit.Next;
        }
        while (c.Reg(1) != 0)
        {
            uint edi = c.Reg(7);
            CmpOp.Exec<TS>(c, acc, TS.Load(c, c.SegRead(Cpu.SegEs, edi, TS.Bytes)));
            c.Reg(7) = edi + (uint)step;
            uint ecx = --c.Reg(1);
            c.CyclesField += op->Imm2;
            if (ecx == 0 || c.GetZF() != (op->Aux == Rep)) break;
        }
        return Exit.Next;
    }
}
