using Kml.Compiler.Ir;

namespace Kml.Compiler.Optimization;

/// <summary>Control flow cleanup: unreachable blocks go, jumps to jumps are threaded.</summary>
internal static class Cleanup
{
    public static void RemoveUnreachable(IrFunction f)
    {
        var reached = new HashSet<IrBlock>();
        var work = new Stack<IrBlock>();
        work.Push(f.Blocks[0]);
        while (work.Count > 0)
        {
            var b = work.Pop();
            if (!reached.Add(b)) continue;
            foreach (var s in b.Successors) work.Push(s);
        }
        f.Blocks.RemoveAll(b => !reached.Contains(b));
        foreach (var b in f.Blocks)
            if (b.Terminator is null) throw new InvalidOperationException($"{f.Name}: block {b.Name} has no terminator");
    }

    /// <summary>
    /// After register allocation: a block of copies that the allocation made empty (source and destination in the
    /// same register) and a jump is bypassed too.
    /// </summary>
    public static void ThreadEmptyBlocks(IrFunction f, Func<VReg, int> register)
    {
        bool Empty(IrBlock b) =>
            b != f.Blocks[0] && b.Terminator is { Op: Op.Jump }
            && b.Instructions.Take(b.Instructions.Count - 1).All(i => i.Op == Op.Mov && i.Uses[0].IsReg && register(i.Defs[0]) >= 0 && register(i.Defs[0]) == register(i.Uses[0].Reg!));
        IrBlock Final(IrBlock b)
        {
            var seen = new HashSet<IrBlock>();
            while (Empty(b) && seen.Add(b)) b = b.Terminator!.Target!;
            return b;
        }
        foreach (var b in f.Blocks)
        {
            var t = b.Terminator!;
            if (t.Target is not null) t.Target = Final(t.Target);
            if (t.Else is not null) t.Else = Final(t.Else);
        }
        RemoveUnreachable(f);
    }

    /// <summary>A block holding only "jump X" is bypassed: its predecessors go to X directly.</summary>
    public static void ThreadJumps(IrFunction f)
    {
        IrBlock Final(IrBlock b)
        {
            var seen = new HashSet<IrBlock>();
            while (b.Instructions.Count == 1 && b.Terminator is { Op: Op.Jump } j && seen.Add(b)) b = j.Target!;
            return b;
        }
        foreach (var b in f.Blocks)
        {
            var t = b.Terminator!;
            if (t.Target is not null) t.Target = Final(t.Target);
            if (t.Else is not null) t.Else = Final(t.Else);
            if (t.Op == Op.Branch && t.Target == t.Else)
            {
                t.Op = Op.Jump;
                t.Uses = [];
                t.Else = null;
            }
        }
    }
}
