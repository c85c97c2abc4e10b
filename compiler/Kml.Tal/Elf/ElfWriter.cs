using System.Buffers.Binary;
using System.Text;

namespace Kml.Tal.Elf;

/// <summary>Writes a <see cref="TalObject"/> as an ELF32 i386 executable that readelf and objdump open.</summary>
public static class ElfWriter
{
    /// <summary>Serialises the object.</summary>
    public static byte[] Write(TalObject obj)
    {
        var loadable = new List<(string Name, uint SecFlags, uint SegFlags, TalSection Sec)>();
        var all = obj.Loadable;
        for (var i = 0; i < all.Length; i++)
            if (all[i] is { } s && s.Bytes.Length > 0)
            {
                var (name, secFlags, segFlags) = ElfConstants.LoadableSections[i];
                loadable.Add((name, secFlags, segFlags, s));
            }

        var phnum = loadable.Count;
        var file = new MemoryStream();
        var offsets = new List<uint>();
        var cursor = (uint)(ElfConstants.EhSize + phnum * ElfConstants.PhEntSize);
        foreach (var l in loadable)
        {
            // File offset congruent to the address modulo the page size, as the loader maps pages.
            cursor = AlignUp(cursor, TalLayout.PageSize) + (l.Sec.Address % TalLayout.PageSize);
            offsets.Add(cursor);
            cursor += (uint)l.Sec.Bytes.Length;
        }

        // Symbols.
        var strtab = new MemoryStream(); strtab.WriteByte(0);
        var symtab = new MemoryStream();
        symtab.Write(new byte[16]);
        foreach (var sym in obj.Symbols)
        {
            var shndx = SectionIndexOf(sym.Address, loadable);
            if (shndx == 0) continue;
            var nameOff = (uint)strtab.Length;
            strtab.Write(Encoding.UTF8.GetBytes(sym.Name)); strtab.WriteByte(0);
            var e = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(0), nameOff);
            BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(4), sym.Address);
            BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(8), sym.Size);
            e[12] = (byte)((1 << 4) | (sym.IsFunction ? 2 : 1)); // STB_GLOBAL, STT_FUNC / STT_OBJECT
            BinaryPrimitives.WriteUInt16LittleEndian(e.AsSpan(14), (ushort)shndx);
            symtab.Write(e);
        }

        var shstr = new MemoryStream(); shstr.WriteByte(0);
        uint Name(string n) { var o = (uint)shstr.Length; shstr.Write(Encoding.ASCII.GetBytes(n)); shstr.WriteByte(0); return o; }

        var sections = new List<byte[]>();
        byte[] Sh(uint name, uint type, uint flags, uint addr, uint off, uint size, uint link, uint info, uint align, uint entsize)
        {
            var h = new byte[ElfConstants.ShEntSize];
            var s = h.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(s[0..], name);
            BinaryPrimitives.WriteUInt32LittleEndian(s[4..], type);
            BinaryPrimitives.WriteUInt32LittleEndian(s[8..], flags);
            BinaryPrimitives.WriteUInt32LittleEndian(s[12..], addr);
            BinaryPrimitives.WriteUInt32LittleEndian(s[16..], off);
            BinaryPrimitives.WriteUInt32LittleEndian(s[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(s[24..], link);
            BinaryPrimitives.WriteUInt32LittleEndian(s[28..], info);
            BinaryPrimitives.WriteUInt32LittleEndian(s[32..], align);
            BinaryPrimitives.WriteUInt32LittleEndian(s[36..], entsize);
            return h;
        }
        sections.Add(new byte[ElfConstants.ShEntSize]);
        for (var i = 0; i < loadable.Count; i++)
            sections.Add(Sh(Name(loadable[i].Name), ElfConstants.ShtProgbits, loadable[i].SecFlags, loadable[i].Sec.Address, offsets[i],
                (uint)loadable[i].Sec.Bytes.Length, 0, 0, loadable[i].Name == ".text" ? 16u : 4u, 0));

        var talOff = cursor; cursor += (uint)obj.Annotations.Length;
        sections.Add(Sh(Name(Annotations.AnnotationFormat.SectionName), ElfConstants.ShtProgbits, 0, 0, talOff, (uint)obj.Annotations.Length, 0, 0, 1, 0));
        var noteOffsets = new List<uint>();
        foreach (var note in obj.Notes)
        {
            noteOffsets.Add(cursor);
            sections.Add(Sh(Name(note.Name), ElfConstants.ShtProgbits, 0, 0, cursor, (uint)note.Bytes.Length, 0, 0, 1, 0));
            cursor += (uint)note.Bytes.Length;
        }
        cursor = AlignUp(cursor, 4);
        var symOff = cursor; cursor += (uint)symtab.Length;
        var symIndex = sections.Count;
        sections.Add(Sh(Name(".symtab"), ElfConstants.ShtSymtab, 0, 0, symOff, (uint)symtab.Length, (uint)symIndex + 1, 1, 4, 16));
        var strOff = cursor; cursor += (uint)strtab.Length;
        sections.Add(Sh(Name(".strtab"), ElfConstants.ShtStrtab, 0, 0, strOff, (uint)strtab.Length, 0, 0, 1, 0));
        var shstrName = Name(".shstrtab");
        var shstrOff = cursor; cursor += (uint)shstr.Length;
        sections.Add(Sh(shstrName, ElfConstants.ShtStrtab, 0, 0, shstrOff, (uint)shstr.Length, 0, 0, 1, 0));
        cursor = AlignUp(cursor, 4);
        var shoff = cursor;

        var output = new byte[shoff + sections.Count * ElfConstants.ShEntSize];
        var o = output.AsSpan();
        o[0] = 0x7F; o[1] = (byte)'E'; o[2] = (byte)'L'; o[3] = (byte)'F';
        o[4] = 1; o[5] = 1; o[6] = 1; // ELFCLASS32, ELFDATA2LSB, EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(o[16..], ElfConstants.EtExec);
        BinaryPrimitives.WriteUInt16LittleEndian(o[18..], ElfConstants.Em386);
        BinaryPrimitives.WriteUInt32LittleEndian(o[20..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(o[24..], obj.Entry);
        BinaryPrimitives.WriteUInt32LittleEndian(o[28..], (uint)ElfConstants.EhSize);
        BinaryPrimitives.WriteUInt32LittleEndian(o[32..], shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(o[40..], ElfConstants.EhSize);
        BinaryPrimitives.WriteUInt16LittleEndian(o[42..], ElfConstants.PhEntSize);
        BinaryPrimitives.WriteUInt16LittleEndian(o[44..], (ushort)phnum);
        BinaryPrimitives.WriteUInt16LittleEndian(o[46..], ElfConstants.ShEntSize);
        BinaryPrimitives.WriteUInt16LittleEndian(o[48..], (ushort)sections.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(o[50..], (ushort)(sections.Count - 1));
        for (var i = 0; i < loadable.Count; i++)
        {
            var p = o[(ElfConstants.EhSize + i * ElfConstants.PhEntSize)..];
            var size = (uint)loadable[i].Sec.Bytes.Length;
            BinaryPrimitives.WriteUInt32LittleEndian(p[0..], ElfConstants.PtLoad);
            BinaryPrimitives.WriteUInt32LittleEndian(p[4..], offsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(p[8..], loadable[i].Sec.Address);
            BinaryPrimitives.WriteUInt32LittleEndian(p[12..], loadable[i].Sec.Address);
            BinaryPrimitives.WriteUInt32LittleEndian(p[16..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(p[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(p[24..], loadable[i].SegFlags);
            BinaryPrimitives.WriteUInt32LittleEndian(p[28..], TalLayout.PageSize);
            loadable[i].Sec.Bytes.CopyTo(o[(int)offsets[i]..]);
        }
        obj.Annotations.CopyTo(o[(int)talOff..]);
        for (var i = 0; i < obj.Notes.Count; i++) obj.Notes[i].Bytes.CopyTo(o[(int)noteOffsets[i]..]);
        symtab.ToArray().CopyTo(o[(int)symOff..]);
        strtab.ToArray().CopyTo(o[(int)strOff..]);
        shstr.ToArray().CopyTo(o[(int)shstrOff..]);
        for (var i = 0; i < sections.Count; i++)
            sections[i].CopyTo(o[(int)(shoff + i * ElfConstants.ShEntSize)..]);
        return output;
    }

    private static int SectionIndexOf(uint address, List<(string Name, uint SecFlags, uint SegFlags, TalSection Sec)> loadable)
    {
        for (var i = 0; i < loadable.Count; i++)
        {
            var s = loadable[i].Sec;
            if (address >= s.Address && address < s.Address + (uint)s.Bytes.Length) return i + 1;
            if (address == s.Address + (uint)s.Bytes.Length && loadable[i].Name == ".text") return i + 1;
        }
        return 0;
    }

    private static uint AlignUp(uint v, uint a) => (v + a - 1) / a * a;
}
