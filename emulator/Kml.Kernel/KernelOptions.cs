namespace Kml.Kernel;

/// <summary>How user programs enter the kernel through <c>__kernel_vsyscall</c>.</summary>
public enum SyscallEntry
{
    /// <summary><c>int 0x80</c> through an IDT trap gate.</summary>
    Int80,
    /// <summary><c>sysenter</c>, with Linux's vDSO sequence (push ecx; push edx; push ebp; mov ebp, esp; sysenter).</summary>
    Sysenter,
    /// <summary>KML's third flavour: a direct <c>call</c> into the kernel's entry, which switches stacks itself (ring 0 only).</summary>
    Call,
}

/// <summary>Where user programs run.</summary>
public enum ExecutionMode
{
    /// <summary>Ring 3, a classic kernel (protection level 2).</summary>
    User,
    /// <summary>Ring 0, KML style: protection level 5 for a plain binary, 4 for a TAL binary.</summary>
    Kernel,
}

/// <summary>What <see cref="KmlKernel"/> runs and with what.</summary>
public sealed class KernelOptions
{
    /// <summary>
    /// User or kernel mode; used only when <see cref="Protection"/> is null (user: level 2; kernel: level 5, or 4 for a
    /// TAL binary). A mode that contradicts an explicit <see cref="Protection"/> is an error.
    /// </summary>
    public ExecutionMode? Mode { get; init; }

    /// <summary>The protection level of every process of the run (null: from <see cref="Mode"/>, else level 2).</summary>
    public ProtectionLevel? Protection { get; init; }

    /// <summary>The system-call entry the vDSO uses (null: the level's default, sysenter in ring 3 and call in ring 0).</summary>
    public SyscallEntry? SyscallEntry { get; init; }

    /// <summary>The cycle model (emulated time); null: <see cref="Kml.Machine.CycleModel.Pentium4"/>, the papers' machine.</summary>
    public Kml.Machine.CycleModel? CycleModel { get; init; }

    /// <summary>The kernel-side cost of system calls (null: <see cref="KernelCostModel.Calibrated"/>).</summary>
    public KernelCostModel? KernelCosts { get; init; }

    /// <summary>If positive, processes are killed after this many emulated seconds (the run's time limit).</summary>
    public double TimeLimitSeconds { get; init; }

    /// <summary>A host directory imported read-only as the guest's root (null: an empty root).</summary>
    public string? RootDirectory { get; init; }

    /// <summary>If positive, a generated tree of this many files fills the root (see <see cref="Vfs.GeneratedTree"/>).</summary>
    public int GeneratedTreeFiles { get; init; }

    /// <summary>Guest physical memory in bytes.</summary>
    public uint PhysicalMemorySize { get; init; } = 512u << 20;

    /// <summary>The guest's environment (KEY=VALUE); null passes the host's.</summary>
    public IReadOnlyList<string>? Environment { get; init; }

    /// <summary>Host streams for the guest's descriptors 0, 1, 2 (null: the process's own).</summary>
    public Stream? Stdin { get; init; }

    /// <summary>The guest's standard output.</summary>
    public Stream? Stdout { get; init; }

    /// <summary>The guest's standard error.</summary>
    public Stream? Stderr { get; init; }

    /// <summary>Whether the host's stdin/stdout/stderr are terminals (null: ask the console).</summary>
    public bool? Terminal { get; init; }

    /// <summary>Emulated cycles between timer interrupts (0: derived from the clock, 250 Hz).</summary>
    public ulong TimerPeriodCycles { get; init; }

    /// <summary>Print kernel diagnostics (rejected execve images, unsupported requests) to stderr.</summary>
    public bool Trace { get; init; }

    /// <summary>How TAL programs run: the safety monitor, limits, the stack size.</summary>
    public Tal.TalOptions Tal { get; init; } = new();

    /// <summary>Seed of the guest's randomness (AT_RANDOM, getrandom, /dev/urandom): runs are reproducible.</summary>
    public int RandomSeed { get; init; } = 0x4B4D4C;
}
