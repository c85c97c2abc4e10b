namespace Kml.Kernel;

/// <summary>
/// The emulated cost of the kernel's own work, which runs on the host in C# and so has no instructions to count:
/// cycles per system call (by name, with a default), per resolved page fault, per byte copied to or from user memory,
/// and per recovery-log record. Ring transitions, CR3 writes and TLB refills are not here: the CPU charges them from
/// <see cref="Kml.Machine.CycleModel"/>. The table and how it was calibrated are in docs/cycle-model.md.
/// </summary>
public sealed record KernelCostModel
{
    /// <summary>Name shown in reports.</summary>
    public required string Name { get; init; }

    /// <summary>Cycles for a system call not named in <see cref="PerCall"/>.</summary>
    public int DefaultSyscall { get; init; }

    /// <summary>Cycles of kernel work per system call, by name (getpid, read, write, fstat, ...).</summary>
    public IReadOnlyDictionary<string, int> PerCall { get; init; } = new Dictionary<string, int>();

    /// <summary>Cycles of kernel work to resolve one page fault (find the area, allocate and map a page).</summary>
    public int PageFault { get; init; }

    /// <summary>Cycles per byte the kernel copies to or from user memory (read, write, stat buffers, ...).</summary>
    public double CopyPerByte { get; init; }

    /// <summary>Cycles per record the kernel writes into a recovery log (protection levels 1 to 3).</summary>
    public int RecoveryLogRecord { get; init; }

    /// <summary>The work cycles of the system call <paramref name="name"/>.</summary>
    public int SyscallCycles(string? name) => name != null && PerCall.TryGetValue(name, out int c) ? c : DefaultSyscall;

    /// <summary>
    /// The default: getpid, read, write and fstat calibrated once so that KML mode (ring 0, direct call) on the Pentium 4
    /// model reproduces the KML column of the paper's lmbench table (16.9, 91.0, 53.4, 204.1 ns); the other entries are
    /// chosen (docs/cycle-model.md). Recomputed by <c>kml bench syscall --calibrate</c>.
    /// </summary>
    public static KernelCostModel Calibrated { get; } = new()
    {
        Name = "calibrated (KML column of the paper)",
        DefaultSyscall = 150,
        PerCall = new Dictionary<string, int>
        {
            ["getpid"] = 0,
            ["read"] = 0,
            ["write"] = 0,
            ["fstat64"] = 0,
        },
        PageFault = 150,
        CopyPerByte = 0.5,
        RecoveryLogRecord = 40,
    };

    /// <summary>No kernel work at all: what <c>kml bench syscall --calibrate</c> measures against.</summary>
    public static KernelCostModel Zero { get; } = new() { Name = "zero (calibration)" };
}
