using System.Collections;
using Kml.Compiler.CodeGen;
using Kml.Compiler.Ir;
using Kml.Tal.Interface;
using Kml.Tal.Lines;
using Kml.Tal.Types;

namespace Kml.Compiler.Optimization;

/// <summary>
/// Which pointer registers are known non-null where (a forward must-analysis after register allocation), used
/// twice: a null check of a value already checked (and not written since) is dropped, and a block's TAL type says
/// <c>ptr C</c> rather than <c>ptr? C</c> for such values, so calls need no test either. A fact counts only for a
/// value kept in a machine register: the checker learns non-nullness from a test of that register (or from where
/// the value came from), never for a copy loaded from a spill slot.
/// </summary>
internal static class NullFacts
{
    public static void Run(IrFunction f, LinearScan alloc)
    {
        var n = f.VRegs.Count;
        bool InRegister(VReg v) => alloc.Intervals[v.Id].Register >= 0;
        var index = new Dictionary<IrBlock, int>();
        for (var i = 0; i < f.Blocks.Count; i++) index[f.Blocks[i]] = i;
        var preds = f.Blocks.Select(_ => new List<(int From, bool IsTarget)>()).ToArray();
        for (var i = 0; i < f.Blocks.Count; i++)
        {
            var t = f.Blocks[i].Terminator!;
            if (t.Target is { } a) preds[index[a]].Add((i, true));
            if (t.Else is { } e && e != t.Target) preds[index[e]].Add((i, false));
        }

        var input = new BitArray[f.Blocks.Count];
        var outTarget = new BitArray[f.Blocks.Count];
        var outElse = new BitArray[f.Blocks.Count];
        for (var i = 0; i < f.Blocks.Count; i++)
        {
            input[i] = new BitArray(n, i != 0);
            outTarget[i] = new BitArray(n, true);
            outElse[i] = new BitArray(n, true);
        }
        var changed = true;
        while (changed)
        {
            changed = false;
            for (var i = 0; i < f.Blocks.Count; i++)
            {
                if (i > 0)
                {
                    var meet = new BitArray(n, true);
                    foreach (var (from, isTarget) in preds[i]) meet.And(isTarget ? outTarget[from] : outElse[from]);
                    if (preds[i].Count == 0) meet.SetAll(false);
                    if (!Same(meet, input[i])) { input[i] = meet; changed = true; }
                }
                var facts = new BitArray(input[i]);
                foreach (var inst in f.Blocks[i].Instructions) Step(inst, facts, InRegister, apply: false);
                var (taken, fall) = Edges(f.Blocks[i].Terminator!, facts, InRegister);
                if (!Same(taken, outTarget[i]) || !Same(fall, outElse[i])) { outTarget[i] = taken; outElse[i] = fall; changed = true; }
            }
        }
        for (var i = 0; i < f.Blocks.Count; i++)
        {
            f.Blocks[i].NonNullIn = input[i];
            var facts = new BitArray(input[i]);
            foreach (var inst in f.Blocks[i].Instructions) Step(inst, facts, InRegister, apply: true);
        }
    }

    private static bool Same(BitArray a, BitArray b)
    {
        for (var i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    private static bool NonNullType(ValType t) => t is PtrType { Nullable: false };

    /// <summary>Applies one instruction to the facts; with <paramref name="apply"/>, drops checks the facts make redundant.</summary>
    private static void Step(Inst inst, BitArray facts, Func<VReg, bool> inRegister, bool apply)
    {
        bool Known(Opnd u) => u.Kind == OperandKind.Data || (u.IsReg && (NonNullType(u.Reg!.Type) || facts[u.Reg.Id]));
        switch (inst.Op)
        {
            case Op.Load or Op.Store or Op.LoadLength or Op.LoadElem or Op.StoreElem when inst.Uses[0].IsReg:
            {
                var b = inst.Uses[0].Reg!;
                if (inst.NullCheck && Known(inst.Uses[0]))
                {
                    if (apply) inst.NullCheck = false;
                }
                else if (inst.NullCheck && inRegister(b)) facts[b.Id] = true;
                break;
            }
            case Op.PanicIf when inst.PanicKind == RuntimeError.NullReference && inst.Cond == Cond.Eq && inst.Uses[1] is { IsImm: true, Imm: 0 } && inst.Uses[0].IsReg:
                if (inRegister(inst.Uses[0].Reg!)) facts[inst.Uses[0].Reg!.Id] = true;
                break;
            case Op.Call or Op.CallImport:
            {
                var parameters = inst.Op == Op.Call ? inst.Callee!.ParameterTypes : Parameters(inst);
                long mask = 0;
                for (var a = 0; a < inst.Uses.Length && a < 64; a++)
                {
                    var u = inst.Uses[a];
                    if (!NonNullType(parameters[a]) || !u.IsReg) continue;
                    if (Known(u) && inRegister(u.Reg!)) mask |= 1L << a;
                    // The call tests the argument (in its register) before passing it: afterwards it is known.
                    else if (inRegister(u.Reg!)) facts[u.Reg!.Id] = true;
                }
                if (apply) inst.NonNullArgs = mask;
                break;
            }
        }
        foreach (var d in inst.Defs)
        {
            var known = NonNullType(d.Type) || (inst.Op == Op.Mov && Known(inst.Uses[0]) && (!inst.Uses[0].IsReg || inRegister(inst.Uses[0].Reg!)));
            facts[d.Id] = known && inRegister(d);
        }
    }

    private static ValType[] Parameters(Inst inst)
    {
        var entry = KernelInterface.Entries[inst.Import!.Entry];
        return entry.Generic == ImportGeneric.AllocArray ? [IntType.Instance] : entry.Parameters;
    }

    /// <summary>The facts on the taken and the fall-through edge of a terminator (a test against null teaches one side).</summary>
    private static (BitArray Taken, BitArray Fall) Edges(Inst t, BitArray facts, Func<VReg, bool> inRegister)
    {
        var taken = new BitArray(facts);
        var fall = new BitArray(facts);
        if (t.Op == Op.Branch && t.Uses[1] is { IsImm: true, Imm: 0 } && t.Uses[0].IsReg && t.Uses[0].Reg!.IsPointer && inRegister(t.Uses[0].Reg!))
        {
            var v = t.Uses[0].Reg!.Id;
            if (t.Cond == Cond.Ne) taken[v] = true;
            else if (t.Cond == Cond.Eq) fall[v] = true;
        }
        return (taken, fall);
    }
}
