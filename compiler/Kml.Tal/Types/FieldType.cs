namespace Kml.Tal.Types;

/// <summary>The storage type of a struct field or an array element.</summary>
public abstract record FieldType;

/// <summary>An integer of the given kind.</summary>
/// <param name="Kind">Its kind.</param>
public sealed record ScalarField(ScalarKind Kind) : FieldType
{
    /// <inheritdoc/>
    public override string ToString() => Kind.Spelling();
}

/// <summary>A 4-byte pointer.</summary>
/// <param name="Pointer">Its type.</param>
public sealed record PointerField(PtrType Pointer) : FieldType
{
    /// <inheritdoc/>
    public override string ToString() => Pointer.ToString();
}

/// <summary>A struct stored inline (its fields are flattened into the outer layout).</summary>
/// <param name="StructName">The inline struct's name.</param>
public sealed record InlineField(string StructName) : FieldType
{
    /// <inheritdoc/>
    public override string ToString() => StructName;
}
