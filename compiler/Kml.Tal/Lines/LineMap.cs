using System.Text;

namespace Kml.Tal.Lines;

/// <summary>A source position: an index into <see cref="LineMap.Files"/> and a 1-based line.</summary>
/// <param name="File">Index of the file.</param>
/// <param name="Line">1-based line.</param>
public readonly record struct SourceLine(int File, int Line);

/// <summary>A run of code: from <paramref name="Offset"/> (in .text) to the next entry, compiled from a location.</summary>
/// <param name="Offset">Start offset in .text.</param>
/// <param name="Location">Index into <see cref="LineMap.Locations"/>, or -1 for code with no source line.</param>
public readonly record struct LineEntry(uint Offset, int Location);

/// <summary>
/// The compiler's map from code back to C# source, stored in the non-loaded section <c>.kml.lines</c>: the files,
/// a table of locations (file, line) and runs of code. <c>panic(kind, location)</c> passes an index into
/// <see cref="Locations"/>, so a runner can name the file and line of a run-time error; <c>kml disasm</c> shows the
/// source beside the instructions. Untrusted: it only feeds messages and listings.
/// </summary>
/// <remarks>
/// Encoding (unsigned LEB128 <c>u</c>, as in .kml.tal): <c>"KLIN" u8:version(=1)</c>, <c>u:files</c> × (<c>u:len</c>
/// UTF-8 bytes), <c>u:locations</c> × (<c>u:file u:line</c>), <c>u:entries</c> × (<c>u:offsetDelta u:location+1</c>),
/// offsets non-decreasing.
/// </remarks>
public sealed class LineMap
{
    /// <summary>The section's name.</summary>
    public const string SectionName = ".kml.lines";

    private static readonly byte[] Magic = "KLIN"u8.ToArray();

    /// <summary>Source file paths, as given to the compiler.</summary>
    public List<string> Files { get; } = [];

    /// <summary>Locations; panic's location argument indexes this list.</summary>
    public List<SourceLine> Locations { get; } = [];

    /// <summary>Runs of code, sorted by offset.</summary>
    public List<LineEntry> Entries { get; } = [];

    /// <summary>The location of the code at a .text offset, or null.</summary>
    public SourceLine? At(uint offset)
    {
        int lo = 0, hi = Entries.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (Entries[mid].Offset <= offset) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (found < 0 || Entries[found].Location < 0) return null;
        return Locations[Entries[found].Location];
    }

    /// <summary>Encodes the map.</summary>
    public byte[] Write()
    {
        var s = new MemoryStream();
        s.Write(Magic);
        s.WriteByte(1);
        U(s, (uint)Files.Count);
        foreach (var f in Files) { var b = Encoding.UTF8.GetBytes(f); U(s, (uint)b.Length); s.Write(b); }
        U(s, (uint)Locations.Count);
        foreach (var l in Locations) { U(s, (uint)l.File); U(s, (uint)l.Line); }
        U(s, (uint)Entries.Count);
        uint last = 0;
        foreach (var e in Entries) { U(s, e.Offset - last); U(s, (uint)(e.Location + 1)); last = e.Offset; }
        return s.ToArray();
    }

    /// <summary>Decodes a map; malformed bytes are an <see cref="InvalidDataException"/>.</summary>
    public static LineMap Read(byte[] bytes)
    {
        var at = 0;
        if (bytes.Length < 5 || !bytes.AsSpan(0, 4).SequenceEqual(Magic)) throw new InvalidDataException($"{SectionName}: bad magic");
        if (bytes[4] != 1) throw new InvalidDataException($"{SectionName}: version {bytes[4]}, expected 1");
        at = 5;
        var map = new LineMap();
        var files = Count(bytes, ref at, 1);
        for (var i = 0; i < files; i++)
        {
            var len = Count(bytes, ref at, 1);
            if (at + len > bytes.Length) throw new InvalidDataException($"{SectionName}: file name runs past the end");
            map.Files.Add(Encoding.UTF8.GetString(bytes, at, len));
            at += len;
        }
        var locations = Count(bytes, ref at, 2);
        for (var i = 0; i < locations; i++)
        {
            var file = (int)ReadU(bytes, ref at);
            var line = (int)ReadU(bytes, ref at);
            if (file >= files) throw new InvalidDataException($"{SectionName}: location {i} names file {file} of {files}");
            map.Locations.Add(new SourceLine(file, line));
        }
        var entries = Count(bytes, ref at, 2);
        uint offset = 0;
        for (var i = 0; i < entries; i++)
        {
            offset += ReadU(bytes, ref at);
            var location = (int)ReadU(bytes, ref at) - 1;
            if (location >= locations) throw new InvalidDataException($"{SectionName}: entry {i} names location {location} of {locations}");
            map.Entries.Add(new LineEntry(offset, location));
        }
        if (at != bytes.Length) throw new InvalidDataException($"{SectionName}: {bytes.Length - at} trailing bytes");
        return map;
    }

    private static int Count(byte[] b, ref int at, int minBytesEach)
    {
        var n = ReadU(b, ref at);
        if ((long)n * minBytesEach > b.Length - at) throw new InvalidDataException($"{SectionName}: count {n} exceeds the bytes left");
        return (int)n;
    }

    private static void U(Stream s, uint v)
    {
        while (v >= 0x80) { s.WriteByte((byte)(v | 0x80)); v >>= 7; }
        s.WriteByte((byte)v);
    }

    private static uint ReadU(byte[] b, ref int at)
    {
        uint v = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (at >= b.Length) throw new InvalidDataException($"{SectionName}: truncated");
            var x = b[at++];
            if (shift == 28 && x > 0x0F) throw new InvalidDataException($"{SectionName}: integer overflows 32 bits");
            v |= (uint)(x & 0x7F) << shift;
            if ((x & 0x80) == 0) return v;
        }
        throw new InvalidDataException($"{SectionName}: integer too long");
    }
}
