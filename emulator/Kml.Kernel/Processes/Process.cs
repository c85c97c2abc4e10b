using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Memory;
using Kml.Kernel.Vfs;

namespace Kml.Kernel.Processes;

/// <summary>Scheduling state of a process.</summary>
internal enum ProcessState
{
    /// <summary>Ready to run (or running).</summary>
    Runnable,
    /// <summary>Asleep in a system call until a wait queue wakes it or its deadline passes.</summary>
    Sleeping,
    /// <summary>Exited; waiting for its parent's wait4.</summary>
    Zombie,
    /// <summary>Reaped; gone.</summary>
    Dead,
}

/// <summary>
/// A process (single-threaded: thread group = process). It owns an address space, descriptors, signal state, a
/// kernel stack, the saved CPU state while it is not running, and its place in the process tree.
/// </summary>
internal sealed class Process : IProcessView
{
    public Process(int pid, Process? parent, AddressSpace memory, FdTable files, PathContext paths)
    {
        Pid = pid;
        Parent = parent;
        Memory = memory;
        Files = files;
        PathContext = new PathContext { Root = paths.Root, Cwd = paths.Cwd, Credentials = paths.Credentials, Process = this };
        ProcessGroup = parent?.ProcessGroup ?? pid;
        Session = parent?.Session ?? pid;
    }

    public int Pid { get; }
    public Process? Parent { get; set; }
    public List<Process> Children { get; } = [];
    public int ProcessGroup { get; set; }
    public int Session { get; set; }

    public AddressSpace Memory { get; set; }
    public FdTable Files { get; set; }
    public PathContext PathContext { get; }
    public Credentials Credentials { get => PathContext.Credentials; set => PathContext.Credentials = value; }
    public int Umask { get; set; } = 0x12;   // 022

    /// <summary>The guest path of the program (/proc/self/exe).</summary>
    public string ExecutablePath { get; set; } = "";

    /// <summary>The command name (prctl PR_SET_NAME, comm), at most 15 bytes.</summary>
    public string Name { get; set; } = "";

    public ProcessState State { get; set; } = ProcessState.Runnable;

    /// <summary>The user-mode registers while the process is inside the kernel.</summary>
    public UserRegisters Registers;

    /// <summary>The CPU state saved at the last switch away (owned by the machine glue).</summary>
    public object? SavedCpuState { get; set; }

    /// <summary>Top (initial ESP0) of this process's kernel stack, a kernel linear address.</summary>
    public uint KernelStackTop { get; set; }

    /// <summary>Physical frames of the kernel stack (released when the process is reaped).</summary>
    public uint[] KernelStackFrames { get; set; } = [];

    /// <summary>How the process entered the kernel this time (decides how it leaves).</summary>
    public EntryKind Entry { get; set; }

    /// <summary>The TAL program this process runs (its kernel entries are import calls), or null for a Linux program.</summary>
    public Tal.TalProcess? Tal { get; set; }

    /// <summary>The protection level the process runs at (inherited by fork; kept across execve).</summary>
    public ProtectionLevel Protection { get; set; } = ProtectionLevel.Two;

    /// <summary>True for a ring-0 (KML) process: kernel code and stack segments, same address space and scheduler.</summary>
    public bool RunsInRing0 => Protection.RunsInRing0;

    /// <summary>What the process acquired, for undoing it if it dies abnormally (levels 1 to 3); null at other levels.</summary>
    public RecoveryLog? Log { get; set; }

    /// <summary>Emulated cycles the process has run in ring 0 with interrupts disabled, without a break (the watchdog's count).</summary>
    public ulong InterruptsOffCycles { get; set; }

    // ---------------------------------------------------------------- sleeping

    /// <summary>Queues the process sleeps on.</summary>
    public List<WaitQueue> WaitingOn { get; } = [];

    /// <summary>Emulated-time deadline (nanoseconds of the monotonic clock) of a timed sleep; long.MaxValue if none.</summary>
    public long WakeDeadline { get; set; } = long.MaxValue;

    /// <summary>Progress of a system call that sleeps part-way (bytes already written by a blocking write).</summary>
    public long SyscallProgress { get; set; }

    /// <summary>The process sleeps inside a system call, which runs again when it is scheduled.</summary>
    public bool PendingSyscall { get; set; }

    /// <summary>Raised by <see cref="Wake"/>: the scheduler's hook to requeue the process.</summary>
    public Action<Process>? OnWake { get; set; }

    public void Wake()
    {
        if (State != ProcessState.Sleeping) return;
        foreach (var q in WaitingOn) q.Remove(this);
        WaitingOn.Clear();
        WakeDeadline = long.MaxValue;
        State = ProcessState.Runnable;
        OnWake?.Invoke(this);
    }

    // ---------------------------------------------------------------- signals

    public SignalAction[] SignalActions { get; set; } = new SignalAction[Sig.Max + 1];
    public ulong BlockedSignals { get; set; }
    public ulong PendingSignals { get; set; }
    public SignalInfo[] PendingInfo { get; } = new SignalInfo[Sig.Max + 1];

    /// <summary>The mask to restore after rt_sigsuspend's handler runs (sigsuspend swaps the mask temporarily).</summary>
    public ulong? SavedMaskForSuspend { get; set; }

    /// <summary>A pending signal that is not blocked.</summary>
    public bool HasDeliverableSignal => (PendingSignals & ~BlockedSignals) != 0;

    // ---------------------------------------------------------------- exit and wait

    /// <summary>The wait status (exit code &lt;&lt; 8, or the signal number) once a zombie.</summary>
    public int ExitStatus { get; set; }

    /// <summary>Signal sent to the parent at exit (SIGCHLD for fork).</summary>
    public int ExitSignal { get; set; } = Sig.CHLD;

    /// <summary>Woken when a child changes state (wait4 sleeps here).</summary>
    public WaitQueue ChildEvents { get; } = new("wait4");

    /// <summary>The parent waiting for this vfork child to exec or exit.</summary>
    public Process? VforkParent { get; set; }

    /// <summary>Woken when a vfork child releases the parent's memory.</summary>
    public WaitQueue VforkDone { get; } = new("vfork");

    public bool VforkWaiting { get; set; }

    // ---------------------------------------------------------------- thread state

    public uint ClearChildTid { get; set; }
    public uint RobustList { get; set; }

    /// <summary>The three TLS descriptors (GDT entries 6–8), 8 bytes each as the CPU reads them.</summary>
    public ulong[] TlsDescriptors { get; } = new ulong[3];

    public ulong[] ResourceLimits { get; set; } = DefaultLimits();

    private static ulong[] DefaultLimits()
    {
        var limits = new ulong[RLimit.Count * 2];
        for (int i = 0; i < RLimit.Count; i++) limits[i * 2] = limits[i * 2 + 1] = RLimit.Infinity;
        limits[RLimit.Stack * 2] = 8 << 20;
        limits[RLimit.NoFile * 2] = 1024;
        limits[RLimit.NoFile * 2 + 1] = FdTable.Limit;
        limits[RLimit.Core * 2] = 0;
        limits[RLimit.NProc * 2] = limits[RLimit.NProc * 2 + 1] = 4096;
        return limits;
    }

    /// <summary>Emulated cycles spent running this process (user and kernel), for times() and getrusage.</summary>
    public ulong CpuCycles { get; set; }

    /// <summary>Cycles of reaped children (times() cutime).</summary>
    public ulong ChildCycles { get; set; }

    /// <summary>sigaltstack: (base, size, flags); size 0 = none.</summary>
    public (uint Base, uint Size, int Flags) AlternateStack { get; set; }

    /// <summary>Emulated-time deadline (monotonic ns) of alarm()/ITIMER_REAL, long.MaxValue if none; and its interval.</summary>
    public long AlarmDeadline { get; set; } = long.MaxValue;
    public long AlarmInterval { get; set; }

    /// <summary>Set by sched_yield: the scheduler moves the process to the back of the run queue.</summary>
    public bool YieldRequested { get; set; }

    /// <summary>Monotonic time when the process started (ns).</summary>
    public long StartTime { get; set; }

    // ---------------------------------------------------------------- IProcessView

    public IEnumerable<int> OpenDescriptors => Files.OpenDescriptors;

    public string? DescriptorTarget(int fd) => Files.Get(fd)?.Describe();

    public Inode? DescriptorInode(int fd) => Files.Get(fd)?.Inode;

    public override string ToString() => $"{Pid} ({Name})";
}

/// <summary>How a process entered the kernel.</summary>
internal enum EntryKind
{
    /// <summary>int 0x80 (or an exception or interrupt): an IRET frame is on the kernel stack.</summary>
    Interrupt,
    /// <summary>sysenter: the return goes through sysexit when possible.</summary>
    Sysenter,
    /// <summary>KML's direct call from ring 0: the return is a plain <c>ret</c> on the process's own stack.</summary>
    DirectCall,
}
