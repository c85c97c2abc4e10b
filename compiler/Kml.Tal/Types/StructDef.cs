namespace Kml.Tal.Types;

/// <summary>One field of a struct: its name, byte offset, storage type and mutability.</summary>
/// <param name="Name">Field name (for messages).</param>
/// <param name="Offset">Byte offset from the start of the struct.</param>
/// <param name="Type">Storage type.</param>
/// <param name="Mutable">Whether the program may write it.</param>
public sealed record FieldDef(string Name, int Offset, FieldType Type, bool Mutable);

/// <summary>A named layout for heap objects, static data, array elements and inline fields.</summary>
/// <param name="Name">Struct name (unique; names starting with "kml." are reserved for the kernel interface).</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Fields">Fields, in any order; they must not overlap and must fit in <paramref name="Size"/>.</param>
public sealed record StructDef(string Name, int Size, IReadOnlyList<FieldDef> Fields);

/// <summary>
/// A flattened cell of a layout: an integer range or a pointer, at a byte offset. Inline structs and
/// 64-bit integers are flattened into cells of at most 4 bytes.
/// </summary>
/// <param name="Offset">Byte offset.</param>
/// <param name="Size">Size in bytes (1, 2 or 4).</param>
/// <param name="Pointer">The pointer type, or null for an integer cell.</param>
/// <param name="Mutable">Whether the program may write it.</param>
/// <param name="Name">Dotted field path, for messages.</param>
public sealed record Cell(int Offset, int Size, PtrType? Pointer, bool Mutable, string Name);
