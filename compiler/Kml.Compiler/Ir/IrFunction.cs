using System.Text;
using Kml.Tal.Types;

namespace Kml.Compiler.Ir;

/// <summary>
/// A function of the program in IR form. Its arguments are 32-bit leaves on the stack (the first at [esp+4] on
/// entry); its results are leaves too: one or two in eax (and edx), more in result slots above the arguments.
/// </summary>
public sealed class IrFunction
{
    private int _nextVReg;
    private int _nextBlock;

    /// <summary>Creates an empty function.</summary>
    public IrFunction(string name, ValType[] parameters, ValType[] results, bool isEntry = false)
    {
        Name = name;
        ParameterTypes = parameters;
        ResultTypes = results;
        IsEntry = isEntry;
    }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The types of the argument leaves, first argument first.</summary>
    public ValType[] ParameterTypes { get; }

    /// <summary>The types of the result leaves.</summary>
    public ValType[] ResultTypes { get; }

    /// <summary>Whether results come back in registers (at most two leaves) rather than in result slots.</summary>
    public bool ResultsInRegisters => ResultTypes.Length <= 2;

    /// <summary>Whether this is the program's entry (_start): no return address, ends with exit.</summary>
    public bool IsEntry { get; }

    /// <summary>Blocks; the first is the entry.</summary>
    public List<IrBlock> Blocks { get; } = [];

    /// <summary>Every virtual register.</summary>
    public List<VReg> VRegs { get; } = [];

    /// <summary>The registers that receive the arguments (defined on entry), in argument order.</summary>
    public List<VReg> Parameters { get; } = [];

    /// <summary>The C# method it was compiled from (for listings), or a description.</summary>
    public string Description { get; set; } = "";

    /// <summary>A new virtual register.</summary>
    public VReg NewVReg(ValType type, string? name = null)
    {
        var id = _nextVReg++;
        var r = new VReg(id, type, name ?? "t" + id);
        VRegs.Add(r);
        return r;
    }

    /// <summary>A new block (not yet placed: add it to <see cref="Blocks"/>).</summary>
    public IrBlock NewBlock(string? hint = null)
    {
        var id = _nextBlock++;
        return new IrBlock(id, hint is null ? "B" + id : hint + id);
    }

    /// <summary>The IR as text (for tests and debugging).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("function ").Append(Name).Append('(').Append(string.Join(", ", Parameters)).Append(") -> [")
            .Append(string.Join(", ", ResultTypes.Select(t => t.ToString()))).AppendLine("]");
        foreach (var b in Blocks)
        {
            sb.Append(b.Name).AppendLine(":");
            foreach (var i in b.Instructions) sb.Append("    ").AppendLine(i.ToString());
        }
        return sb.ToString();
    }
}
