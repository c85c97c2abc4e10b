namespace Kml.Kernel.Memory;

/// <summary>What a region of an address space holds.</summary>
internal enum VmaKind
{
    /// <summary>Anonymous memory (mmap MAP_ANONYMOUS): zero-filled on first touch.</summary>
    Anonymous,
    /// <summary>A private file mapping (ELF segments, mmap of a file): filled from the file on first touch, copy-on-write.</summary>
    File,
    /// <summary>The brk heap.</summary>
    Heap,
    /// <summary>The main stack; grows down on faults below it.</summary>
    Stack,
    /// <summary>The vDSO page, shared by every process.</summary>
    Vdso,
}

/// <summary>Where the bytes of a file mapping come from.</summary>
internal interface IPageSource
{
    /// <summary>Reads at <paramref name="offset"/>; returns how many bytes were available (the rest is zero-filled by the caller).</summary>
    int Read(long offset, Span<byte> buffer);
}

/// <summary>An ELF file's bytes as a page source.</summary>
internal sealed class BytesPageSource(ReadOnlyMemory<byte> bytes) : IPageSource
{
    public int Read(long offset, Span<byte> buffer)
    {
        if (offset >= bytes.Length) return 0;
        int n = (int)Math.Min(buffer.Length, bytes.Length - offset);
        bytes.Span.Slice((int)offset, n).CopyTo(buffer);
        return n;
    }
}

/// <summary>
/// A virtual memory area: a page-aligned range [<see cref="Start"/>, <see cref="End"/>) with one protection and one
/// backing. Pages are mapped lazily, on the first fault.
/// </summary>
internal sealed class Vma
{
    public uint Start { get; set; }
    public uint End { get; set; }

    /// <summary>PROT_READ | PROT_WRITE | PROT_EXEC.</summary>
    public int Protection { get; set; }

    public VmaKind Kind { get; init; }

    /// <summary>MAP_SHARED: fork shares the frames instead of copying them.</summary>
    public bool Shared { get; init; }

    /// <summary>The file for <see cref="VmaKind.File"/>.</summary>
    public IPageSource? Source { get; init; }

    /// <summary>File offset of the byte at <see cref="Start"/>.</summary>
    public long SourceOffset { get; set; }

    /// <summary>Linear address where the file's bytes stop (p_vaddr + p_filesz for an ELF segment); zeros above.</summary>
    public uint SourceEnd { get; set; }

    /// <summary>A name for /proc/self/maps-like dumps and messages.</summary>
    public string Name { get; init; } = "";

    public uint Length => End - Start;

    public bool Readable => (Protection & Abi.Mman.ProtRead) != 0;
    public bool Writable => (Protection & Abi.Mman.ProtWrite) != 0;
    public bool Accessible => (Protection & (Abi.Mman.ProtRead | Abi.Mman.ProtWrite | Abi.Mman.ProtExec)) != 0;

    public bool Contains(uint address) => address >= Start && address < End;

    public Vma Clone() => new()
    {
        Start = Start, End = End, Protection = Protection, Kind = Kind, Shared = Shared,
        Source = Source, SourceOffset = SourceOffset, SourceEnd = SourceEnd, Name = Name,
    };

    /// <summary>Splits at <paramref name="at"/> (inside the area): this keeps the lower part, the result is the upper part.</summary>
    public Vma SplitAt(uint at)
    {
        var upper = Clone();
        upper.Start = at;
        upper.SourceOffset = SourceOffset + (at - Start);
        End = at;
        return upper;
    }

    public override string ToString() => $"{Start:X8}-{End:X8} {(Readable ? 'r' : '-')}{(Writable ? 'w' : '-')}{((Protection & 4) != 0 ? 'x' : '-')}{(Shared ? 's' : 'p')} {Kind} {Name}";
}
