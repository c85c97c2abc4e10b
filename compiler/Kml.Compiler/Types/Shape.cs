using Kml.Compiler.Ir;
using Kml.Tal.Types;

namespace Kml.Compiler.Types;

/// <summary>One 32-bit piece of a value: where it is stored in memory and its type in a register.</summary>
/// <param name="Offset">Byte offset in the value's storage.</param>
/// <param name="Kind">How it is stored (width, signedness, pointer).</param>
/// <param name="RegisterType">Its TAL type in a register or stack slot.</param>
public readonly record struct Leaf(int Offset, MemKind Kind, ValType RegisterType);

/// <summary>
/// How a C# type's values are represented: as a list of 32-bit leaves in registers (an int is one leaf, a long
/// two (lo, hi), a struct the leaves of its fields in order, a reference one pointer) and as storage in memory
/// (a size, an alignment and the TAL field type used for array elements and fields).
/// </summary>
public sealed class Shape
{
    internal Shape(Leaf[] leaves, int size, int align, FieldType? storage)
    {
        Leaves = leaves;
        Size = size;
        Align = align;
        Storage = storage;
    }

    /// <summary>The leaves, in order.</summary>
    public Leaf[] Leaves { get; }

    /// <summary>Bytes in memory.</summary>
    public int Size { get; }

    /// <summary>Alignment in memory.</summary>
    public int Align { get; }

    /// <summary>The TAL storage type (null for void).</summary>
    public FieldType? Storage { get; }

    /// <summary>The register types of the leaves.</summary>
    public ValType[] RegisterTypes => [.. Leaves.Select(l => l.RegisterType)];

    /// <summary>Number of leaves.</summary>
    public int Count => Leaves.Length;
}

/// <summary>Where an instance field lives: its byte offset in the object or struct, and its leaves within the struct's leaves.</summary>
/// <param name="Offset">Byte offset.</param>
/// <param name="FirstLeaf">Index of its first leaf in the containing struct's leaves (structs only).</param>
/// <param name="Shape">The field's own shape.</param>
public sealed record FieldSlot(int Offset, int FirstLeaf, Shape Shape);
