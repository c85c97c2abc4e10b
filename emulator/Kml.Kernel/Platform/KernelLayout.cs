namespace Kml.Kernel.Platform;

/// <summary>
/// Where the kernel puts its machine structures in guest physical memory (and so, through the direct map, at
/// 0xC0000000 + physical in every address space), and the segment selectors it defines.
/// </summary>
internal static class KernelLayout
{
    public const uint GdtPhysical = 0x1000;
    public const uint IdtPhysical = 0x2000;
    public const uint TssPhysical = 0x3000;
    public const uint StubsPhysical = 0x4000;
    public const uint VdsoPhysical = 0x5000;
    /// <summary>A page reserved for kernel data a ring-0 program could read (next issue: protection levels).</summary>
    public const uint KernelDataPhysical = 0x6000;
    /// <summary>TAL import stubs for ring-0 programs: the common direct-call entry, then the per-slot stubs (Tal/TalTrampolines.cs).</summary>
    public const uint TalStubsPhysical = 0x7000;
    /// <summary>Pages of per-slot TAL stubs after <see cref="TalStubsPhysical"/> (16 bytes each: 1024 slots).</summary>
    public const int TalSlotStubPages = 4;
    /// <summary>The kernel's page tables for the direct map start here; the page allocator takes what follows.</summary>
    public const uint PageTablesPhysical = 0x10000;

    // GDT entries (Linux i386 order, so SYSENTER_CS + 16/24 are the user segments sysexit loads).
    public const int KernelCodeEntry = 1, KernelDataEntry = 2, UserCodeEntry = 3, UserDataEntry = 4, TssEntry = 5;
    /// <summary>Entries 6–8: per-process TLS descriptors (set_thread_area).</summary>
    public const int TlsFirstEntry = 6, TlsEntries = 3;
    public const int GdtEntries = 16;

    public const ushort KernelCode = KernelCodeEntry * 8, KernelData = KernelDataEntry * 8;
    public const ushort UserCode = UserCodeEntry * 8 | 3, UserData = UserDataEntry * 8 | 3, Tss = TssEntry * 8;

    /// <summary>The vDSO page in every user address space (just above the mmap area).</summary>
    public const uint VdsoAddress = 0xB7FFF000;

    /// <summary>Interrupt vectors the kernel uses.</summary>
    public const byte TimerVector = 0x20, SyscallVector = 0x80;
}
