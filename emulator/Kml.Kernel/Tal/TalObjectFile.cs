using System.Buffers.Binary;

namespace Kml.Kernel.Tal;

/// <summary>
/// Tells a TAL object from a plain executable: an ELF32 file with a section named <c>.kml.tal</c> (the annotations).
/// Only the section headers are looked at; whether the file is a well-formed TAL object is the checker's business.
/// </summary>
internal static class TalObjectFile
{
    /// <summary>The annotation section's name (docs/tal.md, "The object file").</summary>
    public const string AnnotationSection = ".kml.tal";

    /// <summary>Whether the file's section headers name a <c>.kml.tal</c> section. Never throws on hostile input.</summary>
    public static bool IsTalObject(ReadOnlySpan<byte> f)
    {
        if (f.Length < 52 || f[0] != 0x7F || f[1] != 'E' || f[2] != 'L' || f[3] != 'F' || f[4] != 1 || f[5] != 1) return false;
        uint shoff = BinaryPrimitives.ReadUInt32LittleEndian(f[32..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(f[46..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(f[48..]);
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(f[50..]);
        if (shentsize < 40 || shnum == 0 || shstrndx >= shnum || (ulong)shoff + (ulong)shnum * (ulong)shentsize > (ulong)f.Length) return false;
        int strHeader = (int)shoff + shstrndx * shentsize;
        uint strOff = BinaryPrimitives.ReadUInt32LittleEndian(f[(strHeader + 16)..]);
        uint strSize = BinaryPrimitives.ReadUInt32LittleEndian(f[(strHeader + 20)..]);
        if ((ulong)strOff + strSize > (ulong)f.Length) return false;
        var names = f.Slice((int)strOff, (int)strSize);
        ReadOnlySpan<byte> wanted = ".kml.tal\0"u8;
        for (int i = 0; i < shnum; i++)
        {
            uint name = BinaryPrimitives.ReadUInt32LittleEndian(f[((int)shoff + i * shentsize)..]);
            if (name < (uint)names.Length && names[(int)name..].StartsWith(wanted)) return true;
        }
        return false;
    }
}
