using System.Collections;
using Kml.Compiler.Ir;

namespace Kml.Compiler.CodeGen;

/// <summary>Live-in and live-out sets of virtual registers per block (backward dataflow to a fixpoint).</summary>
internal sealed class Liveness
{
    public Liveness(IrFunction f)
    {
        var n = f.VRegs.Count;
        var index = new Dictionary<IrBlock, int>();
        for (var i = 0; i < f.Blocks.Count; i++) index[f.Blocks[i]] = i;
        Gen = new BitArray[f.Blocks.Count];
        Kill = new BitArray[f.Blocks.Count];
        LiveIn = new BitArray[f.Blocks.Count];
        LiveOut = new BitArray[f.Blocks.Count];
        for (var i = 0; i < f.Blocks.Count; i++)
        {
            var gen = new BitArray(n);
            var kill = new BitArray(n);
            foreach (var inst in f.Blocks[i].Instructions)
            {
                foreach (var u in inst.Uses)
                    if (u.IsReg && !kill[u.Reg!.Id]) gen[u.Reg.Id] = true;
                foreach (var d in inst.Defs) kill[d.Id] = true;
            }
            Gen[i] = gen;
            Kill[i] = kill;
            LiveIn[i] = new BitArray(n);
            LiveOut[i] = new BitArray(n);
        }
        var successors = f.Blocks.Select(b => b.Successors.Select(s => index[s]).ToArray()).ToArray();
        var changed = true;
        while (changed)
        {
            changed = false;
            for (var i = f.Blocks.Count - 1; i >= 0; i--)
            {
                var output = new BitArray(n);
                foreach (var s in successors[i]) output.Or(LiveIn[s]);
                var input = new BitArray(output).And(new BitArray(Kill[i]).Not()).Or(Gen[i]);
                if (!SameBits(input, LiveIn[i]) || !SameBits(output, LiveOut[i]))
                {
                    LiveIn[i] = input;
                    LiveOut[i] = output;
                    changed = true;
                }
            }
        }
    }

    public BitArray[] Gen { get; }
    public BitArray[] Kill { get; }
    public BitArray[] LiveIn { get; }
    public BitArray[] LiveOut { get; }

    private static bool SameBits(BitArray a, BitArray b)
    {
        var x = new int[(a.Length + 31) / 32];
        var y = new int[(b.Length + 31) / 32];
        a.CopyTo(x, 0);
        b.CopyTo(y, 0);
        return x.AsSpan().SequenceEqual(y);
    }
}
