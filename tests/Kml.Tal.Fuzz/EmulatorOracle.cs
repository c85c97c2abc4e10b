using Kml.Kernel;
using Kml.Kernel.Tal;

namespace Kml.Tal.Fuzz;

/// <summary>
/// The emulator half of mutation fuzzing: runs an accepted mutant in the emulated kernel, in ring 0 (protection
/// level 4: no hardware protection at all, so only the checker stands between the mutant and the kernel), under the
/// run-time safety monitor (<c>Kml.Kernel/Tal/TalMonitor.cs</c>), with a cycle limit, a host-time limit, a small
/// stack and no sockets. A violation means the checker accepted a program that leaves its memory or its types, or
/// jumps where it may not: a soundness bug.
/// </summary>
public sealed class EmulatorOracle(ulong cycleLimit = 20_000_000, double seconds = 2, ProtectionLevel? level = null) : IMutantOracle
{
    /// <summary>How the last mutant ended (exit, panic, null trap, limit ...).</summary>
    public TalEnd LastEnd { get; private set; }

    /// <summary>Memory accesses and control transfers the monitor checked, over all mutants (it did look).</summary>
    public long Accesses { get; private set; }

    /// <summary>Control transfers the monitor checked, over all mutants.</summary>
    public long Transfers { get; private set; }

    /// <summary>Guest instructions the mutants executed, over all mutants.</summary>
    public long Instructions { get; private set; }

    /// <inheritdoc/>
    public OracleVerdict Run(byte[] elf, out string detail)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        using var kernel = new KmlKernel(new KernelOptions
        {
            Protection = level ?? ProtectionLevel.Four,
            PhysicalMemorySize = 48u << 20,
            Environment = [],
            Stdin = new MemoryStream(),
            Stdout = stdout,
            Stderr = stderr,
            Terminal = false,
            Tal = new TalOptions
            {
                Monitor = true,
                CycleLimit = cycleLimit,
                TimeLimit = TimeSpan.FromSeconds(seconds),
                StackLimit = 1u << 20,
                AllowSockets = false,
            },
        });
        int status = kernel.RunTal("mutant.elf", elf);
        var report = kernel.TalReport!;
        LastEnd = report.End;
        Accesses += report.MonitoredAccesses;
        Transfers += report.MonitoredTransfers;
        Instructions += kernel.Statistics.Instructions;
        if (!report.Started)
        {
            detail = $"not started (status {status}): {string.Join(" | ", report.Diagnostics.Take(2))}";
            return OracleVerdict.NotRun;
        }
        if (report.Violations.Count > 0)
        {
            detail = report.Violations[0].ToString();
            return OracleVerdict.Violation;
        }
        detail = $"{report.End} (status {status})";
        return report.End == TalEnd.Limit ? OracleVerdict.Timeout : OracleVerdict.Safe;
    }
}
