using System.Text;
using Kml.Compiler.Tal;

namespace Kml.Compiler.Ir;

/// <summary>
/// One IR instruction: an operation, the registers it defines, the operands it uses, and the extra fields its
/// operation needs. Each instruction carries the source location it came from (for the line map and panics).
/// </summary>
public sealed class Inst
{
    /// <summary>Creates an instruction.</summary>
    public Inst(Op op, VReg[] defs, Opnd[] uses, int location)
    {
        Op = op;
        Defs = defs;
        Uses = uses;
        Location = location;
    }

    /// <summary>The operation.</summary>
    public Op Op { get; set; }

    /// <summary>Registers written.</summary>
    public VReg[] Defs { get; set; }

    /// <summary>Operands read.</summary>
    public Opnd[] Uses { get; set; }

    /// <summary>The location (index into the program's location table), or -1.</summary>
    public int Location { get; set; }

    /// <summary>Condition of SetCond, PanicIf, Branch.</summary>
    public Cond Cond { get; set; }

    /// <summary>Memory kind of loads and stores.</summary>
    public MemKind Kind { get; set; }

    /// <summary>Byte offset of loads and stores (field offset within the object or element).</summary>
    public int Offset { get; set; }

    /// <summary>Element size of element accesses.</summary>
    public int ElemSize { get; set; }

    /// <summary>Whether a load or store must first check its base for null (a NullReferenceException in C#).</summary>
    public bool NullCheck { get; set; }

    /// <summary>Whether the last definition is a scratch register the instruction needs (early clobber), as the
    /// scaled index of an element access whose size is not 1, 2, 4 or 8.</summary>
    public bool ScratchDef { get; set; }

    /// <summary>For calls: bit i set when argument i is known non-null in its register (no test needed).</summary>
    public long NonNullArgs { get; set; }

    /// <summary>The panic kind of PanicIf and Panic (<see cref="Kml.Tal.Lines.RuntimeError"/>).</summary>
    public int PanicKind { get; set; }

    /// <summary>The function a Call calls.</summary>
    public IrFunction? Callee { get; set; }

    /// <summary>The import slot a CallImport calls.</summary>
    public ImportSlot? Import { get; set; }

    /// <summary>The taken target of Jump and Branch.</summary>
    public IrBlock? Target { get; set; }

    /// <summary>The fall-through target of Branch.</summary>
    public IrBlock? Else { get; set; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Defs.Length > 0) sb.Append(string.Join(", ", Defs.Select(d => d.ToString()))).Append(" = ");
        sb.Append(Op.ToString().ToLowerInvariant());
        if (Op is Op.SetCond or Op.SetCond64 or Op.PanicIf or Op.Branch or Op.Branch64) sb.Append('.').Append(Cond.ToString().ToLowerInvariant());
        if (Op is Op.Load or Op.Store or Op.LoadElem or Op.StoreElem) sb.Append('.').Append(Kind.ToString().ToLowerInvariant());
        if (Callee is not null) sb.Append(' ').Append(Callee.Name);
        if (Import is not null) sb.Append(' ').Append(Import);
        if (Uses.Length > 0) sb.Append(' ').Append(string.Join(", ", Uses.Select(u => u.ToString())));
        if (Op is Op.Load or Op.Store or Op.LoadElem or Op.StoreElem && Offset != 0) sb.Append(" +").Append(Offset);
        if (Op is Op.LoadElem or Op.StoreElem) sb.Append(" *").Append(ElemSize);
        if (NullCheck) sb.Append(" nullcheck");
        if (Op is Op.PanicIf or Op.Panic) sb.Append(" panic ").Append(PanicKind);
        if (Target is not null) sb.Append(" -> ").Append(Target.Name);
        if (Else is not null) sb.Append(" else ").Append(Else.Name);
        return sb.ToString();
    }
}
