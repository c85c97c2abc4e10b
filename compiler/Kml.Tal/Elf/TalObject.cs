namespace Kml.Tal.Elf;

/// <summary>A symbol for readelf/objdump (labels and data objects); the checker never reads symbols.</summary>
/// <param name="Name">Symbol name.</param>
/// <param name="Address">Its address.</param>
/// <param name="Size">Its size (0 for code labels).</param>
/// <param name="IsFunction">STT_FUNC (code) or STT_OBJECT (data).</param>
public sealed record ElfSymbol(string Name, uint Address, uint Size, bool IsFunction);

/// <summary>A section that is never loaded: a name and bytes for tools (a line map, for instance).</summary>
/// <param name="Name">Section name (ASCII, starting with a dot).</param>
/// <param name="Bytes">Contents.</param>
public sealed record NoteSection(string Name, byte[] Bytes);

/// <summary>One loadable section of a TAL object: its address and bytes.</summary>
/// <param name="Address">Virtual address (page-aligned).</param>
/// <param name="Bytes">Contents.</param>
public sealed record TalSection(uint Address, byte[] Bytes);

/// <summary>
/// The contents of a TAL object file: the loadable sections, the entry point, the encoded annotations
/// and symbols. <see cref="ElfWriter"/> writes it; <see cref="ElfReader"/> reads and validates it.
/// </summary>
public sealed class TalObject
{
    /// <summary>Machine code.</summary>
    public required TalSection Text { get; init; }
    /// <summary>Read-only typed data, or null.</summary>
    public TalSection? RoData { get; init; }
    /// <summary>The import table (zero bytes in the file, filled by the loader), or null.</summary>
    public TalSection? Imports { get; init; }
    /// <summary>Mutable typed data, or null.</summary>
    public TalSection? Data { get; init; }
    /// <summary>The entry point address.</summary>
    public required uint Entry { get; init; }
    /// <summary>The bytes of the .kml.tal section.</summary>
    public required byte[] Annotations { get; init; }
    /// <summary>Symbols for tools.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; init; } = [];
    /// <summary>
    /// Extra sections that are never loaded (no SHF_ALLOC), for tools and messages only, such as the compiler's
    /// line map (<c>.kml.lines</c>). The checker and the loader ignore them; <see cref="ElfReader"/> does not read them
    /// (use <see cref="ElfSections.Find"/>).
    /// </summary>
    public IReadOnlyList<NoteSection> Notes { get; init; } = [];

    /// <summary>The loadable sections in their fixed order (.text, .rodata, .kml.imports, .data), null where absent.</summary>
    public TalSection?[] Loadable => [Text, RoData, Imports, Data];
}
