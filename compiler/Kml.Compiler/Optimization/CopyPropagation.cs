using Kml.Compiler.Ir;

namespace Kml.Compiler.Optimization;

/// <summary>
/// Local copy propagation: a temporary defined once by <c>t = mov v</c> and used only later in the same block is
/// replaced by v when v is not written before t's last use. Lowering copies every local it reads (so that a
/// later assignment cannot change a value already read); this pass removes the copies that do not matter.
/// </summary>
internal static class CopyPropagation
{
    public static void Run(IrFunction f)
    {
        var defCount = new int[f.VRegs.Count];
        var useBlock = new IrBlock?[f.VRegs.Count];
        var usedElsewhere = new bool[f.VRegs.Count];
        foreach (var b in f.Blocks)
            foreach (var i in b.Instructions)
            {
                foreach (var d in i.Defs) defCount[d.Id]++;
                foreach (var u in i.Uses)
                {
                    if (!u.IsReg) continue;
                    var id = u.Reg!.Id;
                    if (useBlock[id] is null) useBlock[id] = b;
                    else if (useBlock[id] != b) usedElsewhere[id] = true;
                }
            }
        foreach (var p in f.Parameters) defCount[p.Id]++;

        foreach (var b in f.Blocks)
        {
            var list = b.Instructions;
            for (var k = 0; k < list.Count; k++)
            {
                var mov = list[k];
                if (mov.Op != Op.Mov || !mov.Uses[0].IsReg) continue;
                var t = mov.Defs[0];
                var v = mov.Uses[0].Reg!;
                if (t == v || t.Fixed >= 0 || v.Fixed >= 0 || defCount[t.Id] != 1 || usedElsewhere[t.Id] || useBlock[t.Id] != b) continue;
                // Registers with constraints (a byte register for a byte store, not eax/edx for a divisor) keep their copies.
                if (t.Mask != v.Mask || !SameKind(t, v)) continue;
                // Every use of t must come before any write of v.
                var lastUse = -1;
                for (var j = k + 1; j < list.Count; j++)
                    if (list[j].Uses.Any(u => u.IsReg && u.Reg == t)) lastUse = j;
                if (lastUse < 0) continue;
                var clobbered = false;
                for (var j = k + 1; j < lastUse && !clobbered; j++)
                    if (list[j].Defs.Contains(v)) clobbered = true;
                // The last use may itself write v (v = t + 1): it reads t first, so that is fine.
                if (clobbered) continue;
                for (var j = k + 1; j <= lastUse; j++)
                {
                    var uses = list[j].Uses;
                    for (var x = 0; x < uses.Length; x++)
                        if (uses[x].IsReg && uses[x].Reg == t) uses[x] = v;
                }
            }
        }
    }

    // A copy may change the static type (a non-null pointer copied into a nullable local): keep it when it does.
    private static bool SameKind(VReg t, VReg v) => Equals(t.Type, v.Type) || (t.Type is Kml.Tal.Types.IntType && v.Type is Kml.Tal.Types.IntType);
}
