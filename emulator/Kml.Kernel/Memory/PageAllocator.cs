namespace Kml.Kernel.Memory;

/// <summary>
/// The physical page allocator: a free stack of 4 KiB frames above the kernel's reserved area, with a reference
/// count per frame (a frame shared copy-on-write by a forked address space, or by a shared mapping, is freed when
/// its last user lets go).
/// </summary>
internal sealed class PageAllocator
{
    public const uint PageSize = 4096;

    // The free stack as a plain array (Stack<uint>'s code is not precompiled for us: it ran as unoptimized JIT code
    // for the tens of thousands of pushes at boot). Every frame is on it at most once, so it never overflows.
    private readonly uint[] _free;
    private int _freeCount;
    private readonly ushort[] _refs;
    private readonly uint _first, _end;

    /// <param name="firstFree">First allocatable physical address (page-aligned).</param>
    /// <param name="end">End of physical memory.</param>
    public PageAllocator(uint firstFree, uint end)
    {
        _first = firstFree;
        _end = end;
        _refs = new ushort[end / PageSize];
        _free = new uint[end / PageSize];
        // Push high frames first so allocation starts low (deterministic, cache-friendly).
        for (uint frame = end - PageSize; frame >= firstFree && frame < end; frame -= PageSize)
        {
            _free[_freeCount++] = frame;
            if (frame == 0) break;
        }
    }

    public int FreeCount => _freeCount;

    public int TotalCount => (int)((_end - _first) / PageSize);

    /// <summary>High-water mark of frames in use (for the statistics).</summary>
    public int PeakUsed { get; private set; }

    /// <summary>Takes a frame (reference count 1), or returns false when memory is exhausted.</summary>
    public bool TryAllocate(out uint frame)
    {
        if (_freeCount == 0)
        {
            frame = 0;
            return false;
        }
        frame = _free[--_freeCount];
        _refs[frame / PageSize] = 1;
        PeakUsed = Math.Max(PeakUsed, TotalCount - _freeCount);
        return true;
    }

    public int ReferenceCount(uint frame) => _refs[frame / PageSize];

    public void AddReference(uint frame)
    {
        if (frame < _first || frame >= _end) return;   // kernel-owned frames are not counted
        ref ushort count = ref _refs[frame / PageSize];
        if (count == 0) throw new InvalidOperationException($"frame 0x{frame:X8} is free");
        if (count == ushort.MaxValue) throw new InvalidOperationException($"frame 0x{frame:X8} has too many references");
        count++;
    }

    /// <summary>Drops one reference; the frame returns to the free stack with the last one.</summary>
    public void Release(uint frame)
    {
        if (frame < _first || frame >= _end) return;   // kernel-owned frames (the vDSO page) are never freed
        ref ushort count = ref _refs[frame / PageSize];
        if (count == 0) throw new InvalidOperationException($"frame 0x{frame:X8} released twice");
        if (--count == 0) _free[_freeCount++] = frame;
    }

    public bool Owns(uint frame) => frame >= _first && frame < _end;
}
