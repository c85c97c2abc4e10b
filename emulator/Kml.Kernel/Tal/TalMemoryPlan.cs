using Kml.Tal;

namespace Kml.Kernel.Tal;

/// <summary>
/// Where a TAL process's memory goes besides its segments (which sit at the addresses the checker saw):
/// the stack with its guard, the heap zone of <c>alloc</c>/<c>alloc_array</c> and, in ring 3, the page of import
/// trampolines. Nothing is ever placed in the guard or below 0x10000 (page 0 stays unmapped).
/// </summary>
/// <param name="StackTop">One past the stack's highest byte.</param>
/// <param name="StackLowest">The lowest address the stack may ever reach (top − limit).</param>
/// <param name="HeapStart">First byte of the heap zone.</param>
/// <param name="HeapEnd">One past the heap zone.</param>
/// <param name="TrampolineStart">First byte of the trampoline pages (ring 3), 0 when none.</param>
/// <param name="TrampolineBytes">Bytes reserved for trampolines (page-aligned).</param>
internal sealed record TalMemoryPlan(uint StackTop, uint StackLowest, uint HeapStart, uint HeapEnd, uint TrampolineStart, uint TrampolineBytes)
{
    /// <summary>The guard: <see cref="TalLayout.StackGuard"/> unmapped bytes below the lowest possible stack page.</summary>
    public uint GuardLow => StackLowest - (uint)TalLayout.StackGuard;

    /// <summary>Unmapped bytes kept between zones (heap, trampolines, segments), so no zone runs into another.</summary>
    public const uint Gap = 64 * 1024;

    /// <summary>The lowest address anything but the null page may use.</summary>
    public const uint Floor = TalLayout.LowestSegmentAddress;

    /// <summary>
    /// Places the stack (highest fitting gap, top at 0xC0000000 when free), the trampolines just below the guard,
    /// and the heap in the largest remaining gap. Throws <see cref="InvalidDataException"/> when the segments leave
    /// no room.
    /// </summary>
    public static TalMemoryPlan Create(IEnumerable<(uint Start, uint End)> segments, uint stackLimit, uint trampolineBytes)
    {
        var used = segments.Select(s => (Start: (ulong)s.Start & ~0xFFFUL, End: ((ulong)s.End + 0xFFF) & ~0xFFFUL)).OrderBy(s => s.Start).ToList();
        var gaps = new List<(ulong Start, ulong End)>();
        ulong at = Floor;
        foreach (var (s, e) in used)
        {
            if (s > at) gaps.Add((at, s));
            at = Math.Max(at, e);
        }
        if (at < TalLayout.UserTop) gaps.Add((at, TalLayout.UserTop));

        ulong stackNeed = (ulong)stackLimit + (ulong)TalLayout.StackGuard + trampolineBytes + (trampolineBytes > 0 ? Gap : 0);
        int stackGap = -1;
        for (int i = gaps.Count - 1; i >= 0; i--)
        {
            // Segments keep Gap bytes away from the stack top too (the top page is the program's entry stack).
            ulong room = gaps[i].End - gaps[i].Start - (gaps[i].End == TalLayout.UserTop ? 0 : Gap);
            if (gaps[i].End - gaps[i].Start > Gap && room >= stackNeed) { stackGap = i; break; }
        }
        if (stackGap < 0) throw new InvalidDataException($"the segments leave no room for a {stackLimit >> 10} KiB stack with its {TalLayout.StackGuard >> 10} KiB guard");
        var g = gaps[stackGap];
        ulong top = g.End == TalLayout.UserTop ? g.End : g.End - Gap;
        ulong lowest = top - stackLimit;
        ulong guardLow = lowest - (ulong)TalLayout.StackGuard;
        ulong trampolines = trampolineBytes > 0 ? guardLow - Gap - trampolineBytes : 0;
        ulong below = trampolineBytes > 0 ? trampolines : guardLow;
        gaps[stackGap] = (g.Start, below);

        // The heap takes the largest gap left, with Gap bytes of distance on both sides.
        (ulong Start, ulong End) heap = (0, 0);
        foreach (var (s, e) in gaps)
        {
            ulong hs = s == Floor ? s : s + Gap;
            ulong he = e >= Gap ? e - Gap : 0;
            if (he > hs && he - hs > heap.End - heap.Start) heap = (hs, he);
        }
        if (heap.End - heap.Start < 1 << 20) throw new InvalidDataException("the segments leave no room for a heap of at least 1 MiB");
        return new TalMemoryPlan((uint)top, (uint)lowest, (uint)heap.Start, (uint)heap.End, (uint)trampolines, trampolineBytes);
    }
}
