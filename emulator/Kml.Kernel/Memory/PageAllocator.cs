namespace Kml.Kernel.Memory;

/// <summary>
/// The physical page allocator: a free stack of 4 KiB frames above the kernel's reserved area, with a reference
/// count per frame (a frame shared copy-on-write by a forked address space, or by a shared mapping, is freed when
/// its last user lets go).
/// </summary>
internal sealed class PageAllocator
{
    public const uint PageSize = 4096;

    private readonly Stack<uint> _free = new();
    private readonly ushort[] _refs;
    private readonly uint _first, _end;

    /// <param name="firstFree">First allocatable physical address (page-aligned).</param>
    /// <param name="end">End of physical memory.</param>
    public PageAllocator(uint firstFree, uint end)
    {
        _first = firstFree;
        _end = end;
        _refs = new ushort[end / PageSize];
        // Push high frames first so allocation starts low (deterministic, cache-friendly).
        for (uint frame = end - PageSize; frame >= firstFree && frame < end; frame -= PageSize)
        {
            _free.Push(frame);
            if (frame == 0) break;
        }
    }

    public int FreeCount => _free.Count;

    public int TotalCount => (int)((_end - _first) / PageSize);

    /// <summary>High-water mark of frames in use (for the statistics).</summary>
    public int PeakUsed { get; private set; }

    /// <summary>Takes a frame (reference count 1), or returns false when memory is exhausted.</summary>
    public bool TryAllocate(out uint frame)
    {
        if (!_free.TryPop(out frame)) return false;
        _refs[frame / PageSize] = 1;
        PeakUsed = Math.Max(PeakUsed, TotalCount - _free.Count);
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
        if (--count == 0) _free.Push(frame);
    }

    public bool Owns(uint frame) => frame >= _first && frame < _end;
}
