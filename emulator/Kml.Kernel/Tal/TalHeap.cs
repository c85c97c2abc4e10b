using Kml.Kernel.Abi;
using Kml.Kernel.Memory;
using Kml.Tal;
using Kml.Tal.Types;

namespace Kml.Kernel.Tal;

/// <summary>What an allocation did.</summary>
internal enum TalAllocation
{
    /// <summary>The object is mapped, zeroed and registered.</summary>
    Done,
    /// <summary>The heap zone has no room left for it (the process ends: out of memory).</summary>
    NoAddressSpace,
    /// <summary>No physical page is left (the process ends: out of memory).</summary>
    NoPhysicalMemory,
}

/// <summary>
/// The heap of a TAL process: a bump allocator in the zone the plan reserved. Every object is fresh (the pointer only
/// moves up, nothing is ever freed or reused), 4-byte aligned, in zeroed pages that are mapped R+W before the
/// object is handed out (so a ring-0 program never takes a page fault on its heap), and registered with its type for
/// the safety monitor.
/// </summary>
internal sealed class TalHeap(uint start, uint end)
{
    private readonly List<TalObjectInfo> _objects = [];
    private Vma? _area;
    private uint _next;

    /// <summary>The objects handed out, in address order.</summary>
    public IReadOnlyList<TalObjectInfo> Objects => _objects;

    /// <summary>Bytes handed out (with alignment).</summary>
    public long BytesAllocated => _next == 0 ? 0 : _next - start;

    /// <summary>Maps and registers a zeroed object of <paramref name="size"/> bytes.</summary>
    public TalAllocation Allocate(AddressSpace space, PageAllocator pages, uint size, HeapType type, Cell[] cells, int elementSize, uint length, out uint address)
    {
        address = 0;
        if (_next == 0) _next = start;
        ulong objectEnd = (ulong)_next + size;
        ulong alignedEnd = (objectEnd + 3) & ~3UL;
        if (alignedEnd > end) return TalAllocation.NoAddressSpace;
        uint mappedTop = _area?.End ?? start;
        ulong newTop = (alignedEnd + AddressSpace.PageSize - 1) & ~(ulong)(AddressSpace.PageSize - 1);
        if (newTop > mappedTop)
        {
            // Keep a few pages for page tables and the kernel's own needs.
            ulong needed = (newTop - mappedTop) / AddressSpace.PageSize + 8;
            if ((ulong)pages.FreeCount < needed) return TalAllocation.NoPhysicalMemory;
            if (_area is null)
            {
                _area = new Vma { Start = start, End = (uint)newTop, Protection = Mman.ProtRead | Mman.ProtWrite, Kind = VmaKind.Anonymous, Name = "[tal heap]" };
                space.AddArea(_area);
            }
            else
            {
                space.ExtendArea(_area, (uint)newTop);
            }
            for (ulong page = mappedTop; page < newTop; page += AddressSpace.PageSize)
                if (space.HandleFault((uint)page, write: true) != FaultResult.Handled) return TalAllocation.NoPhysicalMemory;
        }
        address = _next;
        _next = (uint)alignedEnd;
        _objects.Add(new TalObjectInfo(address, size, type, cells, elementSize, length, $"heap object #{_objects.Count + 1}"));
        return TalAllocation.Done;
    }

    /// <summary>The heap object containing <paramref name="address"/>, or null.</summary>
    public TalObjectInfo? Find(uint address) => FindIn(_objects, address);

    /// <summary>Binary search in a list sorted by address.</summary>
    public static TalObjectInfo? FindIn(IReadOnlyList<TalObjectInfo> objects, uint address)
    {
        int lo = 0, hi = objects.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            var o = objects[mid];
            if (address < o.Address) hi = mid - 1;
            else if (address >= o.End) lo = mid + 1;
            else return o;
        }
        return null;
    }

    /// <summary>The largest array <c>alloc_array</c> hands out, in bytes with the header.</summary>
    public const uint MaxArrayBytes = TalLayout.MaxArrayBytes;
}
