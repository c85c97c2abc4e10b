namespace Kml.Kernel;

/// <summary>What a run did, for <c>kml run --stats</c>.</summary>
public sealed class KernelStatistics
{
    /// <summary>Calls per system-call number (index = number).</summary>
    public long[] SyscallCounts { get; } = new long[Syscalls.SyscallTable.Count];

    /// <summary>Calls with numbers outside the table.</summary>
    public long UnknownSyscallNumbers { get; internal set; }

    /// <summary>Guest instructions retired.</summary>
    public long Instructions { get; internal set; }

    /// <summary>Emulated cycles (the TSC at the end).</summary>
    public ulong Cycles { get; internal set; }

    /// <summary>The emulated clock rate.</summary>
    public long ClockHz { get; internal set; }

    /// <summary>Emulated seconds.</summary>
    public double EmulatedSeconds => ClockHz == 0 ? 0 : Cycles / (double)ClockHz;

    /// <summary>Host wall-clock time of the run (from boot to the exit of the first process).</summary>
    public TimeSpan HostTime { get; internal set; }

    /// <summary>Host time spent inside <c>Cpu.Run</c> (the rest of <see cref="HostTime"/> is the kernel's).</summary>
    public TimeSpan HostTimeInCpu { get; internal set; }

    /// <summary>
    /// Host time spent importing --root: reading the host's directories and metadata, which happens as the guest first
    /// looks into each directory (so it is part of <see cref="HostTime"/>, not before it).
    /// </summary>
    public TimeSpan ImportTime => Import?.HostTime ?? TimeSpan.Zero;

    /// <summary>Entries imported from --root (read from the host by the end of the run: the import is lazy).</summary>
    public int ImportedEntries => Import?.Entries ?? 0;

    internal Vfs.HostImport? Import { get; set; }

    /// <summary>Ring transitions by kind (int 0x80, sysenter, sysexit, iret, page faults, timer, ...).</summary>
    public Dictionary<string, long> Transitions { get; } = [];

    /// <summary>Processes created (including the first).</summary>
    public int ProcessesCreated { get; internal set; }

    /// <summary>Context switches.</summary>
    public long ContextSwitches { get; internal set; }

    /// <summary>Page faults resolved by mapping a page (demand paging, stack growth, copy-on-write).</summary>
    public long PageFaults { get; internal set; }

    /// <summary>Peak physical pages in use.</summary>
    public int PeakPages { get; internal set; }

    /// <summary>Host MIPS: guest instructions per host microsecond.</summary>
    public double HostMips => HostTime.TotalSeconds <= 0 ? 0 : Instructions / HostTime.TotalSeconds / 1e6;

    /// <summary>System calls that were made, by name: (name, count, implemented).</summary>
    public IEnumerable<(string Name, long Count, bool Implemented)> SyscallsByName()
    {
        for (int i = 0; i < SyscallCounts.Length; i++)
            if (SyscallCounts[i] > 0)
                yield return (Syscalls.SyscallTable.Names[i] ?? $"#{i}", SyscallCounts[i], Syscalls.SyscallTable.Implemented[i]);
    }

    internal long Int80Entries, SysenterEntries, DirectCallEntries, TimerInterrupts, PageFaultEntries;

    /// <summary>The protection level of the run (its number and summary).</summary>
    public string ProtectionLevel { get; internal set; } = "";

    /// <summary>The system-call entry of the run (int80, sysenter, call).</summary>
    public string SyscallEntry { get; internal set; } = "";

    /// <summary>The cycle model's name.</summary>
    public string CycleModel { get; internal set; } = "";

    /// <summary>Recovery-log records written (levels 1 to 3).</summary>
    public long RecoveryRecords { get; internal set; }

    /// <summary>Recovery-log records undone because a process died abnormally.</summary>
    public long RecoveryUndone { get; internal set; }

    /// <summary>What the recovery log undid, one line per record ("pid 101: fd 3: socket ...").</summary>
    public List<string> RecoveryUndoneDetails { get; } = [];

    /// <summary>Resources a dead process still held after its log was undone (should be none: a kernel bug otherwise).</summary>
    public List<string> RecoveryMissed { get; } = [];

    /// <summary>Moves the hot counters into <see cref="Transitions"/> (at the end of a run).</summary>
    internal void Publish()
    {
        CountTransition("int 0x80 entries", Int80Entries);
        CountTransition("sysenter entries", SysenterEntries);
        CountTransition("direct-call entries (KML)", DirectCallEntries);
        CountTransition("timer interrupts", TimerInterrupts);
        CountTransition("page-fault entries", PageFaultEntries);
        Int80Entries = SysenterEntries = DirectCallEntries = TimerInterrupts = PageFaultEntries = 0;
    }

    internal void CountTransition(string kind, long n = 1)
    {
        Transitions.TryGetValue(kind, out long v);
        Transitions[kind] = v + n;
    }
}
