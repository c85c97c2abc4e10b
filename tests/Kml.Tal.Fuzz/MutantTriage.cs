using Iced.Intel;

namespace Kml.Tal.Fuzz;

/// <summary>
/// Sorts accepted code mutants by what the flipped bits changed, comparing the linear decodes of the
/// original and the mutant: only immediates or displacements, registers, the operation itself, or the
/// instruction boundaries. It tells the run-time oracle where surprises are most likely.
/// </summary>
public static class MutantTriage
{
    public static string Classify(byte[] original, byte[] mutant, uint address)
    {
        var a = Decode(original, address);
        var b = Decode(mutant, address);
        if (a.Count != b.Count || a.Zip(b).Any(p => p.First.IP != p.Second.IP || p.First.Length != p.Second.Length)) return "instruction boundaries";
        var kind = "no decoded change";
        for (var i = 0; i < a.Count; i++)
        {
            var (x, y) = (a[i], b[i]);
            if (x.Code != y.Code) return "operation (opcode)";
            for (var op = 0; op < x.OpCount; op++)
            {
                if (x.GetOpKind(op) != y.GetOpKind(op)) return "operation (opcode)";
                if (x.GetOpKind(op) == OpKind.Register && x.GetOpRegister(op) != y.GetOpRegister(op)) kind = "registers";
                if (x.GetOpKind(op) == OpKind.Memory && (x.MemoryBase != y.MemoryBase || x.MemoryIndex != y.MemoryIndex || x.MemoryIndexScale != y.MemoryIndexScale)) kind = "registers";
                if (kind != "registers" && x.GetOpKind(op) == OpKind.Memory && x.MemoryDisplacement32 != y.MemoryDisplacement32) kind = "immediates or displacements";
                if (kind != "registers" && x.GetOpKind(op) is not (OpKind.Register or OpKind.Memory) && !x.Equals(y)) kind = "immediates or displacements";
            }
        }
        return kind;
    }

    private static List<Instruction> Decode(byte[] code, uint address)
    {
        var decoder = Decoder.Create(32, new ByteArrayCodeReader(code), address);
        var list = new List<Instruction>();
        while (decoder.IP < address + (ulong)code.Length)
        {
            decoder.Decode(out var ins);
            list.Add(ins);
        }
        return list;
    }
}
