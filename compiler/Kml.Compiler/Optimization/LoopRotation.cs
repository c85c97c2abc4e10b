using Kml.Compiler.Ir;

namespace Kml.Compiler.Optimization;

/// <summary>
/// Loop rotation by tail duplication: a block that jumps back to a small loop header ending in a conditional
/// branch gets a copy of the header instead, so each iteration ends with one compare-and-branch instead of a jump
/// to the test.
/// </summary>
internal static class LoopRotation
{
    private const int MaxHeaderInstructions = 6;

    public static void Run(IrFunction f)
    {
        var order = new Dictionary<IrBlock, int>();
        for (var i = 0; i < f.Blocks.Count; i++) order[f.Blocks[i]] = i;
        foreach (var b in f.Blocks.ToList())
        {
            var t = b.Terminator;
            if (t is not { Op: Op.Jump } || t.Target is not { } header || order[header] > order[b]) continue;
            var ht = header.Terminator;
            if (ht is null || ht.Op is not (Op.Branch or Op.Branch64) || header.Instructions.Count > MaxHeaderInstructions) continue;
            if (header.Instructions.Any(i => i.Defs.Any(d => d.Fixed >= 0))) continue;
            b.Instructions.RemoveAt(b.Instructions.Count - 1);
            foreach (var i in header.Instructions) b.Instructions.Add(Clone(i));
        }
    }

    private static Inst Clone(Inst i) => new(i.Op, [.. i.Defs], [.. i.Uses], i.Location)
    {
        Cond = i.Cond, Kind = i.Kind, Offset = i.Offset, ElemSize = i.ElemSize, NullCheck = i.NullCheck, PanicKind = i.PanicKind,
        Callee = i.Callee, Import = i.Import, Target = i.Target, Else = i.Else, ScratchDef = i.ScratchDef,
    };
}
