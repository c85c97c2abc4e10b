using System.Globalization;
using System.Text;
using Iced.Intel;
using Kml.Tal.Annotations;
using Kml.Tal.Elf;
using Kml.Tal.Lines;

namespace Kml.Compiler.Listing;

/// <summary>What a listing shows.</summary>
public sealed record ListingOptions
{
    /// <summary>Only the function whose label has this name (a function runs to the next function's label); null: all of .text.</summary>
    public string? Function { get; init; }

    /// <summary>Offsets relative to the function's start (stable snapshots) instead of addresses.</summary>
    public bool RelativeOffsets { get; init; }

    /// <summary>Show the instruction bytes.</summary>
    public bool ShowBytes { get; init; } = true;

    /// <summary>Reads a source file's lines (to print the C# line beside the code), or null when unknown.</summary>
    public Func<string, string[]?>? ReadSource { get; init; }
}

/// <summary>
/// The annotated listing of a TAL object (<c>kml disasm</c>): for each instruction its address, bytes and Intel
/// syntax (Iced's formatter); at each annotated label its name and TAL code type; where the line map (if any) says
/// the C# source line changes, the file, line and source text. Works on any TAL ELF, with or without a line map.
/// </summary>
public static class TalListing
{
    /// <summary>The listing of an ELF file's bytes.</summary>
    public static string Format(byte[] elf, ListingOptions? options = null)
    {
        options ??= new ListingOptions();
        var obj = ElfReader.Read(elf);
        var annotations = AnnotationReader.Read(obj.Annotations);
        LineMap? lines = null;
        if (ElfSections.Find(elf, LineMap.SectionName) is { } section) lines = LineMap.Read(section);
        var labels = annotations.Labels.ToDictionary(l => l.Offset);
        var symbols = new Dictionary<ulong, string>();
        foreach (var d in annotations.Data) symbols[d.Address] = d.Name;

        var text = obj.Text;
        uint start = 0, end = (uint)text.Bytes.Length;
        if (options.Function is { } name)
        {
            var label = annotations.Labels.FirstOrDefault(l => l.Name == name)
                ?? throw new InvalidDataException($"no label named {name}");
            start = label.Offset;
            // The function ends where the next function starts: the next function symbol, or (without symbols) the
            // next label whose type begins with a return address.
            var functions = FunctionSymbols(elf);
            var next = functions.Count > 0
                ? functions.Select(a => a - text.Address).Where(o => o > start && o < (uint)text.Bytes.Length).DefaultIfEmpty((uint)text.Bytes.Length).Min()
                : annotations.Labels.FirstOrDefault(l => l.Offset > start && IsFunction(l))?.Offset ?? (uint)text.Bytes.Length;
            end = next;
        }

        var sb = new StringBuilder();
        var formatter = new IntelFormatter(new FormatterOptions { HexPrefix = "0x", HexSuffix = "", UppercaseHex = false, SpaceAfterOperandSeparator = true },
            new SymbolResolver(symbols, annotations, text.Address));
        var output = new StringOutput();
        var decoder = Iced.Intel.Decoder.Create(32, new ByteArrayCodeReader(text.Bytes, (int)start, (int)(end - start)), text.Address + start);
        SourceLine? lastLine = null;
        var sourceCache = new Dictionary<string, string[]?>();
        while (decoder.IP < text.Address + end)
        {
            var offset = (uint)(decoder.IP - text.Address);
            decoder.Decode(out var ins);
            if (labels.TryGetValue(offset, out var l))
            {
                sb.AppendLine();
                sb.Append(l.Name.Length > 0 ? l.Name : $"0x{offset:x4}").Append(": ").AppendLine(l.Type.ToString());
            }
            if (lines?.At(offset) is { } sourceLine && sourceLine != lastLine)
            {
                lastLine = sourceLine;
                var file = lines.Files[sourceLine.File];
                sb.Append("                                        ; ").Append(Path.GetFileName(file)).Append(':').Append(sourceLine.Line);
                if (options.ReadSource is { } read)
                {
                    if (!sourceCache.TryGetValue(file, out var content)) sourceCache[file] = content = read(file);
                    if (content is not null && sourceLine.Line - 1 < content.Length) sb.Append(": ").Append(content[sourceLine.Line - 1].Trim());
                }
                sb.AppendLine();
            }
            var where = options.RelativeOffsets ? (offset - start).ToString("x4", CultureInfo.InvariantCulture) : (text.Address + offset).ToString("x8", CultureInfo.InvariantCulture);
            sb.Append("  ").Append(where).Append("  ");
            if (options.ShowBytes)
            {
                var hex = ins.IsInvalid ? "??" : Convert.ToHexString(text.Bytes, (int)offset, ins.Length).ToLowerInvariant();
                sb.Append(hex.PadRight(22));
            }
            if (ins.IsInvalid) { sb.AppendLine("(bad)"); break; }
            formatter.Format(ins, output);
            sb.AppendLine(output.ToStringAndReset());
        }
        return sb.ToString();
    }

    /// <summary>Addresses of STT_FUNC symbols in .symtab (for tools only; nothing here is trusted).</summary>
    private static List<uint> FunctionSymbols(byte[] elf)
    {
        var result = new List<uint>();
        var symtab = ElfSections.Find(elf, ".symtab");
        if (symtab is null) return result;
        for (var at = 16; at + 16 <= symtab.Length; at += 16)
        {
            var info = symtab[at + 12];
            if ((info & 0xF) == 2) result.Add(BitConverter.ToUInt32(symtab, at + 4));
        }
        return result;
    }

    private static bool IsFunction(LabelAnnotation l) =>
        (l.Type.Slots.Length > 0 && l.Type.Slots[0] is Kml.Tal.Types.RetType) || l.Name == "_start";

    /// <summary>Names branch targets by their labels and immediates by the data objects they address.</summary>
    private sealed class SymbolResolver(Dictionary<ulong, string> data, TalAnnotations annotations, uint textAddress) : ISymbolResolver
    {
        private readonly Dictionary<ulong, string> _code = annotations.Labels.Where(l => l.Name.Length > 0).ToDictionary(l => (ulong)(textAddress + l.Offset), l => l.Name);

        public bool TryGetSymbol(in Instruction instruction, int operand, int instructionOperand, ulong address, int addressSize, out SymbolResult symbol)
        {
            if (_code.TryGetValue(address, out var name) || data.TryGetValue(address, out name))
            {
                symbol = new SymbolResult(address, name);
                return true;
            }
            if (annotations.ImportTable != 0 && address >= annotations.ImportTable && address < annotations.ImportTable + 4u * (uint)annotations.Imports.Count && (address - annotations.ImportTable) % 4 == 0)
            {
                var import = annotations.Imports[(int)((address - annotations.ImportTable) / 4)];
                symbol = new SymbolResult(address, "import." + import.Name + (import.TypeArgument is null ? "" : "<" + import.TypeArgument + ">"));
                return true;
            }
            symbol = default;
            return false;
        }
    }
}
