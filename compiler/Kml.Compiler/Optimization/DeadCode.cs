using Kml.Compiler.Ir;

namespace Kml.Compiler.Optimization;

/// <summary>Removes instructions without effects whose results nobody reads (repeated until nothing changes).</summary>
internal static class DeadCode
{
    public static void Run(IrFunction f)
    {
        bool changed;
        do
        {
            changed = false;
            var uses = new int[f.VRegs.Count];
            foreach (var b in f.Blocks)
                foreach (var i in b.Instructions)
                    foreach (var u in i.Uses)
                        if (u.IsReg) uses[u.Reg!.Id]++;
            foreach (var b in f.Blocks)
            {
                var removed = b.Instructions.RemoveAll(i => Pure(i) && i.Defs.Length > 0 && i.Defs.All(d => uses[d.Id] == 0));
                // A copy of a register to itself does nothing either.
                removed += b.Instructions.RemoveAll(i => i.Op == Op.Mov && i.Uses[0].IsReg && i.Uses[0].Reg == i.Defs[0]);
                if (removed > 0) changed = true;
            }
        }
        while (changed);
    }

    private static bool Pure(Inst i) => i.Op switch
    {
        Op.Mov or Op.Add or Op.Sub or Op.And or Op.Or or Op.Xor or Op.Imul or Op.Shl or Op.Shr or Op.Sar or Op.Neg or Op.Not
            or Op.SignExtend8 or Op.ZeroExtend8 or Op.SignExtend16 or Op.ZeroExtend16 or Op.SetCond or Op.SetCond64 or Op.Select
            or Op.Cdq or Op.MulWide or Op.AddPair or Op.SubPair or Op.NegPair or Op.ShlPair or Op.ShrPair or Op.SarPair => true,
        // Division is checked before it runs (zero, MinValue / -1), so an unused one can go.
        Op.Div or Op.IDiv => true,
        Op.Load or Op.LoadLength => !i.NullCheck,
        _ => false,
    };
}
