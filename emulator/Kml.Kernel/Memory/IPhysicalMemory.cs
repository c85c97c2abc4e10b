namespace Kml.Kernel.Memory;

/// <summary>
/// Guest physical memory as the kernel sees it. On the real machine this goes through <c>Kml.Machine</c>'s
/// physical memory, whose writes keep the CPU's decoded-block cache coherent; tests use <see cref="ArrayPhysicalMemory"/>.
/// </summary>
internal interface IPhysicalMemory
{
    /// <summary>Size in bytes (a multiple of the page size).</summary>
    uint Size { get; }

    uint ReadUInt32(uint address);

    void WriteUInt32(uint address, uint value);

    /// <summary>Copies <c>destination.Length</c> bytes starting at <paramref name="address"/> (within one page or more).</summary>
    void Read(uint address, Span<byte> destination);

    void Write(uint address, ReadOnlySpan<byte> source);

    /// <summary>Sets <paramref name="length"/> bytes at <paramref name="address"/> to <paramref name="value"/>.</summary>
    void Fill(uint address, int length, byte value);

    /// <summary>Copies a page-sized or smaller block inside physical memory.</summary>
    void Copy(uint source, uint destination, int length);
}

/// <summary>Physical memory backed by a byte array (unit tests).</summary>
internal sealed class ArrayPhysicalMemory(uint size) : IPhysicalMemory
{
    private readonly byte[] _bytes = new byte[size];

    public uint Size => (uint)_bytes.Length;

    public uint ReadUInt32(uint address) => BitConverter.ToUInt32(_bytes, (int)address);

    public void WriteUInt32(uint address, uint value) => BitConverter.TryWriteBytes(_bytes.AsSpan((int)address), value);

    public void Read(uint address, Span<byte> destination) => _bytes.AsSpan((int)address, destination.Length).CopyTo(destination);

    public void Write(uint address, ReadOnlySpan<byte> source) => source.CopyTo(_bytes.AsSpan((int)address));

    public void Fill(uint address, int length, byte value) => _bytes.AsSpan((int)address, length).Fill(value);

    public void Copy(uint source, uint destination, int length) => _bytes.AsSpan((int)source, length).CopyTo(_bytes.AsSpan((int)destination));
}
