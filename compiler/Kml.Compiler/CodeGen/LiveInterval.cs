using Kml.Compiler.Ir;

namespace Kml.Compiler.CodeGen;

/// <summary>
/// The positions where a virtual register (or, for a fixed interval, a machine register) holds a live value:
/// sorted, disjoint half-open ranges. Instruction n reads its operands at 2n and writes its results at 2n+1.
/// </summary>
internal sealed class LiveInterval
{
    private readonly List<(int Start, int End)> _ranges = [];

    public LiveInterval(VReg? vreg, int fixedRegister = -1)
    {
        VReg = vreg;
        Register = fixedRegister;
    }

    /// <summary>The virtual register (null for the fixed interval of a machine register).</summary>
    public VReg? VReg { get; }

    /// <summary>The machine register assigned (or fixed), or -1.</summary>
    public int Register { get; set; }

    /// <summary>Whether it was spilled to a stack slot.</summary>
    public bool Spilled { get; set; }

    /// <summary>How much spilling it would cost: its uses weighted by loop depth.</summary>
    public double Weight { get; set; }

    /// <summary>A register worth trying first (the register of a copy's source or target).</summary>
    public int Hint { get; set; } = -1;

    /// <summary>The ranges, sorted.</summary>
    public IReadOnlyList<(int Start, int End)> Ranges => _ranges;

    public bool IsEmpty => _ranges.Count == 0;

    public int Start => _ranges[0].Start;

    public int End => _ranges[^1].End;

    /// <summary>Adds [start, end), merging with what it touches (ranges arrive in decreasing order while building).</summary>
    public void Add(int start, int end)
    {
        if (start >= end) return;
        // Fast path: building walks backwards, so the new range usually goes first.
        if (_ranges.Count == 0 || end < _ranges[0].Start)
        {
            _ranges.Insert(0, (start, end));
            return;
        }
        var merged = (Start: start, End: end);
        var list = new List<(int, int)>(_ranges.Count + 1);
        var placed = false;
        foreach (var r in _ranges)
        {
            if (r.End < merged.Start) list.Add(r);
            else if (r.Start > merged.End)
            {
                if (!placed) { list.Add(merged); placed = true; }
                list.Add(r);
            }
            else merged = (Math.Min(merged.Start, r.Start), Math.Max(merged.End, r.End));
        }
        if (!placed) list.Add(merged);
        _ranges.Clear();
        _ranges.AddRange(list);
    }

    /// <summary>A definition at <paramref name="position"/>: the first range starts there (or a one-position range).</summary>
    public void Define(int position)
    {
        if (_ranges.Count > 0 && _ranges[0].Start <= position && position < _ranges[0].End) _ranges[0] = (position, _ranges[0].End);
        else Add(position, position + 1);
    }

    /// <summary>Whether the interval covers a position.</summary>
    public bool Covers(int position)
    {
        foreach (var r in _ranges)
        {
            if (position < r.Start) return false;
            if (position < r.End) return true;
        }
        return false;
    }

    /// <summary>The first position both cover, or int.MaxValue.</summary>
    public int Intersection(LiveInterval other)
    {
        int i = 0, j = 0;
        var a = _ranges;
        var b = other._ranges;
        while (i < a.Count && j < b.Count)
        {
            var start = Math.Max(a[i].Start, b[j].Start);
            var end = Math.Min(a[i].End, b[j].End);
            if (start < end) return start;
            if (a[i].End <= b[j].End) i++; else j++;
        }
        return int.MaxValue;
    }

    /// <summary>The first range ending after <paramref name="position"/> (for the active/inactive bookkeeping).</summary>
    public int NextRangeIndex(int position, int from)
    {
        var i = from;
        while (i < _ranges.Count && _ranges[i].End <= position) i++;
        return i;
    }

    public override string ToString() =>
        $"{VReg?.ToString() ?? "fixed"}{(Register >= 0 ? "@" + Kml.Tal.Types.Gpr.Name(Register) : Spilled ? "@spill" : "")} " + string.Join(" ", _ranges.Select(r => $"[{r.Start},{r.End})"));
}
