namespace Kml.Machine.Memory;

/// <summary>Bits and encoders of 32-bit (non-PAE) page-directory and page-table entries.</summary>
public static class PageTable
{
    /// <summary>Present.</summary>
    public const uint Present = 1;
    /// <summary>Writable.</summary>
    public const uint Writable = 2;
    /// <summary>User-accessible.</summary>
    public const uint User = 4;
    /// <summary>Write-through (not modelled).</summary>
    public const uint WriteThrough = 8;
    /// <summary>Cache disable (not modelled).</summary>
    public const uint CacheDisable = 0x10;
    /// <summary>Accessed (set by the CPU).</summary>
    public const uint Accessed = 0x20;
    /// <summary>Dirty (set by the CPU on a write).</summary>
    public const uint Dirty = 0x40;
    /// <summary>Page size (in a PDE, with CR4.PSE: a 4 MiB page).</summary>
    public const uint LargePage = 0x80;
    /// <summary>Global (not modelled: CR3 writes flush everything).</summary>
    public const uint Global = 0x100;

    /// <summary>An entry mapping the 4 KiB frame at <paramref name="physical"/> with <paramref name="flags"/>.</summary>
    public static uint Entry(uint physical, uint flags) => (physical & 0xFFFF_F000) | (flags & 0xFFF);

    /// <summary>Index into the page directory of <paramref name="linear"/>.</summary>
    public static int DirectoryIndex(uint linear) => (int)(linear >> 22);

    /// <summary>Index into the page table of <paramref name="linear"/>.</summary>
    public static int TableIndex(uint linear) => (int)((linear >> 12) & 0x3FF);
}
