using Kml.Tal.Types;

namespace Kml.Tal.Checker;

/// <summary>
/// The subtyping relation (docs/tal.md, "Subtyping"). Pointers are invariant in what they point to, except
/// that a read-only array view may be covariant in its element type; a mutable field or element never is.
/// </summary>
internal static class Subtyping
{
    /// <summary>Whether a value of type <paramref name="s"/> may be used where <paramref name="t"/> is expected.</summary>
    public static bool Sub(ValType s, ValType t)
    {
        if (t is JunkType) return true;
        if (s.Equals(t)) return true;
        switch (t)
        {
            case IntType: return s.IsInt;
            case PtrType pt:
                if (s is NullType) return pt.Nullable;
                return s is PtrType ps && (!ps.Nullable || pt.Nullable) && HeapSub(ps.Target, pt.Target);
            default: return false;
        }
    }

    /// <summary>Whether a pointer to <paramref name="s"/> may be viewed as a pointer to <paramref name="t"/>.</summary>
    public static bool HeapSub(HeapType s, HeapType t)
    {
        if (s.Equals(t)) return true;
        // A read-only view of an array may see its elements at a supertype: nothing can be written through it.
        return t is ArrayHeap { ReadOnly: true } ta && s is ArrayHeap sa && ReadOnlyElementSub(sa.Element, ta.Element);
    }

    private static bool ReadOnlyElementSub(FieldType s, FieldType t) =>
        s.Equals(t) || (s is PointerField ps && t is PointerField pt && Sub(ps.Pointer, pt.Pointer));

    /// <summary>Drops facts about registers (len, index, eoff) that a stack slot or type variable cannot keep.</summary>
    public static ValType Degrade(ValType v) => v.RefersTo >= 0 ? IntType.Instance : v;
}
