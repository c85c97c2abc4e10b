using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kml.Machine.Memory;

/// <summary>One software-TLB entry: the page-aligned linear tag and the host-address addend (host = linear + addend).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TlbEntry
{
    public uint Tag;
    public uint PhysPage;
    public long Addend;
}

/// <summary>
/// The software TLB: six direct-mapped tables (user read, user write, supervisor read, supervisor write, and for
/// instruction fetch user and supervisor), so a hot access is one index, one compare and one load. The tag of a
/// misaligned access never matches (its low bits are non-zero), which sends accesses that may cross a page to the slow
/// path. Fetches have their own tables, like a hardware ITLB, so code and data pages whose numbers collide in the
/// direct-mapped index (Linux's vDSO at 0xB7FFF000 and the top of the stack at 0xBFFFF000) do not evict each other on
/// every system call.
/// </summary>
internal sealed unsafe class Tlb
{
    public const int Entries = 1024;
    public const int Mask = Entries - 1;
    public const uint Invalid = 0xFFFF_FFFF;

    private const int Tables = 6;
    private readonly TlbEntry[] _storage = GC.AllocateArray<TlbEntry>(Entries * Tables, pinned: true);
    public readonly TlbEntry* UserRead, UserWrite, SupervisorRead, SupervisorWrite, UserFetch, SupervisorFetch;

    public Tlb(Cpu cpu)
    {
        _ = cpu;
        var p = (TlbEntry*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        UserRead = p; UserWrite = p + Entries; SupervisorRead = p + 2 * Entries; SupervisorWrite = p + 3 * Entries;
        UserFetch = p + 4 * Entries; SupervisorFetch = p + 5 * Entries;
        FlushAll();
    }

    // Entries filled since the last full flush, so that a flush (every CR3 write: twice per system call in KPTI mode)
    // costs in proportion to the pages touched rather than the table size.
    private readonly int[] _filled = new int[Entries];
    private int _filledCount;
    private bool _overflow = true;

    /// <summary>Records that entry <paramref name="entry"/> (an index into the storage of all tables) was filled.</summary>
    public void Filled(TlbEntry* entry)
    {
        if (_filledCount < _filled.Length) _filled[_filledCount++] = (int)(entry - UserRead);
        else _overflow = true;
    }

    public void FlushAll()
    {
        if (_overflow)
        {
            for (int i = 0; i < _storage.Length; i++) _storage[i].Tag = Invalid;
            _overflow = false;
        }
        else
        {
            for (int i = 0; i < _filledCount; i++) _storage[_filled[i]].Tag = Invalid;
        }
        _filledCount = 0;
    }

    public void FlushPage(uint linear)
    {
        uint tag = linear & 0xFFFF_F000;
        int i = (int)((linear >> 12) & Mask);
        for (int t = 0; t < Tables; t++)
            if (_storage[t * Entries + i].Tag == tag) _storage[t * Entries + i].Tag = Invalid;
    }

    /// <summary>Drops write entries that map <paramref name="physPage"/> (it now holds decoded code: writes must take the slow path).</summary>
    public void FlushWritesToPhysicalPage(uint physPage)
    {
        for (int i = 0; i < Entries; i++)
        {
            if (UserWrite[i].PhysPage == physPage) UserWrite[i].Tag = Invalid;
            if (SupervisorWrite[i].PhysPage == physPage) SupervisorWrite[i].Tag = Invalid;
        }
    }
}
