using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kml.Machine;

/// <summary>
/// The machine's physical memory: one pinned host array sized by the kernel. Every write made through
/// these methods keeps the CPU's decoded-block cache coherent (a write to a page holding decoded code
/// invalidates that page's blocks), so the kernel may load programs or patch code with them.
/// </summary>
public sealed unsafe class PhysicalMemory
{
    /// <summary>Size of a page in bytes.</summary>
    public const int PageSize = 4096;

    private readonly byte[] _bytes;
    internal readonly byte* Base;
    /// <summary>One byte per physical page: non-zero when decoded blocks were built from the page.</summary>
    internal readonly byte[] CodePages;
    /// <summary>Called with a physical page number when a write touches a page holding decoded code.</summary>
    internal Action<uint>? CodePageWritten;

    /// <summary>Creates zeroed physical memory of <paramref name="size"/> bytes (a multiple of 4 KiB, at most 2 GiB).
    /// One <see cref="Cpu"/> may be attached to it.</summary>
    public PhysicalMemory(uint size)
    {
        if (size == 0 || size % PageSize != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "physical memory size must be a non-zero multiple of 4096 bytes");
        if (size > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(size), size, "physical memory larger than 2 GiB is not supported");
        Size = size;
        _bytes = GC.AllocateArray<byte>((int)size, pinned: true);
        Base = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_bytes));
        CodePages = new byte[size / PageSize];
    }

    /// <summary>Size in bytes.</summary>
    public uint Size { get; }

    private void Check(uint address, uint count)
    {
        if ((ulong)address + count > Size)
            throw new ArgumentOutOfRangeException(nameof(address), $"physical range 0x{address:x8}+0x{count:x} lies outside physical memory (0x{Size:x8} bytes)");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Touch(uint address, uint count)
    {
        if (count == 0) return;
        uint first = address / PageSize, last = (uint)(((ulong)address + count - 1) / PageSize);
        for (uint p = first; p <= last; p++)
            if (CodePages[p] != 0) CodePageWritten?.Invoke(p);
    }

    /// <summary>Reads one byte.</summary>
    public byte ReadByte(uint address) { Check(address, 1); return Base[address]; }
    /// <summary>Reads a little-endian 16-bit value.</summary>
    public ushort ReadUInt16(uint address) { Check(address, 2); return Unsafe.ReadUnaligned<ushort>(Base + address); }
    /// <summary>Reads a little-endian 32-bit value.</summary>
    public uint ReadUInt32(uint address) { Check(address, 4); return Unsafe.ReadUnaligned<uint>(Base + address); }
    /// <summary>Reads a little-endian 64-bit value.</summary>
    public ulong ReadUInt64(uint address) { Check(address, 8); return Unsafe.ReadUnaligned<ulong>(Base + address); }

    /// <summary>Writes one byte.</summary>
    public void WriteByte(uint address, byte value) { Check(address, 1); Touch(address, 1); Base[address] = value; }
    /// <summary>Writes a little-endian 16-bit value.</summary>
    public void WriteUInt16(uint address, ushort value) { Check(address, 2); Touch(address, 2); Unsafe.WriteUnaligned(Base + address, value); }
    /// <summary>Writes a little-endian 32-bit value.</summary>
    public void WriteUInt32(uint address, uint value) { Check(address, 4); Touch(address, 4); Unsafe.WriteUnaligned(Base + address, value); }
    /// <summary>Writes a little-endian 64-bit value.</summary>
    public void WriteUInt64(uint address, ulong value) { Check(address, 8); Touch(address, 8); Unsafe.WriteUnaligned(Base + address, value); }

    /// <summary>Copies physical memory at <paramref name="address"/> into <paramref name="destination"/>.</summary>
    public void Read(uint address, Span<byte> destination)
    {
        Check(address, (uint)destination.Length);
        new ReadOnlySpan<byte>(Base + address, destination.Length).CopyTo(destination);
    }

    /// <summary>Copies <paramref name="source"/> into physical memory at <paramref name="address"/>.</summary>
    public void Write(uint address, ReadOnlySpan<byte> source)
    {
        Check(address, (uint)source.Length);
        Touch(address, (uint)source.Length);
        source.CopyTo(new Span<byte>(Base + address, source.Length));
    }

    /// <summary>Fills <paramref name="count"/> bytes at <paramref name="address"/> with <paramref name="value"/>.</summary>
    public void Fill(uint address, uint count, byte value)
    {
        Check(address, count);
        Touch(address, count);
        // Not Span.Fill or initblk: their vectorized helper is not precompiled and would be JIT-compiled at every start.
        // Zeroing (nearly every call) is memset; other values are rare and small.
        if (value == 0) NativeMemory.Clear(Base + address, count);
        else
            for (uint i = 0; i < count; i++) Base[address + i] = value;
    }

    /// <summary>Copies <paramref name="count"/> bytes inside physical memory (overlapping ranges behave like memmove).</summary>
    public void Copy(uint destination, uint source, uint count)
    {
        Check(destination, count);
        Check(source, count);
        Touch(destination, count);
        Buffer.MemoryCopy(Base + source, Base + destination, count, count);
    }

    /// <summary>A read-only view of physical memory (valid as long as this object lives).</summary>
    public ReadOnlySpan<byte> AsReadOnlySpan(uint address, int length)
    {
        Check(address, (uint)length);
        return new ReadOnlySpan<byte>(Base + address, length);
    }

    /// <summary>A pointer to physical address <paramref name="address"/> (the memory is pinned for this object's life;
    /// the caller stays within the page). Machine internals: the decoder reads code in place.</summary>
    internal byte* Pointer(uint address)
    {
        Check(address, 1);
        return Base + address;
    }

    /// <summary>Reads a 32-bit value without bounds checking beyond a debug assert (machine internals).</summary>
    internal uint Peek32(uint address) => BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(Base + address, 4));
}
