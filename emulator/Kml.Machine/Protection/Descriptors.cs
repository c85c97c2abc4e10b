namespace Kml.Machine.Protection;

/// <summary>Encoders for GDT/LDT segment descriptors and IDT gates (the 8-byte values the CPU reads from memory).</summary>
public static class Descriptors
{
    /// <summary>Type of a 32-bit available TSS.</summary>
    public const int TypeTss32Available = 9;
    /// <summary>Type of a 32-bit busy TSS.</summary>
    public const int TypeTss32Busy = 11;
    /// <summary>Type of an LDT descriptor.</summary>
    public const int TypeLdt = 2;
    /// <summary>Type of a task gate.</summary>
    public const int TypeTaskGate = 5;
    /// <summary>Type of a 32-bit interrupt gate (clears IF).</summary>
    public const int TypeInterruptGate32 = 14;
    /// <summary>Type of a 32-bit trap gate (leaves IF).</summary>
    public const int TypeTrapGate32 = 15;

    /// <summary>Encodes a segment or system descriptor from its fields.</summary>
    /// <param name="base">Linear base.</param>
    /// <param name="limit">Limit in bytes, or in 4 KiB units when <paramref name="granularity4K"/> is set (20 bits).</param>
    /// <param name="accessByte">P, DPL, S and type bits.</param>
    /// <param name="granularity4K">G flag.</param>
    /// <param name="big">D/B flag.</param>
    public static ulong Segment(uint @base, uint limit, byte accessByte, bool granularity4K, bool big)
    {
        if (limit > 0xFFFFF) throw new ArgumentOutOfRangeException(nameof(limit), "a descriptor limit has 20 bits");
        ulong lo = (limit & 0xFFFF) | ((@base & 0xFFFF) << 16);
        ulong hi = ((@base >> 16) & 0xFF) | ((uint)accessByte << 8) | (limit & 0xF_0000)
                 | (big ? 0x40_0000u : 0) | (granularity4K ? 0x80_0000u : 0) | (@base & 0xFF00_0000);
        return lo | (hi << 32);
    }

    /// <summary>A flat 4 GiB 32-bit code segment (execute/read, non-conforming) at <paramref name="dpl"/>.</summary>
    public static ulong FlatCode(int dpl) => Segment(0, 0xFFFFF, (byte)(0x9A | (dpl << 5)), true, true);

    /// <summary>A flat 4 GiB 32-bit data segment (read/write, expand-up) at <paramref name="dpl"/>.</summary>
    public static ulong FlatData(int dpl) => Segment(0, 0xFFFFF, (byte)(0x92 | (dpl << 5)), true, true);

    /// <summary>A byte-granular 32-bit data segment (for TLS: glibc's %gs), read/write, at <paramref name="dpl"/>.</summary>
    public static ulong Data(uint @base, uint limitBytes, int dpl)
        => limitBytes > 0xFFFFF
            ? Segment(@base, limitBytes >> 12, (byte)(0x92 | (dpl << 5)), true, true)
            : Segment(@base, limitBytes, (byte)(0x92 | (dpl << 5)), false, true);

    /// <summary>A 32-bit available TSS descriptor (limit ≥ 0x67).</summary>
    public static ulong Tss(uint @base, uint limit = Tss32.Size - 1) => Segment(@base, limit, 0x80 | TypeTss32Available, false, false);

    /// <summary>An LDT descriptor.</summary>
    public static ulong LdtDescriptor(uint @base, uint limit) => Segment(@base, limit, 0x80 | TypeLdt, false, false);

    /// <summary>A 32-bit interrupt gate (IF cleared on entry).</summary>
    public static ulong InterruptGate(ushort selector, uint offset, int dpl) => Gate(selector, offset, TypeInterruptGate32, dpl);

    /// <summary>A 32-bit trap gate (IF unchanged on entry).</summary>
    public static ulong TrapGate(ushort selector, uint offset, int dpl) => Gate(selector, offset, TypeTrapGate32, dpl);

    /// <summary>A task gate naming a TSS selector.</summary>
    public static ulong TaskGate(ushort tssSelector, int dpl) => Gate(tssSelector, 0, TypeTaskGate, dpl);

    private static ulong Gate(ushort selector, uint offset, int type, int dpl)
    {
        ulong lo = (offset & 0xFFFF) | ((uint)selector << 16);
        ulong hi = (offset & 0xFFFF_0000) | 0x8000u | ((uint)(dpl & 3) << 13) | ((uint)type << 8);
        return lo | (hi << 32);
    }

    /// <summary>A selector from a table index, table indicator and requested privilege level.</summary>
    public static ushort Selector(int index, int rpl, bool ldt = false) => (ushort)((index << 3) | (ldt ? 4 : 0) | (rpl & 3));
}
