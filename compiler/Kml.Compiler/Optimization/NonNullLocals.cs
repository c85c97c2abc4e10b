using Kml.Compiler.Ir;
using Kml.Tal.Types;

namespace Kml.Compiler.Optimization;

/// <summary>
/// Gives a nullable pointer register the non-null type when every value it is ever assigned is non-null: an
/// allocation, a static object, or a copy of such a register (<c>int[] a = new int[n];</c> declares a nullable
/// local in the IR, since its C# type is a reference). Its spill slot and the labels then say <c>ptr T</c>, so
/// neither a reload nor a call needs a null test (<see cref="NullFacts"/> knows only values kept in registers).
/// </summary>
internal static class NonNullLocals
{
    public static void Run(IrFunction f)
    {
        var defs = new List<Inst>?[f.VRegs.Count];
        foreach (var b in f.Blocks)
            foreach (var i in b.Instructions)
                foreach (var d in i.Defs) (defs[d.Id] ??= []).Add(i);
        var parameters = new HashSet<VReg>(f.Parameters);
        // Optimistic: every nullable pointer register with definitions is a candidate until one of them may be null.
        var candidate = new bool[f.VRegs.Count];
        foreach (var v in f.VRegs)
            candidate[v.Id] = v.Type is PtrType { Nullable: true } && v.Fixed < 0 && !parameters.Contains(v) && defs[v.Id] is { Count: > 0 };
        bool NonNull(Opnd u) => u.Kind == OperandKind.Data || (u.IsReg && (u.Reg!.Type is PtrType { Nullable: false } || candidate[u.Reg.Id]));
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var v in f.VRegs)
            {
                if (!candidate[v.Id]) continue;
                if (defs[v.Id]!.All(i => i.Op == Op.Mov && i.Defs.Length == 1 && NonNull(i.Uses[0]))) continue;
                candidate[v.Id] = false;
                changed = true;
            }
        }
        foreach (var v in f.VRegs)
            if (candidate[v.Id]) v.Type = ((PtrType)v.Type) with { Nullable = false };
    }
}
