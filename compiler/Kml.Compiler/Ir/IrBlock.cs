namespace Kml.Compiler.Ir;

/// <summary>A basic block: instructions, the last of which is a terminator.</summary>
public sealed class IrBlock
{
    internal IrBlock(int id, string name)
    {
        Id = id;
        Name = name;
    }

    /// <summary>Its number (order of creation).</summary>
    public int Id { get; internal set; }

    /// <summary>A name for labels and listings.</summary>
    public string Name { get; internal set; }

    /// <summary>Its instructions.</summary>
    public List<Inst> Instructions { get; } = [];

    /// <summary>Pointer registers known non-null on entry (set after register allocation; null: none known).</summary>
    public System.Collections.BitArray? NonNullIn { get; set; }

    /// <summary>The terminator, or null while the block is being built.</summary>
    public Inst? Terminator => Instructions.Count > 0 && IrFacts.IsTerminator(Instructions[^1].Op) ? Instructions[^1] : null;

    /// <summary>The blocks the terminator may go to.</summary>
    public IEnumerable<IrBlock> Successors
    {
        get
        {
            var t = Terminator;
            if (t?.Target is { } a) yield return a;
            if (t?.Else is { } b && b != t.Target) yield return b;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
