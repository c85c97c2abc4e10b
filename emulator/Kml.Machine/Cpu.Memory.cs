using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Kml.Machine.Decoding;
using Kml.Machine.Memory;

namespace Kml.Machine;

// Guest memory access: segment checks, the software-TLB fast path, page walks, faults.
public sealed unsafe partial class Cpu
{
    internal TlbEntry* TlbR, TlbW;
    /// <summary>The instruction-fetch table for the current privilege (block lookup).</summary>
    internal TlbEntry* TlbX;
    /// <summary>1 when a write just invalidated decoded code: the running block must stop after the current instruction.</summary>
    internal int PendingExit;

    private readonly GuestFault _fault = new();

    // ---------------- faults ----------------
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    internal void Fault(int vector, uint errorCode = 0)
    {
        _fault.Vector = vector;
        _fault.ErrorCode = errorCode;
        _fault.HasErrorCode = Vectors.HasErrorCode(vector);
        throw _fault;
    }

    [DoesNotReturn] internal void Gp(uint error = 0) => Fault(Vectors.GP, error);
    [DoesNotReturn] internal void Ud() => Fault(Vectors.UD);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    internal void PageFault(uint linear, uint error)
    {
        Cr2Field = linear;
        Fault(Vectors.PF, error);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    internal static void BusError(uint physical, string what)
        => throw new MachineStopException(StopReason.BusError, $"{what} at physical address 0x{physical:x8} lies outside physical memory");

    internal void UpdateTlbPointers()
    {
        if (CplField == 3) { TlbR = TlbSet.UserRead; TlbW = TlbSet.UserWrite; TlbX = TlbSet.UserFetch; }
        else { TlbR = TlbSet.SupervisorRead; TlbW = TlbSet.SupervisorWrite; TlbX = TlbSet.SupervisorFetch; }
    }

    // ---------------- segment checks ----------------
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint SegRead(int seg, uint ea, int size)
    {
        if ((ulong)ea + (uint)size > Unsafe.Add(ref Unsafe.As<SegmentEnds, ulong>(ref SegEndRead), seg)) SegCheckSlow(seg, ea, size, false);
        return ea + Unsafe.Add(ref Unsafe.As<SegmentBases, uint>(ref SegBase), seg);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint SegWrite(int seg, uint ea, int size)
    {
        if ((ulong)ea + (uint)size > Unsafe.Add(ref Unsafe.As<SegmentEnds, ulong>(ref SegEndWrite), seg)) SegCheckSlow(seg, ea, size, true);
        return ea + Unsafe.Add(ref Unsafe.As<SegmentBases, uint>(ref SegBase), seg);
    }

    /// <summary>Full segment checks for what the fast compare rejected: null, unreadable/unwritable, expand-down, limit.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void SegCheckSlow(int seg, uint ea, int size, bool write)
    {
        var s = SegAt(seg);
        uint vec = seg == SegSs ? (uint)Vectors.SS : Vectors.GP;
        if (!s.Usable) Fault((int)vec, 0);
        if (write ? !s.IsWritable : !s.IsReadable) Fault(Vectors.GP, 0);
        ulong last = (ulong)ea + (uint)size - 1;
        if (s.IsExpandDown)
        {
            ulong upper = s.Big ? 0xFFFF_FFFFul : 0xFFFFul;
            if (ea <= s.Limit || last > upper) Fault((int)vec, 0);
        }
        else if (last > s.Limit) Fault((int)vec, 0);
    }

    // ---------------- fast paths ----------------
    /// <summary>Host pointer for a read of the op's memory operand when the segment check passes and the TLB hits; else null
    /// (the caller then runs its slow path, which faults or fills the TLB). Contains no calls, so handlers stay leaf functions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte* FastRead(Op* op, int size) => FastRead<AddrFull>(op, size);

    /// <summary><see cref="FastRead(Op*, int)"/> with the addressing mode as a type parameter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte* FastRead<TA>(Op* op, int size) where TA : struct, IAddr
    {
        uint ea = TA.Ea(this, op);
        int s = op->Seg;
        if ((ulong)ea + (uint)size > Unsafe.Add(ref Unsafe.As<SegmentEnds, ulong>(ref SegEndRead), s)) return null;
        uint lin = ea + Unsafe.Add(ref Unsafe.As<SegmentBases, uint>(ref SegBase), s);
        TlbEntry* e = TlbR + ((lin >> 12) & Tlb.Mask);
        if (e->Tag != (lin & (0xFFFF_F000u | (uint)(size - 1)))) return null;
        return (byte*)(e->Addend + lin);
    }

    /// <summary>Like <see cref="FastRead"/> for a write (or read-modify-write) of the op's memory operand.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte* FastWrite(Op* op, int size) => FastWrite<AddrFull>(op, size);

    /// <summary><see cref="FastWrite(Op*, int)"/> with the addressing mode as a type parameter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte* FastWrite<TA>(Op* op, int size) where TA : struct, IAddr
    {
        uint ea = TA.Ea(this, op);
        int s = op->Seg;
        if ((ulong)ea + (uint)size > Unsafe.Add(ref Unsafe.As<SegmentEnds, ulong>(ref SegEndWrite), s)) return null;
        uint lin = ea + Unsafe.Add(ref Unsafe.As<SegmentBases, uint>(ref SegBase), s);
        TlbEntry* e = TlbW + ((lin >> 12) & Tlb.Mask);
        if (e->Tag != (lin & (0xFFFF_F000u | (uint)(size - 1)))) return null;
        return (byte*)(e->Addend + lin);
    }

    /// <summary>Host pointer for a stack access of 4 bytes at SS:<paramref name="esp"/>, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte* FastStack(uint esp, bool write)
    {
        if ((ulong)esp + 4 > (write ? SegEndWrite[SegSs] : SegEndRead[SegSs])) return null;
        uint lin = esp + SegBase[SegSs];
        TlbEntry* e = (write ? TlbW : TlbR) + ((lin >> 12) & Tlb.Mask);
        if (e->Tag != (lin & 0xFFFF_F003u)) return null;
        return (byte*)(e->Addend + lin);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte Read8(uint lin)
    {
        TlbEntry* e = TlbR + ((lin >> 12) & Tlb.Mask);
        if (e->Tag == (lin & 0xFFFF_F000)) return *(byte*)(e->Addend + lin);
        return (byte)ReadSlow(lin, 1, CplField == 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ushort Read16(uint lin)
    {
        TlbEntry* e = TlbR + ((lin >> 12) & Tlb.Mask);
        if (e->Tag == (lin & 0xFFFF_F001)) return *(ushort*)(e->Addend + lin);
        return (ushort)ReadSlow(lin, 2, CplField == 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint Read32(uint lin)
    {
        TlbEntry* e = TlbR + ((lin >> 12) & Tlb.Mask);
        if (e->Tag == (lin & 0xFFFF_F003)) return *(uint*)(e->Addend + lin);
        return ReadSlow(lin, 4, CplField == 3);
    }

    internal ulong Read64(uint lin)
    {
        if ((lin & 0xFFF) > 0xFF8) Translate(lin + 4, false, CplField == 3); // fault on either page before using either half
        uint lo = Read32(lin);
        return lo | ((ulong)Read32(lin + 4) << 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Write8(uint lin, uint v)
    {
        TlbEntry* e = TlbW + ((lin >> 12) & Tlb.Mask);
        if (e->Tag == (lin & 0xFFFF_F000)) { *(byte*)(e->Addend + lin) = (byte)v; return; }
        WriteSlow(lin, 1, v, CplField == 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Write16(uint lin, uint v)
    {
        TlbEntry* e = TlbW + ((lin >> 12) & Tlb.Mask);
        if (e->Tag == (lin & 0xFFFF_F001)) { *(ushort*)(e->Addend + lin) = (ushort)v; return; }
        WriteSlow(lin, 2, v, CplField == 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Write32(uint lin, uint v)
    {
        TlbEntry* e = TlbW + ((lin >> 12) & Tlb.Mask);
        if (e->Tag == (lin & 0xFFFF_F003)) { *(uint*)(e->Addend + lin) = v; return; }
        WriteSlow(lin, 4, v, CplField == 3);
    }

    internal void Write64(uint lin, ulong v)
    {
        bool user = CplField == 3;
        if ((lin & 0xFFF) > 0xFF8) { Translate(lin, true, user); Translate(lin + 4, true, user); }
        Write32(lin, (uint)v);
        Write32(lin + 4, (uint)(v >> 32));
    }

    /// <summary>Checks that a write of <paramref name="size"/> bytes at <paramref name="lin"/> would not fault (for instructions that must not partially update).</summary>
    internal void ProbeWrite(uint lin, int size)
    {
        bool user = CplField == 3;
        Translate(lin, true, user);
        if (((lin & 0xFFF) + (uint)size) > 0x1000) Translate(lin + (uint)size - 1, true, user);
    }

    /// <summary>Host pointer for a read-modify-write access (checked for writing before anything changes), or null when the
    /// access crosses a page (both pages are then checked writable; use the ordinary Load/Store).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte* RmwPtr(uint lin, int size)
    {
        TlbEntry* e = TlbW + ((lin >> 12) & Tlb.Mask);
        if (e->Tag == (lin & (0xFFFF_F000u | (uint)(size - 1)))) return (byte*)(e->Addend + lin);
        return RmwSlow(lin, size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte* RmwSlow(uint lin, int size)
    {
        bool user = CplField == 3;
        if (ObserverField != null)
        {
            ObserverField.OnMemoryAccess(lin, size, false, CplField);
            ObserverField.OnMemoryAccess(lin, size, true, CplField);
        }
        if ((lin & 0xFFF) + (uint)size <= 0x1000)
        {
            uint p = TranslateFill(lin, true, user);
            CodeCheck(p >> 12);
            return Mem.Base + p;
        }
        ProbeWrite(lin, size);
        return null;
    }

    /// <summary>Physical address of a data access (TLB, else a walk that fills it). Writes keep decoded code coherent.</summary>
    internal uint PhysFor(uint lin, bool write)
    {
        TlbEntry* e = (write ? TlbW : TlbR) + ((lin >> 12) & Tlb.Mask);
        if (e->Tag == (lin & 0xFFFF_F000)) return (e->PhysPage << 12) | (lin & 0xFFF);
        ObserverField?.OnMemoryAccess(lin, 1, write, CplField);
        uint p = TranslateFill(lin, write, CplField == 3);
        if (write) CodeCheck(p >> 12);
        return p;
    }

    // ---------------- slow paths ----------------
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal uint ReadSlow(uint lin, int size, bool user)
    {
        ObserverField?.OnMemoryAccess(lin, size, false, CplField);
        if ((lin & 0xFFF) + (uint)size <= 0x1000)
        {
            uint p = TranslateFill(lin, false, user);
            return ReadPhys(p, size);
        }
        uint firstLen = 0x1000 - (lin & 0xFFF);
        uint p1 = Translate(lin, false, user);
        uint p2 = Translate(lin + firstLen, false, user);
        uint v = 0;
        for (int i = 0; i < size; i++)
        {
            uint p = (uint)i < firstLen ? p1 + (uint)i : p2 + (uint)i - firstLen;
            v |= (uint)Mem.Base[p] << (8 * i);
        }
        return v;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void WriteSlow(uint lin, int size, uint value, bool user)
    {
        ObserverField?.OnMemoryAccess(lin, size, true, CplField);
        if ((lin & 0xFFF) + (uint)size <= 0x1000)
        {
            uint p = TranslateFill(lin, true, user);
            CodeCheck(p >> 12);
            WritePhys(p, size, value);
            return;
        }
        uint firstLen = 0x1000 - (lin & 0xFFF);
        uint p1 = Translate(lin, true, user);
        uint p2 = Translate(lin + firstLen, true, user);
        CodeCheck(p1 >> 12);
        CodeCheck(p2 >> 12);
        for (int i = 0; i < size; i++)
        {
            uint p = (uint)i < firstLen ? p1 + (uint)i : p2 + (uint)i - firstLen;
            Mem.Base[p] = (byte)(value >> (8 * i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CodeCheck(uint physPage)
    {
        if (Mem.CodePages[physPage] != 0)
        {
            Blocks.InvalidatePage(physPage);
            PendingExit = 1;
            if (CurrentOp != null) EipField = CurrentOp->Next;
        }
    }

    private uint ReadPhys(uint p, int size) => size switch
    {
        1 => Mem.Base[p],
        2 => *(ushort*)(Mem.Base + p),
        _ => *(uint*)(Mem.Base + p),
    };

    private void WritePhys(uint p, int size, uint v)
    {
        switch (size)
        {
            case 1: Mem.Base[p] = (byte)v; break;
            case 2: *(ushort*)(Mem.Base + p) = (ushort)v; break;
            default: *(uint*)(Mem.Base + p) = v; break;
        }
    }

    /// <summary>Translates and fills the TLB (unless an observer is attached or, for writes, the page holds code).</summary>
    internal uint TranslateFill(uint lin, bool write, bool user)
        => TranslateFill(lin, write, user, write ? (user ? TlbSet.UserWrite : TlbSet.SupervisorWrite) : (user ? TlbSet.UserRead : TlbSet.SupervisorRead));

    /// <summary>Translates an instruction fetch (a read) and fills the fetch table of the current privilege.</summary>
    internal uint TranslateFillFetch(uint lin) => TranslateFill(lin, false, CplField == 3, TlbX);

    private uint TranslateFill(uint lin, bool write, bool user, TlbEntry* table)
    {
        uint phys = Translate(lin, write, user);
        Statistics.TlbMisses++;
        CyclesField += (uint)Model.PageWalk;
        if (ObserverField != null) return phys;
        uint page = phys >> 12;
        if (write && Mem.CodePages[page] != 0) return phys;
        TlbEntry* e = table + ((lin >> 12) & Tlb.Mask);
        e->Tag = lin & 0xFFFF_F000;
        e->PhysPage = page;
        e->Addend = (long)(Mem.Base + (phys & 0xFFFF_F000)) - (long)(lin & 0xFFFF_F000);
        TlbSet.Filled(e);
        return phys;
    }

    /// <summary>Translates a linear address or raises #PF.</summary>
    internal uint Translate(uint lin, bool write, bool user)
    {
        if (!Walk(lin, write, user, true, out uint phys, out uint error)) PageFault(lin, error);
        return phys;
    }

    /// <summary>The page walk: checks presence and U/S, R/W (with CR0.WP at supervisor level), sets accessed/dirty bits.</summary>
    internal bool Walk(uint lin, bool write, bool user, bool setBits, out uint phys, out uint error)
    {
        error = (write ? 2u : 0) | (user ? 4u : 0);
        if ((Cr0Field & Cr0Pg) == 0)
        {
            phys = lin;
            if (lin >= Mem.Size) BusError(lin, "access with paging off");
            return true;
        }
        uint pdeAddr = (Cr3Field & 0xFFFF_F000) | ((lin >> 22) << 2);
        if (pdeAddr >= Mem.Size) BusError(pdeAddr, "page-directory entry");
        uint* pde = (uint*)(Mem.Base + pdeAddr);
        uint d = *pde;
        if ((d & PageTable.Present) == 0) { phys = 0; return false; }
        if ((d & PageTable.LargePage) != 0 && (Cr4Field & Cr4Pse) != 0)
        {
            if (!Allowed(d, write, user)) { phys = 0; error |= 1; return false; }
            if (setBits) *pde = d | PageTable.Accessed | (write ? PageTable.Dirty : 0);
            phys = (d & 0xFFC0_0000) | (lin & 0x3F_FFFF);
            if (phys >= Mem.Size) BusError(phys, "4 MiB page");
            return true;
        }
        uint pteAddr = (d & 0xFFFF_F000) | (((lin >> 12) & 0x3FF) << 2);
        if (pteAddr >= Mem.Size) BusError(pteAddr, "page-table entry");
        uint* pte = (uint*)(Mem.Base + pteAddr);
        uint t = *pte;
        if ((t & PageTable.Present) == 0) { phys = 0; return false; }
        if (!Allowed(d & t, write, user)) { phys = 0; error |= 1; return false; }
        if (setBits)
        {
            if ((d & PageTable.Accessed) == 0) *pde = d | PageTable.Accessed;
            uint nt = t | PageTable.Accessed | (write ? PageTable.Dirty : 0);
            if (nt != t) *pte = nt;
        }
        phys = (t & 0xFFFF_F000) | (lin & 0xFFF);
        if (phys >= Mem.Size) BusError(phys, "page frame");
        return true;
    }

    private bool Allowed(uint combined, bool write, bool user)
    {
        if (user && (combined & PageTable.User) == 0) return false;
        if (write && (combined & PageTable.Writable) == 0 && (user || (Cr0Field & Cr0Wp) != 0)) return false;
        return true;
    }

    // ---------------- implicit (system) accesses: descriptor tables, TSS, interrupt frames ----------------
    internal uint SysRead32(uint lin, bool user = false)
    {
        ObserverField?.OnMemoryAccess(lin, 4, false, CplField);
        if ((lin & 0xFFF) <= 0xFFC) return *(uint*)(Mem.Base + Translate(lin, false, user));
        uint v = 0;
        for (int i = 0; i < 4; i++) v |= (uint)Mem.Base[Translate(lin + (uint)i, false, user)] << (8 * i);
        return v;
    }

    internal ushort SysRead16(uint lin) => (ushort)(SysRead32Bytes(lin, 2));

    private uint SysRead32Bytes(uint lin, int n)
    {
        uint v = 0;
        for (int i = 0; i < n; i++) v |= (uint)Mem.Base[Translate(lin + (uint)i, false, false)] << (8 * i);
        return v;
    }

    internal void SysWrite32(uint lin, uint value, bool user = false)
    {
        ObserverField?.OnMemoryAccess(lin, 4, true, CplField);
        if ((lin & 0xFFF) <= 0xFFC)
        {
            uint p = Translate(lin, true, user);
            CodeCheck(p >> 12);
            *(uint*)(Mem.Base + p) = value;
            return;
        }
        uint p1 = Translate(lin, true, user), p2 = Translate(lin + 3, true, user);
        _ = p1; _ = p2;
        for (int i = 0; i < 4; i++)
        {
            uint p = Translate(lin + (uint)i, true, user);
            CodeCheck(p >> 12);
            Mem.Base[p] = (byte)(value >> (8 * i));
        }
    }

    internal void SysWrite16(uint lin, ushort value)
    {
        uint p1 = Translate(lin, true, false), p2 = Translate(lin + 1, true, false);
        CodeCheck(p1 >> 12); CodeCheck(p2 >> 12);
        Mem.Base[p1] = (byte)value;
        Mem.Base[p2] = (byte)(value >> 8);
    }

    // ---------------- kernel-facing access (copy_from_user / copy_to_user) ----------------

    /// <summary>Translates <paramref name="linear"/> through the current page tables as an access by code at
    /// user (<paramref name="user"/> = true) or supervisor privilege, setting accessed/dirty bits. Returns false
    /// where the CPU would raise #PF (no exception is raised in the guest).</summary>
    public bool TryTranslate(uint linear, bool write, bool user, out uint physical)
        => Walk(linear, write, user, true, out physical, out _);

    /// <summary>Reads guest linear memory as an access at the given privilege; false if any page would fault.</summary>
    public bool TryReadLinear(uint linear, Span<byte> destination, bool user)
    {
        int done = 0;
        while (done < destination.Length)
        {
            uint lin = linear + (uint)done;
            if (!Walk(lin, false, user, true, out uint phys, out _)) return false;
            int chunk = Math.Min(destination.Length - done, 0x1000 - (int)(lin & 0xFFF));
            new ReadOnlySpan<byte>(Mem.Base + phys, chunk).CopyTo(destination.Slice(done));
            done += chunk;
        }
        return true;
    }

    /// <summary>Writes guest linear memory as an access at the given privilege, keeping decoded code coherent;
    /// checks every page first and writes nothing (returns false) if any page would fault.</summary>
    public bool TryWriteLinear(uint linear, ReadOnlySpan<byte> source, bool user)
    {
        for (uint pos = 0; pos < (uint)source.Length;)
        {
            uint lin = linear + pos;
            if (!Walk(lin, true, user, false, out _, out _)) return false;
            pos += 0x1000 - (lin & 0xFFF);
        }
        int done = 0;
        while (done < source.Length)
        {
            uint lin = linear + (uint)done;
            Walk(lin, true, user, true, out uint phys, out _);
            int chunk = Math.Min(source.Length - done, 0x1000 - (int)(lin & 0xFFF));
            Mem.Write(phys, source.Slice(done, chunk));
            done += chunk;
        }
        return true;
    }
}
