namespace Kml.Tal;

/// <summary>
/// Numbers shared by the checker, the tools and the kernel (docs/tal.md, "What the kernel must guarantee").
/// </summary>
public static class TalLayout
{
    /// <summary>Page size.</summary>
    public const uint PageSize = 4096;
    /// <summary>Where the tools place the first loadable section.</summary>
    public const uint ImageBase = 0x08048000;
    /// <summary>The lowest address a segment may use: page 0 stays unmapped so null dereferences fault.</summary>
    public const uint LowestSegmentAddress = 0x00010000;
    /// <summary>The first address above user space.</summary>
    public const uint UserTop = 0xC0000000;
    /// <summary>
    /// Bytes from address 0 that are never mapped: a nullable pointer may be dereferenced without a check
    /// when the displacement plus the access size is at most this.
    /// </summary>
    public const int NullGuard = 4096;
    /// <summary>
    /// The most bytes esp may be below the lowest stack address known to be mapped. The kernel keeps at
    /// least this many unmapped bytes (the guard) below the stack's lowest possible page.
    /// </summary>
    public const int MaxUnprobed = 4096;
    /// <summary>
    /// Unmapped bytes the kernel keeps below the lowest possible stack page (the guard). It exceeds
    /// <see cref="MaxUnprobed"/> by far, so that a push or call at the deepest unprobed esp, an interrupt or
    /// exception frame pushed in ring 0 (no stack switch) and the kernel's entry stubs all land in the guard.
    /// </summary>
    public const int StackGuard = 64 * 1024;
    /// <summary>The most stack slots a function may know about (16 KiB): bounds frames and the cost of a transfer.</summary>
    public const int MaxFrameSlots = 4096;
    /// <summary>Bytes before the first element of an array: the 32-bit length.</summary>
    public const int ArrayHeader = 4;
    /// <summary>The largest array byte size (header + length × element size) the allocator returns; it keeps
    /// length × element size far from 32-bit overflow.</summary>
    public const uint MaxArrayBytes = 1u << 30;
}
