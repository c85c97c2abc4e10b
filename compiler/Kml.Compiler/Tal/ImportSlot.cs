using Kml.Tal.Types;

namespace Kml.Compiler.Tal;

/// <summary>A slot of the import table: a kernel entry point, with the allocated type for alloc and alloc_array.</summary>
/// <param name="Entry">The entry point's name (<see cref="Kml.Tal.Interface.KernelInterface"/>).</param>
/// <param name="TypeArgument">alloc's struct or alloc_array's element, else null.</param>
public sealed record ImportSlot(string Entry, FieldType? TypeArgument)
{
    /// <summary>Its index in the table, once the table is laid out.</summary>
    public int Index { get; set; } = -1;

    /// <inheritdoc/>
    public override string ToString() => TypeArgument is null ? Entry : $"{Entry}<{TypeArgument}>";

    /// <inheritdoc/>
    public bool Equals(ImportSlot? other) => other is not null && Entry == other.Entry && Equals(TypeArgument, other.TypeArgument);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Entry, TypeArgument);
}
