using System.Buffers.Binary;
using System.Text;

namespace Kml.Tal.Elf;

/// <summary>
/// Reads and validates a TAL object. Trusted: the loader maps the PT_LOAD segments, the checker reads
/// the sections, so the reader insists that they are the same bytes. It accepts exactly the shape
/// <see cref="ElfWriter"/> produces: an ET_EXEC EM_386 ELF32 file whose only segments are PT_LOAD ones,
/// each equal to one of .text (R+X), .rodata (R), .kml.imports (R) and .data (R+W), page-aligned,
/// inside user space above the null guard and on pages of their own, plus a .kml.tal section.
/// Any other shape is an <see cref="InvalidDataException"/> naming the file offset.
/// </summary>
public static class ElfReader
{
    /// <summary>Reads a TAL object from the file's bytes.</summary>
    public static TalObject Read(byte[] f)
    {
        if (f.Length < ElfConstants.EhSize) throw Bad(0, $"file of {f.Length} bytes is shorter than an ELF header");
        if (f[0] != 0x7F || f[1] != 'E' || f[2] != 'L' || f[3] != 'F') throw Bad(0, "not an ELF file");
        if (f[4] != 1) throw Bad(4, "not ELFCLASS32");
        if (f[5] != 1) throw Bad(5, "not little-endian");
        if (f[6] != 1) throw Bad(6, "ELF version is not 1");
        if (U16(f, 16) != ElfConstants.EtExec) throw Bad(16, "not ET_EXEC");
        if (U16(f, 18) != ElfConstants.Em386) throw Bad(18, "machine is not EM_386");
        if (U32(f, 20) != 1) throw Bad(20, "e_version is not 1");
        var entry = U32(f, 24);
        var phoff = U32(f, 28);
        var shoff = U32(f, 32);
        if (U16(f, 40) != ElfConstants.EhSize) throw Bad(40, "e_ehsize is not 52");
        if (U16(f, 42) != ElfConstants.PhEntSize) throw Bad(42, "e_phentsize is not 32");
        var phnum = U16(f, 44);
        if (U16(f, 46) != ElfConstants.ShEntSize) throw Bad(46, "e_shentsize is not 40");
        var shnum = U16(f, 48);
        var shstrndx = U16(f, 50);
        if (phnum is 0 or > 8) throw Bad(44, $"{phnum} program headers (expected 1 to 4)");
        if (shnum is 0 or > 64) throw Bad(48, $"{shnum} section headers (expected 1 to 64)");
        Range(f, phoff, (ulong)phnum * ElfConstants.PhEntSize, 28, "program header table");
        Range(f, shoff, (ulong)shnum * ElfConstants.ShEntSize, 32, "section header table");
        if (shstrndx >= shnum) throw Bad(50, "e_shstrndx out of range");

        var shstrHeader = (int)(shoff + shstrndx * ElfConstants.ShEntSize);
        if (U32(f, shstrHeader + 4) != ElfConstants.ShtStrtab) throw Bad(shstrHeader, "section name table is not SHT_STRTAB");
        var shstrOff = U32(f, shstrHeader + 16);
        var shstrSize = U32(f, shstrHeader + 20);
        Range(f, shstrOff, shstrSize, shstrHeader + 16, "section name table");

        var loadable = new TalSection?[ElfConstants.LoadableSections.Count];
        var loadableHeader = new int[loadable.Length];
        byte[]? annotations = null;
        for (var i = 1; i < shnum; i++)
        {
            var h = (int)(shoff + i * ElfConstants.ShEntSize);
            var name = CString(f, shstrOff, shstrSize, U32(f, h), h);
            var type = U32(f, h + 4);
            var flags = U32(f, h + 8);
            var addr = U32(f, h + 12);
            var off = U32(f, h + 16);
            var size = U32(f, h + 20);
            var kind = -1;
            for (var k = 0; k < loadable.Length; k++)
                if (ElfConstants.LoadableSections[k].Name == name) kind = k;
            if (kind >= 0)
            {
                if (loadable[kind] is not null) throw Bad(h, $"second {name} section");
                if (type != ElfConstants.ShtProgbits) throw Bad(h + 4, $"{name} is not SHT_PROGBITS");
                if (flags != ElfConstants.LoadableSections[kind].SectionFlags) throw Bad(h + 8, $"{name} has flags 0x{flags:x}, expected 0x{ElfConstants.LoadableSections[kind].SectionFlags:x}");
                if (size == 0) throw Bad(h + 20, $"{name} is empty");
                Range(f, off, size, h + 16, name);
                if (addr % TalLayout.PageSize != 0) throw Bad(h + 12, $"{name} address 0x{addr:x} is not page-aligned");
                if (addr < TalLayout.LowestSegmentAddress || (ulong)addr + size > TalLayout.UserTop)
                    throw Bad(h + 12, $"{name} at 0x{addr:x}..0x{(ulong)addr + size:x} is outside 0x{TalLayout.LowestSegmentAddress:x}..0x{TalLayout.UserTop:x}");
                loadable[kind] = new TalSection(addr, f.AsSpan((int)off, (int)size).ToArray());
                loadableHeader[kind] = h;
                continue;
            }
            if ((flags & ElfConstants.ShfAlloc) != 0) throw Bad(h + 8, $"section {name} is loadable but is not one of .text, .rodata, .kml.imports, .data");
            if (name == Annotations.AnnotationFormat.SectionName)
            {
                if (annotations is not null) throw Bad(h, $"second {name} section");
                if (type != ElfConstants.ShtProgbits) throw Bad(h + 4, $"{name} is not SHT_PROGBITS");
                Range(f, off, size, h + 16, name);
                annotations = f.AsSpan((int)off, (int)size).ToArray();
            }
        }
        if (loadable[0] is null) throw Bad(shoff, "no .text section");
        if (annotations is null) throw Bad(shoff, $"no {Annotations.AnnotationFormat.SectionName} section (not a TAL object)");

        // Every PT_LOAD is exactly one loadable section, and every loadable section has its PT_LOAD.
        var matched = new bool[loadable.Length];
        for (var i = 0; i < phnum; i++)
        {
            var p = (int)(phoff + i * ElfConstants.PhEntSize);
            var type = U32(f, p);
            if (type != ElfConstants.PtLoad) throw Bad(p, $"program header {i} has type {type}; only PT_LOAD is allowed");
            var off = U32(f, p + 4); var vaddr = U32(f, p + 8); var filesz = U32(f, p + 16); var memsz = U32(f, p + 20); var flags = U32(f, p + 24);
            var k = Array.FindIndex(loadable, s => s is not null && s.Address == vaddr);
            if (k < 0) throw Bad(p + 8, $"PT_LOAD at 0x{vaddr:x} matches no section");
            var h = loadableHeader[k];
            if (matched[k]) throw Bad(p, $"second PT_LOAD for {ElfConstants.LoadableSections[k].Name}");
            if (off != U32(f, h + 16) || filesz != loadable[k]!.Bytes.Length || memsz != filesz)
                throw Bad(p, $"PT_LOAD at 0x{vaddr:x} does not cover exactly {ElfConstants.LoadableSections[k].Name} (offset, file size and memory size must equal the section's)");
            if (flags != ElfConstants.LoadableSections[k].SegmentFlags)
                throw Bad(p + 24, $"PT_LOAD of {ElfConstants.LoadableSections[k].Name} has flags 0x{flags:x}, expected 0x{ElfConstants.LoadableSections[k].SegmentFlags:x}");
            matched[k] = true;
        }
        for (var k = 0; k < loadable.Length; k++)
            if (loadable[k] is not null && !matched[k]) throw Bad(phoff, $"{ElfConstants.LoadableSections[k].Name} has no PT_LOAD");

        // Segments keep to pages of their own, so page permissions are exactly the segment flags.
        for (var a = 0; a < loadable.Length; a++)
            for (var b = a + 1; b < loadable.Length; b++)
                if (loadable[a] is { } x && loadable[b] is { } y)
                {
                    var xEnd = AlignUp((ulong)x.Address + (ulong)x.Bytes.Length); var yEnd = AlignUp((ulong)y.Address + (ulong)y.Bytes.Length);
                    if (x.Address < yEnd && y.Address < xEnd)
                        throw Bad(loadableHeader[b] + 12, $"{ElfConstants.LoadableSections[b].Name} shares pages with {ElfConstants.LoadableSections[a].Name}");
                }

        var text = loadable[0]!;
        if (entry < text.Address || entry >= text.Address + (uint)text.Bytes.Length) throw Bad(24, $"entry 0x{entry:x} is outside .text");
        return new TalObject { Text = text, RoData = loadable[1], Imports = loadable[2], Data = loadable[3], Entry = entry, Annotations = annotations };
    }

    private static ulong AlignUp(ulong v) => (v + TalLayout.PageSize - 1) / TalLayout.PageSize * TalLayout.PageSize;

    private static void Range(byte[] f, uint off, ulong size, int at, string what)
    {
        if ((ulong)off + size > (ulong)f.Length) throw Bad(at, $"{what} (0x{off:x}, {size} bytes) runs past the end of the file ({f.Length} bytes)");
    }

    private static string CString(byte[] f, uint tableOff, uint tableSize, uint nameOff, int at)
    {
        if (nameOff >= tableSize) throw Bad(at, "section name offset out of range");
        var start = (int)(tableOff + nameOff);
        var end = Array.IndexOf(f, (byte)0, start, (int)(tableSize - nameOff));
        if (end < 0) throw Bad(at, "section name is not terminated");
        return Encoding.ASCII.GetString(f, start, end - start);
    }

    private static ushort U16(byte[] f, int at) => BinaryPrimitives.ReadUInt16LittleEndian(f.AsSpan(at));
    private static uint U32(byte[] f, int at) => BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(at));

    private static InvalidDataException Bad(long offset, string what) => new($"ELF byte 0x{offset:x}: {what}");
}
