using System.Buffers.Binary;
using System.Text;

namespace Kml.Tal.Elf;

/// <summary>
/// Finds a section that is not loaded (a <see cref="NoteSection"/>, such as the line map) by name. For tools and
/// messages only: nothing the checker or the loader trusts comes from here. Call it on a file that
/// <see cref="ElfReader.Read"/> accepted; a malformed section table is an <see cref="InvalidDataException"/>.
/// </summary>
public static class ElfSections
{
    /// <summary>The bytes of the first section named <paramref name="name"/>, or null when there is none.</summary>
    public static byte[]? Find(byte[] file, string name)
    {
        if (file.Length < ElfConstants.EhSize) throw new InvalidDataException("ELF header truncated");
        var shoff = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(32));
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(48));
        var shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(50));
        if (shstrndx >= shnum || (ulong)shoff + (ulong)shnum * ElfConstants.ShEntSize > (ulong)file.Length)
            throw new InvalidDataException($"ELF byte 0x20: section header table out of range");
        uint Field(int section, int at) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)(shoff + section * ElfConstants.ShEntSize + at)));
        var strOff = Field(shstrndx, 16);
        var strSize = Field(shstrndx, 20);
        if ((ulong)strOff + strSize > (ulong)file.Length) throw new InvalidDataException("ELF section name table out of range");
        var wanted = Encoding.ASCII.GetBytes(name);
        for (var i = 1; i < shnum; i++)
        {
            var nameOff = Field(i, 0);
            if (nameOff >= strSize || nameOff + (ulong)wanted.Length >= strSize) continue;
            var at = (int)(strOff + nameOff);
            if (!file.AsSpan(at, wanted.Length).SequenceEqual(wanted) || file[at + wanted.Length] != 0) continue;
            var off = Field(i, 16);
            var size = Field(i, 20);
            if ((ulong)off + size > (ulong)file.Length) throw new InvalidDataException($"ELF section {name} runs past the end of the file");
            return file.AsSpan((int)off, (int)size).ToArray();
        }
        return null;
    }
}
