namespace Kml.Kernel.Tal;

/// <summary>What happened to a TAL program in <see cref="KmlKernel.RunTal"/> (for tests, the fuzzer and --stats).</summary>
public sealed class TalRunReport
{
    /// <summary>The program's name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the checker accepted it.</summary>
    public bool Accepted { get; init; }

    /// <summary>The checker's lines when it rejected the program.</summary>
    public IReadOnlyList<string> Diagnostics { get; init; } = [];

    /// <summary>Whether the program ran in ring 0 (else ring 3).</summary>
    public bool Ring0 { get; init; }

    /// <summary>The protection level (1 to 5).</summary>
    public int Level { get; init; }

    /// <summary>Whether the kernel started it at all (never in ring 0 after a rejection).</summary>
    public bool Started { get; internal set; }

    /// <summary>How it ended.</summary>
    public TalEnd End { get; internal set; }

    /// <summary>What the safety monitor caught (empty without --monitor).</summary>
    public List<TalViolation> Violations { get; } = [];

    /// <summary>Kernel-interface calls by entry name.</summary>
    public Dictionary<string, long> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>Heap objects allocated and their bytes.</summary>
    public int HeapObjects { get; internal set; }

    /// <summary>Heap bytes allocated.</summary>
    public long HeapBytes { get; internal set; }

    /// <summary>Memory accesses and control transfers the monitor checked.</summary>
    public long MonitoredAccesses { get; internal set; }

    /// <summary>Control transfers the monitor checked.</summary>
    public long MonitoredTransfers { get; internal set; }
}
