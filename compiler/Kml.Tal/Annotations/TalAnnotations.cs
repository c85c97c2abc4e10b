using Kml.Tal.Types;

namespace Kml.Tal.Annotations;

/// <summary>A code label: an offset in .text, a name for messages and symbols, and the state it expects.</summary>
/// <param name="Offset">Byte offset from the start of .text.</param>
/// <param name="Name">Name (may be empty).</param>
/// <param name="Type">The state every jump, call, return or fall-through to it must satisfy.</param>
public sealed record LabelAnnotation(uint Offset, string Name, CodeType Type);

/// <summary>A typed static object in .rodata or .data: a struct, or an array whose header holds its length.</summary>
/// <param name="Address">Its virtual address.</param>
/// <param name="Name">Name (for messages and symbols).</param>
/// <param name="Struct">The struct name, or null for an array.</param>
/// <param name="Element">The array's element type, or null for a struct.</param>
public sealed record DataObject(uint Address, string Name, string? Struct, FieldType? Element);

/// <summary>An import slot: a kernel entry point, with a type argument for the generic allocators.</summary>
/// <param name="Name">Entry point name (see <see cref="Interface.KernelInterface"/>).</param>
/// <param name="TypeArgument">The allocated type of alloc / alloc_array, else null.</param>
public sealed record ImportEntry(string Name, FieldType? TypeArgument);

/// <summary>Everything the checker needs besides the bytes: types, labels, data objects and imports.</summary>
public sealed class TalAnnotations
{
    /// <summary>The program's structs (the kernel interface's records are added by the reader of the checker).</summary>
    public List<StructDef> Structs { get; } = [];

    /// <summary>Annotated code labels, sorted by offset.</summary>
    public List<LabelAnnotation> Labels { get; } = [];

    /// <summary>Typed static objects.</summary>
    public List<DataObject> Data { get; } = [];

    /// <summary>Address of the import table (4 bytes per slot, filled by the loader), 0 when there are no imports.</summary>
    public uint ImportTable { get; set; }

    /// <summary>Import slots, in table order.</summary>
    public List<ImportEntry> Imports { get; } = [];
}
