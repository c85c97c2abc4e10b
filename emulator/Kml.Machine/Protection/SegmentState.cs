namespace Kml.Machine.Protection;

/// <summary>
/// A segment register: its visible selector and its hidden descriptor cache. <see cref="Attributes"/> holds the
/// descriptor's access byte in bits 0–7 (type, S, DPL, P) and its flags nibble (AVL, L, D/B, G) in bits 8–11.
/// </summary>
/// <param name="Selector">The visible selector.</param>
/// <param name="Base">Segment base (linear).</param>
/// <param name="Limit">Effective limit in bytes (granularity already applied).</param>
/// <param name="Attributes">Access byte | flags &lt;&lt; 8; 0 for a null (unusable) segment.</param>
public readonly record struct SegmentState(ushort Selector, uint Base, uint Limit, uint Attributes)
{
    /// <summary>Present bit.</summary>
    public bool Present => (Attributes & 0x80) != 0;
    /// <summary>Descriptor privilege level.</summary>
    public int Dpl => (int)(Attributes >> 5) & 3;
    /// <summary>Code or data (S = 1) rather than a system descriptor.</summary>
    public bool IsCodeOrData => (Attributes & 0x10) != 0;
    /// <summary>Code segment.</summary>
    public bool IsCode => IsCodeOrData && (Attributes & 8) != 0;
    /// <summary>Conforming code segment.</summary>
    public bool IsConforming => IsCode && (Attributes & 4) != 0;
    /// <summary>Writable data segment.</summary>
    public bool IsWritable => IsCodeOrData && (Attributes & 8) == 0 && (Attributes & 2) != 0;
    /// <summary>Readable (data, or readable code).</summary>
    public bool IsReadable => IsCodeOrData && ((Attributes & 8) == 0 || (Attributes & 2) != 0);
    /// <summary>Expand-down data segment.</summary>
    public bool IsExpandDown => IsCodeOrData && (Attributes & 8) == 0 && (Attributes & 4) != 0;
    /// <summary>D/B flag (32-bit default operand size / big stack).</summary>
    public bool Big => (Attributes & 0x400) != 0;
    /// <summary>True for a usable (loaded, non-null) segment.</summary>
    public bool Usable => Attributes != 0;
    /// <summary>Descriptor type field (low 4 bits of the access byte).</summary>
    public int Type => (int)(Attributes & 0xF);

    /// <summary>Decodes a raw 8-byte descriptor into a cache entry for <paramref name="selector"/>.</summary>
    public static SegmentState FromDescriptor(ushort selector, ulong descriptor)
    {
        uint lo = (uint)descriptor, hi = (uint)(descriptor >> 32);
        uint @base = (lo >> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF00_0000);
        uint limit = (lo & 0xFFFF) | (hi & 0xF_0000);
        if ((hi & 0x80_0000) != 0) limit = (limit << 12) | 0xFFF;
        uint attributes = ((hi >> 8) & 0xFF) | (((hi >> 20) & 0xF) << 8);
        return new SegmentState(selector, @base, limit, attributes);
    }
}
