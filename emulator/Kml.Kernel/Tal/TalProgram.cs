using System.Buffers.Binary;
using Kml.Tal;
using Kml.Tal.Annotations;
using Kml.Tal.Checker;
using Kml.Tal.Elf;
using Kml.Tal.Interface;
using Kml.Tal.Lines;
using Kml.Tal.Types;

namespace Kml.Kernel.Tal;

/// <summary>
/// A TAL object as the kernel sees it: the file's bytes, the checker's verdict on exactly those bytes, and (when the
/// object can be read at all) its sections, annotations, layouts, import bindings and typed static objects.
/// The checker alone decides whether it may run in ring 0; the rest is what the loader maps and the monitor watches.
/// </summary>
internal sealed class TalProgram
{
    private TalProgram(string name, byte[] bytes, CheckResult check)
    {
        Name = name;
        Bytes = bytes;
        Check = check;
    }

    /// <summary>The name used in messages (the path the user gave).</summary>
    public string Name { get; }

    /// <summary>The whole file.</summary>
    public byte[] Bytes { get; }

    /// <summary>The checker's verdict on <see cref="Bytes"/>.</summary>
    public CheckResult Check { get; }

    /// <summary>Whether the checker accepted the program.</summary>
    public bool Accepted => Check.Accepted;

    /// <summary>The sections (null when the object could not be read).</summary>
    public TalObject? Object { get; private set; }

    /// <summary>The annotations (null when unreadable).</summary>
    public TalAnnotations? Annotations { get; private set; }

    /// <summary>The program's structs and the kernel's records.</summary>
    public Layouts? Layouts { get; private set; }

    /// <summary>What each import slot is bound to.</summary>
    public IReadOnlyList<ImportBinding> Imports { get; private set; } = [];

    /// <summary>Typed static objects, sorted by address.</summary>
    public IReadOnlyList<TalObjectInfo> Statics { get; private set; } = [];

    /// <summary>Annotated labels by .text offset.</summary>
    public IReadOnlyDictionary<uint, LabelAnnotation> Labels { get; private set; } = new Dictionary<uint, LabelAnnotation>();

    /// <summary>
    /// The compiler's line map (<c>.kml.lines</c>), or null: untrusted, it only names the C# file and line in the
    /// messages of run-time errors (a malformed map is ignored).
    /// </summary>
    public LineMap? Lines { get; private set; }

    /// <summary>Why the object cannot be loaded even in ring 3 (unreadable sections, annotations or imports), or null.</summary>
    public string? Unloadable { get; private set; }

    /// <summary>The checker's lines, as <c>kml verify</c> prints them ("NAME: location: rule: detail").</summary>
    public IEnumerable<string> DiagnosticLines => Check.Diagnostics.Select(d => $"{Name}: {d}");

    /// <summary>Checks <paramref name="bytes"/> and reads what the loader needs. Never throws on bad input.</summary>
    public static TalProgram Load(string name, byte[] bytes)
    {
        var program = new TalProgram(name, bytes, TalChecker.Check(bytes));
        try
        {
            program.Read();
        }
        catch (InvalidDataException e)
        {
            program.Unloadable = e.Message;
        }
        return program;
    }

    private void Read()
    {
        var obj = ElfReader.Read(Bytes);
        var annotations = AnnotationReader.Read(obj.Annotations);
        var layouts = new Layouts(annotations.Structs.Concat(KernelInterface.Records));
        var imports = ImportBinding.For(obj);
        if (imports.Count > 0 && obj.Imports is null) throw new InvalidDataException("imports without a .kml.imports section");
        foreach (var b in imports)
            if (b.SlotAddress < obj.Imports!.Address || b.SlotAddress + 4 > obj.Imports.Address + (uint)obj.Imports.Bytes.Length)
                throw new InvalidDataException($"import slot 0x{b.SlotAddress:x8} is outside .kml.imports");
        var statics = new List<TalObjectInfo>();
        foreach (var d in annotations.Data)
        {
            var section = SectionOf(obj, d.Address, out bool readOnly);
            if (section is null) throw new InvalidDataException($"data {d.Name} at 0x{d.Address:x8} is outside .rodata and .data");
            uint at = d.Address - section.Address;
            TalObjectInfo info;
            if (d.Struct is { } s)
            {
                info = new TalObjectInfo(d.Address, (uint)layouts.Struct(s).Size, new StructHeap(s), layouts.Cells(s), 0, 0, d.Name);
            }
            else
            {
                var element = d.Element!;
                if (at + 4 > (uint)section.Bytes.Length) throw new InvalidDataException($"data {d.Name}: no room for the length header");
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(section.Bytes.AsSpan((int)at));
                int size = layouts.SizeOf(element);
                ulong bytes = 4 + (ulong)length * (ulong)size;
                if (size <= 0 || bytes > (ulong)section.Bytes.Length - at) throw new InvalidDataException($"data {d.Name}: {length} elements do not fit");
                info = new TalObjectInfo(d.Address, (uint)bytes, new ArrayHeap(element, readOnly), layouts.CellsOf(element, !readOnly, d.Name), size, length, d.Name);
            }
            if (info.End > (ulong)section.Address + (ulong)section.Bytes.Length) throw new InvalidDataException($"data {d.Name} runs past its section");
            statics.Add(info with { InReadOnlyMemory = readOnly });
        }
        statics.Sort((a, b) => a.Address.CompareTo(b.Address));
        Object = obj;
        Annotations = annotations;
        Layouts = layouts;
        Imports = imports;
        Statics = statics;
        Labels = annotations.Labels.GroupBy(l => l.Offset).ToDictionary(g => g.Key, g => g.First());
        try
        {
            if (ElfSections.Find(Bytes, LineMap.SectionName) is { } map) Lines = LineMap.Read(map);
        }
        catch (InvalidDataException)
        {
            Lines = null;
        }
    }

    /// <summary>"   at File.cs:line N" for a panic's location, or the bare number when there is no line map.</summary>
    public string DescribeLocation(int location)
    {
        if (Lines is { } map && location >= 0 && location < map.Locations.Count)
        {
            var l = map.Locations[location];
            if (l.File >= 0 && l.File < map.Files.Count) return $"   at {map.Files[l.File]}:line {l.Line}";
        }
        return $"   at {Name}: location {location}";
    }

    /// <summary>"   at File.cs:line N" for the code at <paramref name="eip"/> (a fault), or the address.</summary>
    public string DescribeCode(uint eip)
    {
        var text = Object!.Text;
        if (Lines is { } map && eip - text.Address < (uint)text.Bytes.Length && map.At(eip - text.Address) is { } l
            && l.File >= 0 && l.File < map.Files.Count)
            return $"   at {map.Files[l.File]}:line {l.Line}";
        return $"   at {Name}: eip 0x{eip:x8}";
    }

    private static TalSection? SectionOf(TalObject obj, uint address, out bool readOnly)
    {
        readOnly = false;
        if (obj.RoData is { } r && address >= r.Address && address - r.Address < (uint)r.Bytes.Length)
        {
            readOnly = true;
            return r;
        }
        if (obj.Data is { } w && address >= w.Address && address - w.Address < (uint)w.Bytes.Length) return w;
        return null;
    }

    /// <summary>The loadable sections with what the loader maps them as.</summary>
    public IEnumerable<(string Name, TalSection Section, bool Writable, bool Executable)> Segments()
    {
        var o = Object!;
        yield return (".text", o.Text, false, true);
        if (o.RoData is { } r) yield return (".rodata", r, false, false);
        if (o.Imports is { } i) yield return (".kml.imports", i, false, false);
        if (o.Data is { } d) yield return (".data", d, true, false);
    }
}
