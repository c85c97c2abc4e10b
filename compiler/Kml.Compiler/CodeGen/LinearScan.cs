using System.Collections;
using Kml.Compiler.Ir;
using Kml.Tal.Types;

namespace Kml.Compiler.CodeGen;

/// <summary>
/// Linear-scan register allocation over live intervals with lifetime holes (Poletto and Sarkar; the active and
/// inactive sets of Wimmer and Mössenböck), without interval splitting: each virtual register lives in one machine
/// register for its whole life, or in a stack slot (then every use reloads it into a scratch register). Fixed
/// intervals block machine registers around calls (eax, ecx, edx are clobbered), divisions and variable shifts.
/// Spill choice: the candidates with the least weight (uses weighted by 10 per loop level).
/// </summary>
internal sealed class LinearScan
{
    private readonly IrFunction _f;
    private readonly Liveness _live;

    public LinearScan(IrFunction f, Liveness live)
    {
        _f = f;
        _live = live;
        Intervals = new LiveInterval[f.VRegs.Count];
        for (var i = 0; i < f.VRegs.Count; i++) Intervals[i] = new LiveInterval(f.VRegs[i]);
        for (var r = 0; r < Gpr.Count; r++) Fixed[r] = new LiveInterval(null, r);
    }

    /// <summary>Intervals by virtual register id.</summary>
    public LiveInterval[] Intervals { get; }

    /// <summary>Positions where each machine register is taken by a precolored register or clobbered.</summary>
    public LiveInterval[] Fixed { get; } = new LiveInterval[Gpr.Count];

    /// <summary>Instruction numbers.</summary>
    public Dictionary<Inst, int> Number { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>First instruction number of each block.</summary>
    public int[] BlockFirst { get; private set; } = [];

    /// <summary>Home stack slot of each spilled register (index in the spill area), or -1.</summary>
    public int[] Home { get; private set; } = [];

    /// <summary>Number of spill slots.</summary>
    public int SpillSlots { get; private set; }

    /// <summary>Machine registers holding some value in this function.</summary>
    public int UsedRegisters { get; private set; }

    /// <summary>Whether any virtual register was spilled (then code may need scratch registers).</summary>
    public bool AnySpilled { get; private set; }

    public void Run()
    {
        LiveIn(_f.Blocks[0]);
        NumberInstructions();
        var depth = LoopDepths();
        Build(depth);
        Allocate();
        AssignSlots();
    }

    private void NumberInstructions()
    {
        BlockFirst = new int[_f.Blocks.Count];
        var n = 0;
        for (var b = 0; b < _f.Blocks.Count; b++)
        {
            BlockFirst[b] = n;
            foreach (var i in _f.Blocks[b].Instructions) Number[i] = n++;
        }
    }

    private int[] LoopDepths()
    {
        var index = new Dictionary<IrBlock, int>();
        for (var i = 0; i < _f.Blocks.Count; i++) index[_f.Blocks[i]] = i;
        var depth = new int[_f.Blocks.Count];
        for (var j = 0; j < _f.Blocks.Count; j++)
            foreach (var s in _f.Blocks[j].Successors)
            {
                var i = index[s];
                if (i <= j) for (var k = i; k <= j; k++) depth[k]++;
            }
        return depth;
    }

    private void Build(int[] depth)
    {
        var partners = new List<(VReg, VReg)>();
        for (var b = _f.Blocks.Count - 1; b >= 0; b--)
        {
            var block = _f.Blocks[b];
            var from = 2 * BlockFirst[b];
            var to = 2 * (BlockFirst[b] + block.Instructions.Count);
            var weight = Math.Pow(10, Math.Min(depth[b], 6));
            var live = _live.LiveOut[b];
            for (var v = 0; v < live.Length; v++)
                if (live[v]) Intervals[v].Add(from, to);
            for (var k = block.Instructions.Count - 1; k >= 0; k--)
            {
                var inst = block.Instructions[k];
                var n = Number[inst];
                var early = IrFacts.IsEarlyClobber(inst.Op);
                for (var di = 0; di < inst.Defs.Length; di++)
                {
                    var d = inst.Defs[di];
                    var iv = Intervals[d.Id];
                    iv.Define(early || (inst.ScratchDef && di == inst.Defs.Length - 1) ? 2 * n : 2 * n + 1);
                    iv.Weight += weight;
                }
                foreach (var u in inst.Uses)
                {
                    if (!u.IsReg) continue;
                    var iv = Intervals[u.Reg!.Id];
                    iv.Add(from, 2 * n + 1);
                    iv.Weight += weight;
                }
                if (inst.Op is Op.Call or Op.CallImport)
                {
                    foreach (var r in new[] { Gpr.Eax, Gpr.Ecx, Gpr.Edx })
                        if (!inst.Defs.Any(d => d.Fixed == r)) Fixed[r].Add(2 * n + 1, 2 * n + 2);
                }
                if (inst.Op == Op.Mov && inst.Uses[0].IsReg) partners.Add((inst.Defs[0], inst.Uses[0].Reg!));
                if (inst.Defs.Length == 1 && inst.Uses.Length > 0 && inst.Uses[0].IsReg && inst.Op is Op.Add or Op.Sub or Op.And or Op.Or or Op.Xor
                    or Op.Imul or Op.Shl or Op.Shr or Op.Sar or Op.Neg or Op.Not or Op.SignExtend16 or Op.ZeroExtend16 or Op.SignExtend8 or Op.ZeroExtend8)
                    partners.Add((inst.Defs[0], inst.Uses[0].Reg!));
            }
        }
        foreach (var v in _f.VRegs)
        {
            var iv = Intervals[v.Id];
            if (v.Fixed >= 0 && !iv.IsEmpty)
            {
                iv.Register = v.Fixed;
                foreach (var (s, e) in iv.Ranges) Fixed[v.Fixed].Add(s, e);
            }
        }
        foreach (var (a, b) in partners)
        {
            _hints.TryAdd(a.Id, []);
            _hints.TryAdd(b.Id, []);
            _hints[a.Id].Add(b.Id);
            _hints[b.Id].Add(a.Id);
        }
    }

    private readonly Dictionary<int, List<int>> _hints = [];

    // Preference among equally free registers: the scratch registers first (no save/restore), then callee-saved
    // registers already in use (their push/pop is paid once).
    private static readonly int[] Preference = [Gpr.Eax, Gpr.Ecx, Gpr.Edx, Gpr.Ebx, Gpr.Esi, Gpr.Edi, Gpr.Ebp];

    private void Allocate()
    {
        var unhandled = Intervals.Where(i => !i.IsEmpty && i.VReg!.Fixed < 0).OrderBy(i => i.Start).ToList();
        var active = new List<LiveInterval>();
        var inactive = new List<LiveInterval>();
        var used = 0;
        foreach (var v in _f.VRegs) if (v.Fixed >= 0 && !Intervals[v.Id].IsEmpty) used |= 1 << v.Fixed;
        for (var r = 0; r < Gpr.Count; r++) if (!Fixed[r].IsEmpty) used |= 1 << r;
        var freeUntil = new int[Gpr.Count];
        foreach (var cur in unhandled)
        {
            var pos = cur.Start;
            for (var i = active.Count - 1; i >= 0; i--)
            {
                var it = active[i];
                if (it.End <= pos) active.RemoveAt(i);
                else if (!it.Covers(pos)) { active.RemoveAt(i); inactive.Add(it); }
            }
            for (var i = inactive.Count - 1; i >= 0; i--)
            {
                var it = inactive[i];
                if (it.End <= pos) inactive.RemoveAt(i);
                else if (it.Covers(pos)) { inactive.RemoveAt(i); active.Add(it); }
            }

            var mask = cur.VReg!.Mask & RegisterMasks.Allocatable;
            for (var r = 0; r < Gpr.Count; r++) freeUntil[r] = (mask & (1 << r)) != 0 ? int.MaxValue : -1;
            foreach (var it in active) if (freeUntil[it.Register] > 0) freeUntil[it.Register] = 0;
            foreach (var it in inactive)
                if (freeUntil[it.Register] > 0) freeUntil[it.Register] = Math.Min(freeUntil[it.Register], it.Intersection(cur));
            for (var r = 0; r < Gpr.Count; r++)
                if (freeUntil[r] > 0 && !Fixed[r].IsEmpty) freeUntil[r] = Math.Min(freeUntil[r], Fixed[r].Intersection(cur));

            var chosen = -1;
            if (_hints.TryGetValue(cur.VReg.Id, out var hints))
                foreach (var h in hints)
                {
                    var hr = Intervals[h].Register;
                    if (hr >= 0 && freeUntil[hr] >= cur.End) { chosen = hr; break; }
                }
            if (chosen < 0)
            {
                var best = -1;
                foreach (var r in Preference)
                {
                    if (freeUntil[r] < cur.End) continue;
                    // Among free registers prefer scratch ones, then callee-saved ones already pushed.
                    var rank = (RegisterMasks.CallerSaved & (1 << r)) != 0 ? 0 : (used & (1 << r)) != 0 ? 1 : 2;
                    if (best < 0 || rank < Rank(best, used)) best = r;
                }
                chosen = best;
            }
            if (chosen >= 0)
            {
                cur.Register = chosen;
                used |= 1 << chosen;
                active.Add(cur);
                continue;
            }

            // Nothing is free for the whole interval: spill the cheapest set of conflicting intervals, or cur.
            var bestReg = -1;
            var bestCost = double.MaxValue;
            foreach (var r in Preference)
            {
                if ((mask & (1 << r)) == 0 || Fixed[r].Intersection(cur) != int.MaxValue) continue;
                double cost = 0;
                foreach (var it in active) if (it.Register == r) cost += it.Weight;
                foreach (var it in inactive) if (it.Register == r && it.Intersection(cur) != int.MaxValue) cost += it.Weight;
                if (cost < bestCost) { bestCost = cost; bestReg = r; }
            }
            if (bestReg >= 0 && bestCost < cur.Weight)
            {
                foreach (var it in active.Where(it => it.Register == bestReg).ToList()) { active.Remove(it); Spill(it); }
                foreach (var it in inactive.Where(it => it.Register == bestReg && it.Intersection(cur) != int.MaxValue).ToList()) { inactive.Remove(it); Spill(it); }
                cur.Register = bestReg;
                used |= 1 << bestReg;
                active.Add(cur);
            }
            else Spill(cur);
        }
        UsedRegisters = used;
    }

    private static int Rank(int r, int used) => (RegisterMasks.CallerSaved & (1 << r)) != 0 ? 0 : (used & (1 << r)) != 0 ? 1 : 2;

    private void Spill(LiveInterval it)
    {
        it.Register = -1;
        it.Spilled = true;
        AnySpilled = true;
    }

    private void AssignSlots()
    {
        Home = new int[_f.VRegs.Count];
        Array.Fill(Home, -1);
        var parameters = new HashSet<VReg>(_f.Parameters);
        // Slots are shared by spilled registers whose intervals do not overlap (in order of start).
        var slotEnd = new List<int>();
        foreach (var it in Intervals.Where(i => i.Spilled && !parameters.Contains(i.VReg!)).OrderBy(i => i.Start))
        {
            var slot = slotEnd.FindIndex(e => e <= it.Start);
            if (slot < 0) { slot = slotEnd.Count; slotEnd.Add(0); }
            slotEnd[slot] = it.End;
            Home[it.VReg!.Id] = slot;
        }
        SpillSlots = slotEnd.Count;
    }

    private Dictionary<IrBlock, BitArray>? _liveIn;

    /// <summary>Live-in registers of a block (by identity: later passes may drop blocks).</summary>
    public BitArray LiveIn(IrBlock block)
    {
        if (_liveIn is null)
        {
            _liveIn = [];
            for (var i = 0; i < _f.Blocks.Count; i++) _liveIn[_f.Blocks[i]] = _live.LiveIn[i];
        }
        return _liveIn[block];
    }
}
