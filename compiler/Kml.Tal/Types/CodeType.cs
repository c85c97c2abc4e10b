using System.Text;

namespace Kml.Tal.Types;

/// <summary>
/// The state a code label expects: a type for each register (absent = uninit), the stack from esp upward
/// (the slots) followed by the abstract tail ρ (the caller's stack, which the code may not touch), and
/// how many bytes below esp may be unprobed (see docs/tal.md, "The stack and its guard page").
/// Type variables ('a) and ρ are universally quantified: a jump instantiates them.
/// </summary>
public sealed class CodeType : IEquatable<CodeType>
{
    /// <summary>Creates a code type.</summary>
    /// <param name="registers">Eight entries indexed by <see cref="Gpr"/>; the esp entry must be uninit.</param>
    /// <param name="slots">Stack slots from esp upward (4 bytes each).</param>
    /// <param name="unprobed">Bytes that esp may be below the lowest address known to be mapped stack.</param>
    public CodeType(ValType[] registers, ValType[] slots, int unprobed = 0)
    {
        if (registers.Length != Gpr.Count) throw new ArgumentException("need 8 registers", nameof(registers));
        Registers = registers;
        Slots = slots;
        Unprobed = unprobed;
    }

    /// <summary>Register types, indexed by <see cref="Gpr"/>.</summary>
    public ValType[] Registers { get; }

    /// <summary>Stack slot types, from esp upward; the abstract tail ρ follows the last one.</summary>
    public ValType[] Slots { get; }

    /// <summary>Unprobed bytes below the lowest address known to be mapped stack (0 at most labels).</summary>
    public int Unprobed { get; }

    /// <summary>A code type with every register uninit and the given slots.</summary>
    public static CodeType Empty(params ValType[] slots)
    {
        var regs = new ValType[Gpr.Count];
        Array.Fill(regs, JunkType.Instance);
        return new CodeType(regs, slots);
    }

    /// <inheritdoc/>
    public bool Equals(CodeType? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (Unprobed != other.Unprobed || Slots.Length != other.Slots.Length) return false;
        for (var i = 0; i < Gpr.Count; i++)
            if (!Registers[i].Equals(other.Registers[i])) return false;
        for (var i = 0; i < Slots.Length; i++)
            if (!Slots[i].Equals(other.Slots[i])) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as CodeType);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var r in Registers) h.Add(r);
        foreach (var s in Slots) h.Add(s);
        h.Add(Unprobed);
        return h.ToHashCode();
    }

    /// <summary>The TAL spelling: <c>{eax: int, esp: [ret {...}, int, ...]}</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        foreach (var r in Gpr.Typed)
        {
            if (Registers[r] is JunkType) continue;
            sb.Append(Gpr.Name(r)).Append(": ").Append(Registers[r]).Append(", ");
        }
        sb.Append("esp: ").Append(StackToString(Slots));
        if (Unprobed != 0) sb.Append(", unprobed: ").Append(Unprobed);
        return sb.Append('}').ToString();
    }

    /// <summary>Spells a stack: <c>[int, 'ebx, ...]</c> (the trailing "..." is the abstract tail).</summary>
    public static string StackToString(IReadOnlyList<ValType> slots)
    {
        var sb = new StringBuilder("[");
        foreach (var s in slots) sb.Append(s).Append(", ");
        return sb.Append("...]").ToString();
    }
}
