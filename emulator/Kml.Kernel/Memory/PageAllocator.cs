namespace Kml.Kernel.Memory;

/// <summary>
/// The physical page allocator: a free stack of 4 KiB frames above the kernel's reserved area, with a reference
/// count per frame (a frame shared copy-on-write by a forked address space, or by a shared mapping, is freed when
/// its last user lets go). Frames never used yet are not on the stack: they are handed out from the lowest up once the
/// stack of released frames is empty, which is the order a stack holding every frame (lowest on top) would give, without
/// pushing 131,072 frames at boot (a uint array of our own, not Stack&lt;uint&gt;, which would be JIT-compiled at every start).
/// </summary>
internal sealed class PageAllocator
{
    public const uint PageSize = 4096;

    private uint[] _free = new uint[256];
    private int _freeCount;
    /// <summary>The lowest frame never allocated yet (frames from here to the end are free).</summary>
    private uint _fresh;
    private readonly ushort[] _refs;
    private readonly uint _first, _end;

    /// <param name="firstFree">First allocatable physical address (page-aligned).</param>
    /// <param name="end">End of physical memory.</param>
    public PageAllocator(uint firstFree, uint end)
    {
        _first = firstFree;
        _end = end;
        _refs = new ushort[end / PageSize];
        // Allocation starts low (deterministic, cache-friendly).
        _fresh = (uint)Math.Min(((ulong)firstFree + PageSize - 1) & ~(ulong)(PageSize - 1), end);
    }

    public int FreeCount => _freeCount + (int)((_end - _fresh) / PageSize);

    public int TotalCount => (int)((_end - _first) / PageSize);

    /// <summary>High-water mark of frames in use (for the statistics).</summary>
    public int PeakUsed { get; private set; }

    /// <summary>Takes a frame (reference count 1), or returns false when memory is exhausted.</summary>
    public bool TryAllocate(out uint frame)
    {
        if (_freeCount > 0) frame = _free[--_freeCount];
        else if (_end - _fresh >= PageSize)
        {
            frame = _fresh;
            _fresh += PageSize;
        }
        else
        {
            frame = 0;
            return false;
        }
        _refs[frame / PageSize] = 1;
        PeakUsed = Math.Max(PeakUsed, TotalCount - FreeCount);
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
        if (--count != 0) return;
        if (_freeCount == _free.Length)
        {
            var larger = new uint[_free.Length * 2];
            Array.Copy(_free, larger, _freeCount);
            _free = larger;
        }
        _free[_freeCount++] = frame;
    }

    public bool Owns(uint frame) => frame >= _first && frame < _end;
}
