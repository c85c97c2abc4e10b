namespace Kml.Machine;

/// <summary>Counters collected while the CPU runs (reset with <see cref="Cpu.ResetStatistics"/>).</summary>
public sealed class CpuStatistics
{
    private readonly Cpu? _cpu;

    internal CpuStatistics(Cpu cpu) => _cpu = cpu;

    /// <summary>Instructions retired (a rep string instruction counts once).</summary>
    public long InstructionsRetired => _cpu?.RetiredField ?? 0;
    /// <summary><c>int n</c>, <c>int3</c> and <c>into</c> that delivered an interrupt.</summary>
    public long SoftwareInterrupts { get; internal set; }
    /// <summary>External interrupts delivered (timer and <see cref="Cpu.RequestInterrupt"/>).</summary>
    public long ExternalInterrupts { get; internal set; }
    /// <summary>Exceptions delivered, indexed by vector (0..31).</summary>
    public long[] ExceptionsByVector { get; } = new long[32];
    /// <summary>Deliveries that switched from ring 3 to ring 0.</summary>
    public long PrivilegeChangingDeliveries { get; internal set; }
    /// <summary><c>iret</c> executed.</summary>
    public long Irets { get; internal set; }
    /// <summary><c>iret</c> that returned to an outer privilege level.</summary>
    public long IretsToOuterLevel { get; internal set; }
    /// <summary><c>sysenter</c> executed.</summary>
    public long Sysenters { get; internal set; }
    /// <summary><c>sysexit</c> executed.</summary>
    public long Sysexits { get; internal set; }
    /// <summary>Hardware task switches.</summary>
    public long TaskSwitches { get; internal set; }
    /// <summary>Writes to CR3.</summary>
    public long Cr3Writes { get; internal set; }
    /// <summary>Host calls (<c>vmcall</c> at CPL 0).</summary>
    public long Hypercalls { get; internal set; }
    /// <summary>Software-TLB misses that walked the page tables.</summary>
    public long TlbMisses { get; internal set; }
    /// <summary>Full TLB flushes (CR3/CR0/CR4 writes, task switches).</summary>
    public long TlbFlushes { get; internal set; }
    /// <summary>Single-page TLB invalidations (<c>invlpg</c>, <see cref="Cpu.InvalidatePage"/>).</summary>
    public long TlbPageInvalidations { get; internal set; }
    /// <summary>Decoded blocks built.</summary>
    public long BlocksBuilt { get; internal set; }
    /// <summary>Hot blocks translated: to x86-64 (<see cref="Cpu.NativeTranslation"/>, at once) or to IL and compiled (on the
    /// background translator's thread, see <see cref="Cpu.BackgroundTranslation"/>, or at once).</summary>
    public long BlocksTranslated => Volatile.Read(ref _blocksTranslated);
    private long _blocksTranslated;
    /// <summary>Blocks handed to the background translator (some may still be waiting, or were invalidated meanwhile).</summary>
    public long BlocksQueuedForTranslation { get; internal set; }
    /// <summary>Translations that failed (the block stays interpreted, with the same semantics).</summary>
    public long TranslationFailures => Volatile.Read(ref _translationFailures);
    private long _translationFailures;
    /// <summary>The first translation failure's message (null if none): a translator bug worth reporting.</summary>
    public string? FirstTranslationFailure { get; private set; }

    internal void NoteBlockTranslated() => Interlocked.Increment(ref _blocksTranslated);

    internal void NoteTranslationFailure(Exception e)
    {
        if (Interlocked.Increment(ref _translationFailures) == 1) FirstTranslationFailure = $"{e.GetType().Name}: {e.Message}";
    }
    /// <summary>Instructions natively translated code left to their interpreter handler (forms it does not cover, and the
    /// slow paths of its memory accesses: TLB misses, segment limits, pages holding code), each one exit from and one
    /// re-entry into native code.</summary>
    public long NativeHandlerRuns { get; internal set; }
    /// <summary>Decoded blocks invalidated because their code was written.</summary>
    public long BlocksInvalidated { get; internal set; }

    /// <summary>Total exceptions delivered (all vectors).</summary>
    public long Exceptions
    {
        get
        {
            // A plain loop: Enumerable.Sum over long[] instantiates vectorized generic code that is not precompiled
            // (ReadyToRun) and cost ~4 ms of JIT at the end of every kml run.
            long total = 0;
            foreach (long n in ExceptionsByVector) total += n;
            return total;
        }
    }

    internal void Reset()
    {
        if (_cpu != null) _cpu.RetiredField = 0;
        SoftwareInterrupts = ExternalInterrupts = PrivilegeChangingDeliveries = 0;
        Irets = IretsToOuterLevel = Sysenters = Sysexits = TaskSwitches = Cr3Writes = Hypercalls = 0;
        TlbMisses = TlbFlushes = TlbPageInvalidations = BlocksBuilt = BlocksInvalidated = BlocksQueuedForTranslation = NativeHandlerRuns = 0;
        Interlocked.Exchange(ref _blocksTranslated, 0);
        Interlocked.Exchange(ref _translationFailures, 0);
        FirstTranslationFailure = null;
        Array.Clear(ExceptionsByVector);
    }
}
