namespace Kml.Kernel;

/// <summary>How a process's system calls reach the kernel at a protection level.</summary>
public enum KernelEntryKind
{
    /// <summary>A privilege change: <c>int 0x80</c> or <c>sysenter</c> from ring 3.</summary>
    Trap,
    /// <summary>A plain <c>call</c> into the kernel's entry from ring 0 (KML): no privilege change.</summary>
    DirectCall,
}

/// <summary>How the kernel's part of the address space is mapped while a process runs.</summary>
public enum PageTableMode
{
    /// <summary>The kernel is mapped (supervisor-only) in every address space, as classic Linux does.</summary>
    Shared,
    /// <summary>
    /// KPTI: while the process runs, only the entry area (GDT, IDT, TSSs, entry stubs, the trampoline stack) is mapped;
    /// every kernel entry and exit writes CR3, which flushes the TLB.
    /// </summary>
    Isolated,
}

/// <summary>
/// A protection level of the multi-level seed, selected per run without changing the program: which ring the
/// process runs in, whether its code must pass the TAL checker, how it enters the kernel, how page tables are
/// arranged, and whether the kernel keeps a recovery log of what the process acquires. Levels 1, 2 and 5 run plain
/// ELF binaries; levels 3 and 4 run TAL binaries (their loader lives in <c>Tal/</c>).
/// </summary>
public sealed record ProtectionLevel
{
    private ProtectionLevel(int number, int ring, bool verified, KernelEntryKind entry, PageTableMode pageTables, bool recoveryLog, string summary)
    {
        Number = number;
        Ring = ring;
        Verified = verified;
        Entry = entry;
        PageTables = pageTables;
        RecoveryLog = recoveryLog;
        Summary = summary;
    }

    /// <summary>1 (most protected) to 5 (least).</summary>
    public int Number { get; }

    /// <summary>The privilege level the process's code runs at: 3 or 0.</summary>
    public int Ring { get; }

    /// <summary>True when the kernel runs the program only after the TAL checker accepted it (levels 3 and 4).</summary>
    public bool Verified { get; }

    /// <summary>How system calls enter the kernel.</summary>
    public KernelEntryKind Entry { get; }

    /// <summary>Shared kernel mappings, or a KPTI-style separate kernel address space.</summary>
    public PageTableMode PageTables { get; }

    /// <summary>Whether the kernel logs what the process acquires and undoes it when the process dies abnormally.</summary>
    public bool RecoveryLog { get; }

    /// <summary>One line for reports.</summary>
    public string Summary { get; }

    /// <summary>True for ring-0 processes (levels 3 to 5).</summary>
    public bool RunsInRing0 => Ring == 0;

    /// <summary>Level 1: ring 3, and every kernel entry and exit switches page tables (KPTI); recovery log.</summary>
    public static ProtectionLevel One { get; } = new(1, 3, false, KernelEntryKind.Trap, PageTableMode.Isolated, true,
        "ring 3, separate kernel page tables (KPTI), recovery log");

    /// <summary>Level 2: ring 3 with the kernel mapped (classic Linux); recovery log. What <c>--mode user</c> means.</summary>
    public static ProtectionLevel Two { get; } = new(2, 3, false, KernelEntryKind.Trap, PageTableMode.Shared, true,
        "ring 3, kernel mapped (classic Linux), recovery log");

    /// <summary>Level 3: ring 0, TAL-verified, recovery log (TAL binaries only).</summary>
    public static ProtectionLevel Three { get; } = new(3, 0, true, KernelEntryKind.DirectCall, PageTableMode.Shared, true,
        "ring 0, TAL-verified, recovery log");

    /// <summary>Level 4: ring 0, TAL-verified, no log (TAL binaries only). What <c>--mode kernel</c> means for a TAL binary.</summary>
    public static ProtectionLevel Four { get; } = new(4, 0, true, KernelEntryKind.DirectCall, PageTableMode.Shared, false,
        "ring 0, TAL-verified");

    /// <summary>Level 5: ring 0, unverified and trusted (KML for existing binaries). What <c>--mode kernel</c> means for a plain binary.</summary>
    public static ProtectionLevel Five { get; } = new(5, 0, false, KernelEntryKind.DirectCall, PageTableMode.Shared, false,
        "ring 0, unverified (trusted)");

    /// <summary>The five levels, by number.</summary>
    public static IReadOnlyList<ProtectionLevel> All { get; } = [One, Two, Three, Four, Five];

    /// <summary>The level with this number; bad input gets one line naming what is expected.</summary>
    public static ProtectionLevel FromNumber(int number) =>
        number is >= 1 and <= 5 ? All[number - 1] : throw new InvalidDataException($"--protection {number}: expected a level from 1 to 5");

    /// <summary>
    /// The level for a run: <c>--protection N</c> if given, else what <c>--mode</c> means (user: 2; kernel: 5 for a plain
    /// binary, 4 for a TAL binary). A contradictory pair (a ring-3 mode with a ring-0 level or the other way round) and a
    /// verified level for a plain binary are errors.
    /// </summary>
    public static ProtectionLevel Resolve(ExecutionMode? mode, int? protection, bool talBinary, string binaryName)
    {
        ProtectionLevel? level = protection is { } n ? FromNumber(n) : null;
        if (level != null && mode is { } m && (m == ExecutionMode.Kernel) != level.RunsInRing0)
            throw new InvalidDataException(
                $"--mode {(m == ExecutionMode.Kernel ? "kernel" : "user")} contradicts --protection {level.Number} ({level.Summary})");
        level ??= mode == ExecutionMode.Kernel ? (talBinary ? Four : Five) : Two;
        if (level.Verified && !talBinary)
            throw new InvalidDataException(
                $"--protection {level.Number}: levels 3 and 4 run TAL binaries, which the checker verifies first; {binaryName} is a plain ELF executable (use --protection 5 to run it in ring 0 unverified)");
        return level;
    }

    /// <summary>The system-call entry a level uses unless told otherwise: sysenter in ring 3, a direct call in ring 0.</summary>
    public SyscallEntry DefaultSyscallEntry => RunsInRing0 ? SyscallEntry.Call : SyscallEntry.Sysenter;

    /// <summary>Checks that <paramref name="entry"/> is possible at this level (<c>call</c> needs ring 0).</summary>
    public void Validate(SyscallEntry entry)
    {
        if (entry == SyscallEntry.Call && !RunsInRing0)
            throw new InvalidDataException(
                $"--syscall call is only valid in kernel mode (ring 0); protection level {Number} runs the program in ring 3");
    }

    /// <inheritdoc/>
    public override string ToString() => $"level {Number}: {Summary}";
}
