using System.Buffers.Binary;

namespace Kml.Kernel.Elf;

/// <summary>A PT_LOAD segment of a validated executable.</summary>
/// <param name="Index">Its index among the program headers.</param>
/// <param name="VirtualAddress">p_vaddr.</param>
/// <param name="MemorySize">p_memsz.</param>
/// <param name="FileOffset">p_offset.</param>
/// <param name="FileSize">p_filesz.</param>
/// <param name="Flags">p_flags: 1 execute, 2 write, 4 read.</param>
public readonly record struct ElfSegment(int Index, uint VirtualAddress, uint MemorySize, uint FileOffset, uint FileSize, uint Flags)
{
    /// <summary>First page of the segment.</summary>
    public uint PageStart => VirtualAddress & ~0xFFFu;

    /// <summary>End of the segment's last page (exclusive).</summary>
    public uint PageEnd => (uint)(((ulong)VirtualAddress + MemorySize + 0xFFF) & ~0xFFFUL);

    /// <summary>True if the segment is executable.</summary>
    public bool Executable => (Flags & 1) != 0;

    /// <summary>True if the segment is writable.</summary>
    public bool Writable => (Flags & 2) != 0;

    /// <summary>True if the segment is readable.</summary>
    public bool Readable => (Flags & 4) != 0;
}

/// <summary>
/// A static i386 ELF executable, validated: every way a hostile file could make the loader misbehave is rejected
/// with an <see cref="InvalidDataException"/> whose one-line message names the file, the offset or guest address,
/// and the reason.
/// </summary>
public sealed class ElfImage
{
    /// <summary>Lowest address a segment may use: the first page stays unmapped so null dereferences fault.</summary>
    public const uint LowestAddress = 0x1000;

    /// <summary>Start of the kernel's part of every address space.</summary>
    public const uint KernelBase = 0xC0000000;

    /// <summary>Largest total of segment sizes accepted (the guest's physical memory is smaller anyway).</summary>
    public const uint MaxTotalSize = 1u << 30;

    private const int HeaderSize = 52;
    private const int ProgramHeaderSize = 32;
    private const uint PtLoad = 1, PtDynamic = 2, PtInterp = 3, PtPhdr = 6;

    private ElfImage(string fileName, ReadOnlyMemory<byte> bytes)
    {
        FileName = fileName;
        Bytes = bytes;
    }

    /// <summary>The name used in messages (the host path, or the guest path for execve).</summary>
    public string FileName { get; }

    /// <summary>The whole file.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>e_entry.</summary>
    public uint Entry { get; private set; }

    /// <summary>e_phoff, e_phentsize, e_phnum (for the auxiliary vector).</summary>
    public uint ProgramHeaderOffset { get; private set; }

    /// <summary>Number of program headers.</summary>
    public int ProgramHeaderCount { get; private set; }

    /// <summary>Size of one program header.</summary>
    public int ProgramHeaderEntrySize => ProgramHeaderSize;

    /// <summary>Guest address of the program headers (AT_PHDR): PT_PHDR's, else where a PT_LOAD maps e_phoff; 0 if unmapped.</summary>
    public uint ProgramHeaderAddress { get; private set; }

    /// <summary>The PT_LOAD segments, in file order. (An array, not a List or LINQ: framework generics over this struct are
    /// not precompiled and would be JIT-compiled at every start; docs/machine.md, "Start-up".)</summary>
    public ElfSegment[] Segments { get; private set; } = [];

    /// <summary>End of the highest segment: where the brk heap starts (page-aligned by the loader).</summary>
    public uint HighestAddress { get; private set; }

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    public static ElfImage Load(string path) => Parse(path, File.ReadAllBytes(path));

    /// <summary>Validates <paramref name="bytes"/>; <paramref name="fileName"/> is used in messages.</summary>
    public static ElfImage Parse(string fileName, ReadOnlyMemory<byte> bytes)
    {
        var image = new ElfImage(fileName, bytes);
        image.Validate();
        return image;
    }

    private InvalidDataException AtOffset(long offset, string reason) => new($"{FileName}: offset 0x{offset:X}: {reason}");

    private InvalidDataException AtAddress(uint address, string reason) => new($"{FileName}: address 0x{address:X8}: {reason}");

    private void Validate()
    {
        var b = Bytes.Span;
        if (b.Length < 4 || b[0] != 0x7F || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw AtOffset(0, "not an ELF file (expected the magic bytes 7F 45 4C 46)");
        if (b.Length < HeaderSize)
            throw AtOffset(b.Length, $"truncated ELF header ({HeaderSize} bytes expected, the file has {b.Length})");
        if (b[4] != 1)
            throw AtOffset(4, b[4] == 2 ? "a 64-bit ELF file (ELFCLASS64); kml runs 32-bit i386 binaries" : $"unknown ELF class {b[4]} (expected 1, ELFCLASS32)");
        if (b[5] != 1)
            throw AtOffset(5, $"not little-endian (EI_DATA {b[5]}, expected 1)");
        ushort type = U16(b, 16), machine = U16(b, 18);
        if (machine != 3)
            throw AtOffset(18, $"not an i386 binary (e_machine {machine}, expected 3, EM_386)");
        if (type == 3)
            throw AtOffset(16, "not a static executable (e_type ET_DYN: a shared object or position-independent executable); kml runs static ET_EXEC binaries");
        if (type != 2)
            throw AtOffset(16, $"not an executable (e_type {type}, expected 2, ET_EXEC)");
        if (U32(b, 20) != 1)
            throw AtOffset(20, $"unknown ELF version {U32(b, 20)} (expected 1)");
        Entry = U32(b, 24);
        ProgramHeaderOffset = U32(b, 28);
        ushort phentsize = U16(b, 42), phnum = U16(b, 44);
        if (phentsize != ProgramHeaderSize)
            throw AtOffset(42, $"program header size {phentsize} (expected {ProgramHeaderSize})");
        if (phnum == 0)
            throw AtOffset(44, "no program headers");
        ProgramHeaderCount = phnum;
        ulong tableEnd = (ulong)ProgramHeaderOffset + (ulong)phnum * ProgramHeaderSize;
        if (ProgramHeaderOffset < HeaderSize)
            throw AtOffset(28, $"program headers at 0x{ProgramHeaderOffset:X} overlap the ELF header");
        if (tableEnd > (ulong)b.Length)
            throw AtOffset(ProgramHeaderOffset, $"program headers ({phnum} x {ProgramHeaderSize} bytes) extend past the end of the file ({b.Length} bytes)");

        var segments = new ElfSegment[phnum];
        int count = 0;
        uint phdrAddress = 0;
        ulong total = 0;
        for (int i = 0; i < phnum; i++)
        {
            int at = (int)ProgramHeaderOffset + i * ProgramHeaderSize;
            uint pType = U32(b, at), pOffset = U32(b, at + 4), pVaddr = U32(b, at + 8);
            uint pFilesz = U32(b, at + 16), pMemsz = U32(b, at + 20), pFlags = U32(b, at + 24);
            switch (pType)
            {
                case PtInterp:
                    string interp = pOffset < b.Length && pFilesz > 0 && (ulong)pOffset + pFilesz <= (ulong)b.Length
                        ? System.Text.Encoding.ASCII.GetString(b.Slice((int)pOffset, (int)pFilesz)).TrimEnd('\0')
                        : "?";
                    throw AtOffset(at, $"dynamically linked (PT_INTERP \"{interp}\"): kml runs static binaries only");
                case PtDynamic:
                    throw AtOffset(at, "has a dynamic section (PT_DYNAMIC): kml runs static binaries only");
                case PtPhdr:
                    phdrAddress = pVaddr;
                    break;
                case PtLoad:
                    var seg = new ElfSegment(i, pVaddr, pMemsz, pOffset, pFilesz, pFlags);
                    CheckSegment(at, seg, b.Length);
                    for (int j = 0; j < count; j++)
                    {
                        var other = segments[j];
                        if (seg.PageStart < other.PageEnd && other.PageStart < seg.PageEnd)
                            throw AtOffset(at, $"segment {i} (0x{seg.VirtualAddress:X8}-0x{(ulong)seg.VirtualAddress + seg.MemorySize:X8}) overlaps segment {other.Index} (0x{other.VirtualAddress:X8}-0x{(ulong)other.VirtualAddress + other.MemorySize:X8}) in page 0x{Math.Max(seg.PageStart, other.PageStart):X8}");
                    }
                    total += seg.PageEnd - seg.PageStart;
                    if (total > MaxTotalSize)
                        throw AtOffset(at, $"the segments need {total >> 20} MiB; the limit is {MaxTotalSize >> 20} MiB");
                    segments[count++] = seg;
                    if (phdrAddress == 0 && ProgramHeaderOffset >= pOffset && tableEnd <= (ulong)pOffset + pFilesz)
                        phdrAddress = pVaddr + (ProgramHeaderOffset - pOffset);
                    break;
            }
        }
        if (count == 0)
            throw AtOffset(ProgramHeaderOffset, "no loadable segment (PT_LOAD)");
        var loaded = new ElfSegment[count];
        Array.Copy(segments, loaded, count);
        bool entryMapped = false;
        uint highest = 0;
        foreach (var s in loaded)
        {
            entryMapped |= s.Executable && Entry >= s.VirtualAddress && Entry < (ulong)s.VirtualAddress + s.FileSize;
            highest = Math.Max(highest, s.VirtualAddress + s.MemorySize);
        }
        if (!entryMapped)
            throw AtAddress(Entry, "the entry point is outside every executable segment");
        Segments = loaded;
        ProgramHeaderAddress = phdrAddress;
        HighestAddress = highest;
    }

    private void CheckSegment(int at, ElfSegment s, int fileLength)
    {
        if (s.FileSize > s.MemorySize)
            throw AtOffset(at, $"segment {s.Index}: p_filesz 0x{s.FileSize:X} is larger than p_memsz 0x{s.MemorySize:X}");
        if ((ulong)s.FileOffset + s.FileSize > (ulong)fileLength)
            throw AtOffset(at, $"segment {s.Index}: file bytes 0x{s.FileOffset:X}-0x{(ulong)s.FileOffset + s.FileSize:X} extend past the end of the file ({fileLength} bytes)");
        if (s.MemorySize == 0)
            return;   // an empty segment maps nothing
        if (s.MemorySize > MaxTotalSize)
            throw AtOffset(at, $"segment {s.Index}: p_memsz 0x{s.MemorySize:X} is too large (limit {MaxTotalSize >> 20} MiB)");
        if ((s.VirtualAddress & 0xFFF) != (s.FileOffset & 0xFFF))
            throw AtOffset(at, $"segment {s.Index}: p_vaddr 0x{s.VirtualAddress:X8} and p_offset 0x{s.FileOffset:X} differ modulo the page size");
        if (s.VirtualAddress < LowestAddress)
            throw AtAddress(s.VirtualAddress, $"segment {s.Index} maps the null page (addresses below 0x{LowestAddress:X} stay unmapped)");
        ulong end = (ulong)s.VirtualAddress + s.MemorySize;
        if (end > KernelBase)
            throw AtAddress(s.VirtualAddress, $"segment {s.Index} (size 0x{s.MemorySize:X}) reaches into the kernel area at 0x{KernelBase:X8}");
    }

    private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);

    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
}
