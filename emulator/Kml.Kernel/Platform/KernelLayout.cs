namespace Kml.Kernel.Platform;

/// <summary>
/// Where the kernel puts its machine structures in guest physical memory (and so, through the direct map, at
/// 0xC0000000 + physical in every address space), and the segment selectors it defines.
/// </summary>
internal static class KernelLayout
{
    public const uint GdtPhysical = 0x1000;
    public const uint IdtPhysical = 0x2000;
    /// <summary>The page of task-state segments: the main TSS, then the double-fault and NMI tasks' TSSs.</summary>
    public const uint TssPhysical = 0x3000;
    public const uint DoubleFaultTssPhysical = 0x3200;
    public const uint NmiTssPhysical = 0x3300;
    public const uint StubsPhysical = 0x4000;
    public const uint VdsoPhysical = 0x5000;
    /// <summary>
    /// A kernel data page with a secret: supervisor-only, so a ring-3 program that reads it is killed by a page fault,
    /// while an unverified ring-0 program reads (and may overwrite) it. The danger TAL verification removes.
    /// </summary>
    public const uint KernelDataPhysical = 0x6000;
    /// <summary>Per-CPU data the entry stubs use (the direct call's saved user ESP, the KPTI CR3 values).</summary>
    public const uint PerCpuPhysical = 0x7000;
    /// <summary>The entry (trampoline) stack of KPTI mode: mapped in the user page tables too.</summary>
    public const uint TrampolineStackPhysical = 0x8000;
    /// <summary>The double-fault and NMI tasks' own stacks.</summary>
    public const uint DoubleFaultStackPhysical = 0x9000;
    public const uint NmiStackPhysical = 0xA000;
    /// <summary>
    /// The entry area [GdtPhysical, EntryAreaEnd): what KPTI keeps mapped while a process runs (everything but the kernel
    /// data page, which is unmapped there).
    /// </summary>
    public const uint EntryAreaEnd = 0xB000;
    /// <summary>
    /// TAL import stubs for ring-0 programs (Tal/TalTrampolines.cs): slot k is <c>mov eax, k; jmp DirectCallEntry</c>,
    /// 16 bytes each, <see cref="TalSlotStubPages"/> pages (1024 slots). Kernel text outside the KPTI entry area (ring-0
    /// programs never run with KPTI).
    /// </summary>
    public const uint TalStubsPhysical = 0xB000;
    public const int TalSlotStubPages = 4;
    /// <summary>The kernel's page tables for the direct map start here; the page allocator takes what follows.</summary>
    public const uint PageTablesPhysical = 0x10000;

    // Offsets in the per-CPU page.
    public const uint PerCpuDirectCallEsp = 0x00;
    public const uint PerCpuKernelCr3 = 0x04;
    public const uint PerCpuUserCr3 = 0x08;

    // GDT entries (Linux i386 order, so SYSENTER_CS + 16/24 are the user segments sysexit loads).
    public const int KernelCodeEntry = 1, KernelDataEntry = 2, UserCodeEntry = 3, UserDataEntry = 4, TssEntry = 5;
    /// <summary>Entries 6–8: per-process TLS descriptors (set_thread_area).</summary>
    public const int TlsFirstEntry = 6, TlsEntries = 3;
    /// <summary>The double-fault and NMI task-state segments (task gates 8 and 2 name them).</summary>
    public const int DoubleFaultTssEntry = 9, NmiTssEntry = 10;
    public const int GdtEntries = 16;

    public const ushort KernelCode = KernelCodeEntry * 8, KernelData = KernelDataEntry * 8;
    public const ushort UserCode = UserCodeEntry * 8 | 3, UserData = UserDataEntry * 8 | 3, Tss = TssEntry * 8;
    public const ushort DoubleFaultTss = DoubleFaultTssEntry * 8, NmiTss = NmiTssEntry * 8;

    /// <summary>
    /// The vDSO page in every user address space (just above the mmap area). Not at 0xB7FFF000: the CPU's software TLB
    /// is direct-mapped by linear page number mod 1024, and that page would share a slot with the top stack page
    /// 0xBFFFF000, so every system call would evict one with the other (two page walks per call that a real CPU, with
    /// its separate instruction TLB, does not make). Here it shares a slot only with stack pages 512 KiB down.
    /// </summary>
    public const uint VdsoAddress = 0xB7F7F000;

    /// <summary>Interrupt vectors the kernel uses.</summary>
    public const byte TimerVector = 0x20, SyscallVector = 0x80;

    /// <summary>The kernel linear address of a physical address (the direct map).</summary>
    public static uint Linear(uint physical) => 0xC0000000 + physical;
}
