using Kml.Compiler.Ir;

namespace Kml.Compiler.Optimization;

/// <summary>
/// Loop-invariant code motion for pure integer instructions: <c>t = i * N</c> inside the inner loop of a matrix
/// product, say, moves to the loop's preheader when its operands are constants or registers the loop never writes
/// and <c>t</c> is defined nowhere else. Loops are the natural loops of back edges (found with dominators), inner
/// loops first, so an instruction moved out of an inner loop can move on out of the outer one. The preheader is the
/// header's single predecessor outside the loop; the instruction goes before its terminator, so it also runs when
/// the loop is then skipped, which is why only instructions that cannot trap or write memory move (a bounds or null
/// check, a load, a division stay where they are: the checker requires a bounds check at every access anyway).
/// </summary>
internal static class LoopInvariants
{
    public static void Run(IrFunction f)
    {
        var blocks = f.Blocks;
        var n = blocks.Count;
        if (n < 2) return;
        var index = new Dictionary<IrBlock, int>();
        for (var i = 0; i < n; i++) index[blocks[i]] = i;
        var preds = new List<int>[n];
        for (var i = 0; i < n; i++) preds[i] = [];
        for (var i = 0; i < n; i++)
            foreach (var s in blocks[i].Successors) preds[index[s]].Add(i);
        var dom = Dominators(n, preds);

        // Natural loops: for each back edge tail -> header (header dominates tail), the blocks that reach the tail
        // without passing the header. Loops sharing a header are merged.
        var loops = new Dictionary<int, HashSet<int>>();
        for (var tail = 0; tail < n; tail++)
            foreach (var s in blocks[tail].Successors)
            {
                var header = index[s];
                if (!dom[tail][header]) continue;
                if (!loops.TryGetValue(header, out var body)) loops[header] = body = [header];
                var work = new Stack<int>();
                if (body.Add(tail)) work.Push(tail);
                while (work.Count > 0)
                    foreach (var p in preds[work.Pop()])
                        if (body.Add(p)) work.Push(p);
            }
        if (loops.Count == 0) return;

        var defCount = new int[f.VRegs.Count];
        foreach (var b in blocks)
            foreach (var i in b.Instructions)
                foreach (var d in i.Defs) defCount[d.Id]++;
        foreach (var p in f.Parameters) defCount[p.Id]++;

        foreach (var (header, body) in loops.OrderBy(l => l.Value.Count))
        {
            var outside = preds[header].Where(p => !body.Contains(p)).ToList();
            if (outside.Count != 1) continue;
            var pre = blocks[outside[0]];
            // Registers written inside the loop (hoisted instructions no longer count: they moved out).
            var written = new HashSet<VReg>();
            foreach (var bi in body)
                foreach (var i in blocks[bi].Instructions)
                    foreach (var d in i.Defs) written.Add(d);
            var moved = true;
            while (moved)
            {
                moved = false;
                foreach (var bi in body.Order())
                {
                    var list = blocks[bi].Instructions;
                    for (var k = 0; k < list.Count; k++)
                    {
                        var inst = list[k];
                        if (!Movable(inst, defCount, written)) continue;
                        list.RemoveAt(k--);
                        pre.Instructions.Insert(pre.Instructions.Count - 1, inst);
                        written.Remove(inst.Defs[0]);
                        moved = true;
                    }
                }
            }
        }
    }

    private static bool Movable(Inst inst, int[] defCount, HashSet<VReg> written)
    {
        if (inst.Op is not (Op.Mov or Op.Add or Op.Sub or Op.And or Op.Or or Op.Xor or Op.Imul or Op.Shl or Op.Shr or Op.Sar
            or Op.Neg or Op.Not or Op.SignExtend8 or Op.ZeroExtend8 or Op.SignExtend16 or Op.ZeroExtend16)) return false;
        if (inst.Defs.Length != 1) return false;
        var d = inst.Defs[0];
        if (d.Fixed >= 0 || defCount[d.Id] != 1) return false;
        foreach (var u in inst.Uses)
            if (u.IsReg && (u.Reg!.Fixed >= 0 || written.Contains(u.Reg))) return false;
        // A constant is cheaper to rematerialise than to keep in a register across the loop.
        if (inst.Op == Op.Mov && !inst.Uses[0].IsReg) return false;
        return true;
    }

    /// <summary>dom[b][a]: block a dominates block b (iterative data flow; block 0 is the entry).</summary>
    private static System.Collections.BitArray[] Dominators(int n, List<int>[] preds)
    {
        var dom = new System.Collections.BitArray[n];
        dom[0] = new System.Collections.BitArray(n);
        dom[0][0] = true;
        for (var i = 1; i < n; i++) dom[i] = new System.Collections.BitArray(n, true);
        var changed = true;
        while (changed)
        {
            changed = false;
            for (var i = 1; i < n; i++)
            {
                var d = new System.Collections.BitArray(n, preds[i].Count > 0);
                foreach (var p in preds[i]) d.And(dom[p]);
                d[i] = true;
                for (var k = 0; k < n; k++)
                    if (d[k] != dom[i][k]) { dom[i] = d; changed = true; break; }
            }
        }
        return dom;
    }
}
