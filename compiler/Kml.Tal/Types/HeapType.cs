namespace Kml.Tal.Types;

/// <summary>What a pointer points to: a struct object or an array with a length header.</summary>
public abstract record HeapType;

/// <summary>A heap or static object laid out as the named struct.</summary>
/// <param name="Name">The struct's name.</param>
public sealed record StructHeap(string Name) : HeapType
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// An array: a 4-byte length header (an unsigned count of elements, less than 2^31) followed by the
/// elements. <paramref name="ReadOnly"/> arrays (string literals, `const u8[]`) cannot be written through this pointer.
/// </summary>
/// <param name="Element">The element's storage type.</param>
/// <param name="ReadOnly">Whether the elements are read-only through this pointer.</param>
public sealed record ArrayHeap(FieldType Element, bool ReadOnly) : HeapType
{
    /// <inheritdoc/>
    public override string ToString() => (ReadOnly ? "const " : "") + (Element is PointerField ? $"({Element})" : Element.ToString()) + "[]";
}
