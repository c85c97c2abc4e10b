using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Memory;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;
using Kml.Kernel.Vfs;

namespace Kml.Kernel;

/// <summary>The emulated time the kernel reads: the CPU's time-stamp counter at the cycle model's clock rate.</summary>
internal interface IKernelClock
{
    /// <summary>Nanoseconds since boot.</summary>
    long MonotonicNanoseconds { get; }

    /// <summary>Moves time forward while every process sleeps (the idle CPU's halt).</summary>
    void AdvanceTo(long monotonicNanoseconds);

    /// <summary>Adds the cost of kernel work (cycles) to the clock.</summary>
    void Charge(long cycles);
}

/// <summary>A clock for tests: time moves only when told.</summary>
internal sealed class ManualClock : IKernelClock
{
    public long MonotonicNanoseconds { get; set; }

    public void AdvanceTo(long ns) => MonotonicNanoseconds = Math.Max(MonotonicNanoseconds, ns);

    public void Charge(long cycles) => MonotonicNanoseconds += cycles;
}

/// <summary>
/// The emulated KML kernel: processes, memory, the file system, the Linux i386 system calls, and the loop that runs
/// the CPU. This part holds the kernel's state and the process life cycle; the system calls live in
/// <c>Syscalls/</c>, the CPU glue (entry stubs, trap frames, context switches) in <c>Platform/</c>.
/// </summary>
public sealed partial class KmlKernel : IDisposable
{
    /// <summary>The first process's pid; its parent is a phantom init (pid 1) that reaps orphans.</summary>
    public const int FirstPid = 100;

    private readonly List<IDisposable> _resources = [];
    private int _nextPid = FirstPid;
    private readonly byte[] _ioBuffer = new byte[1 << 16];

    internal KernelOptions Options { get; }
    internal FileSystem Fs { get; }
    internal IPhysicalMemory PhysicalMemory { get; private set; } = null!;
    internal PageAllocator Pages { get; private set; } = null!;
    internal KernelMappings KernelMap { get; } = new();
    internal IKernelClock Clock { get; private set; } = null!;
    internal HostEvents HostEvents { get; } = new();
    internal Random Random { get; }
    internal Dictionary<int, Process> ProcessTable { get; } = [];
    internal LinkedList<Process> RunQueue { get; } = new();
    internal FileLocks Locks { get; } = new();

    /// <summary>The process running (or in the kernel) now.</summary>
    internal Process? Current { get; set; }

    /// <summary>The first process: its exit ends the run.</summary>
    internal Process? InitialProcess { get; private set; }

    /// <summary>Counters for --stats.</summary>
    public KernelStatistics Statistics { get; } = new();

    /// <summary>Emulated real time at boot (the host's clock when the kernel started).</summary>
    internal long RealtimeAtBoot { get; } = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>The guest console's host ends.</summary>
    internal HostInputFile Stdin { get; private set; } = null!;
    internal HostOutputFile Stdout { get; private set; } = null!;
    internal HostOutputFile Stderr { get; private set; } = null!;

    /// <summary>Host uid/gid: the guest runs as the same user, so file ownership reads the same.</summary>
    internal int HostUid { get; } = HostIdentity.Uid;
    internal int HostGid { get; } = HostIdentity.Gid;

    /// <summary>The protection level of this run's processes.</summary>
    public ProtectionLevel Level { get; }

    /// <summary>The flavour of <c>__kernel_vsyscall</c> this run uses.</summary>
    public SyscallEntry Entry { get; }

    /// <summary>The kernel-side cost table.</summary>
    public KernelCostModel Costs { get; }

    private KmlKernel(KernelOptions options, bool unused)
    {
        _ = unused;
        Options = options;
        Level = options.Protection ?? (options.Mode == ExecutionMode.Kernel ? ProtectionLevel.Five : ProtectionLevel.Two);
        if (options.Protection != null && options.Mode is { } mode && (mode == ExecutionMode.Kernel) != Level.RunsInRing0)
            throw new InvalidDataException(
                $"--mode {(mode == ExecutionMode.Kernel ? "kernel" : "user")} contradicts --protection {Level.Number} ({Level.Summary})");
        Entry = options.SyscallEntry ?? Level.DefaultSyscallEntry;
        Level.Validate(Entry);
        Costs = options.KernelCosts ?? KernelCostModel.Calibrated;
        Random = new Random(options.RandomSeed);
        Fs = new FileSystem(() => Timespec.FromNanoseconds(RealtimeNanoseconds), HostUid, HostGid);
    }

    /// <summary>Builds a kernel on test memory and a manual clock, without a CPU (unit tests of the system calls).</summary>
    internal static KmlKernel ForTests(KernelOptions options, IPhysicalMemory memory, IKernelClock clock)
    {
        var k = new KmlKernel(options, false);
        k.InitializeMemory(memory, clock, firstFree: 0x10000);
        k.InitializeFileSystem();
        k.InitializeConsole();
        return k;
    }

    internal void InitializeMemory(IPhysicalMemory memory, IKernelClock clock, uint firstFree)
    {
        PhysicalMemory = memory;
        Clock = clock;
        uint afterTables = KernelMap.Build(memory, firstFree);
        Pages = new PageAllocator(afterTables, memory.Size);
    }

    internal void InitializeFileSystem()
    {
        if (Options.RootDirectory != null)
            Statistics.Import = HostTreeImporter.Import(Fs, Options.RootDirectory, Fs.Root, _resources);
        if (Options.GeneratedTreeFiles > 0)
            GeneratedTree.Build(Fs, Fs.Root, Options.GeneratedTreeFiles);
        KernelFiles.Install(this);
    }

    internal void InitializeConsole()
    {
        bool? terminal = Options.Terminal;
        Stdin = new HostInputFile(Options.Stdin ?? Console.OpenStandardInput(), HostEvents, terminal ?? !Console.IsInputRedirected);
        Stdout = new HostOutputFile(Options.Stdout ?? Console.OpenStandardOutput(), terminal ?? !Console.IsOutputRedirected, 1);
        Stderr = new HostOutputFile(Options.Stderr ?? Console.OpenStandardError(), terminal ?? !Console.IsErrorRedirected, 2);
    }

    /// <summary>Emulated nanoseconds since the epoch.</summary>
    internal long RealtimeNanoseconds => RealtimeAtBoot + (Clock?.MonotonicNanoseconds ?? 0);

    // ---------------------------------------------------------------- processes

    internal int AllocatePid()
    {
        while (ProcessTable.ContainsKey(_nextPid) || _nextPid < FirstPid) _nextPid = _nextPid >= 32767 ? FirstPid : _nextPid + 1;
        return _nextPid++;
    }

    /// <summary>Creates the first process: empty address space, the console on descriptors 0–2, the root as cwd.</summary>
    internal Process CreateInitialProcess()
    {
        var files = new FdTable();
        Stdin.AddReference();
        files.Install(0, Stdin, false);
        Stdout.AddReference();
        files.Install(1, Stdout, false);
        Stderr.AddReference();
        files.Install(2, Stderr, false);
        var creds = new Credentials(HostUid, HostUid, HostGid, HostGid);
        var p = new Process(AllocatePid(), null, NewAddressSpace(), files, Fs.RootContext(creds))
        {
            StartTime = Clock.MonotonicNanoseconds,
            Protection = Level,
        };
        p.OnWake = MakeRunnable;
        // The program inherits the host's descriptor and stack limits, as a process started by a shell would.
        foreach (int resource in new[] { RLimit.NoFile, RLimit.Stack })
        {
            if (HostIdentity.GetLimit(resource) is not { } host) continue;
            ulong hardCap = resource == RLimit.NoFile ? FdTable.Limit : RLimit.Infinity;
            p.ResourceLimits[resource * 2] = Math.Min(host.Soft, hardCap);
            p.ResourceLimits[resource * 2 + 1] = Math.Min(host.Hard, hardCap);
        }
        p.Files.SoftLimit = (int)Math.Min(p.ResourceLimits[RLimit.NoFile * 2], FdTable.Limit);
        ProcessTable[p.Pid] = p;
        InitialProcess = p;
        Statistics.ProcessesCreated++;
        AllocateKernelStack(p);
        AttachRecoveryLog(p);
        return p;
    }

    /// <summary>An empty address space (with a KPTI user page directory at protection level 1).</summary>
    internal AddressSpace NewAddressSpace() => new(PhysicalMemory, Pages, KernelMap, Level.PageTables == PageTableMode.Isolated);

    /// <summary>
    /// A kernel stack is one page: the entry stubs only need room for the CPU's trap frame, because the kernel's
    /// own work runs on the host.
    /// </summary>
    internal void AllocateKernelStack(Process p)
    {
        if (!Pages.TryAllocate(out uint frame)) throw new OutOfMemoryException("no physical page for a kernel stack");
        PhysicalMemory.Fill(frame, (int)PageAllocator.PageSize, 0);
        p.KernelStackFrames = [frame];
        p.KernelStackTop = KernelMappings.ToLinear(frame) + PageAllocator.PageSize;
    }

    internal void MakeRunnable(Process p)
    {
        if (p.State == ProcessState.Runnable && !RunQueue.Contains(p)) RunQueue.AddLast(p);
    }

    /// <summary>
    /// Puts <paramref name="p"/> to sleep on <paramref name="queues"/> (and an optional deadline) unless a signal is
    /// deliverable, in which case the call is interrupted (restarted or EINTR after the handler).
    /// </summary>
    internal long Sleep(Process p, long deadline, params WaitQueue?[] queues)
    {
        if (p.HasDeliverableSignal) return SyscallResult.RestartSys;
        p.State = ProcessState.Sleeping;
        foreach (var q in queues)
        {
            if (q == null) continue;
            q.Add(p);
            p.WaitingOn.Add(q);
        }
        p.WakeDeadline = deadline;
        return SyscallResult.Sleep;
    }

    internal long Sleep(Process p, params WaitQueue?[] queues) => Sleep(p, long.MaxValue, queues);

    /// <summary>Ends a process: releases its resources, makes it a zombie, tells its parent.</summary>
    internal void ExitProcess(Process p, int waitStatus)
    {
        if (p.State is ProcessState.Zombie or ProcessState.Dead) return;
        foreach (var q in p.WaitingOn) q.Remove(p);
        p.WaitingOn.Clear();
        RunQueue.Remove(p);
        p.ExitStatus = waitStatus;
        // Killed by a signal at a level with a recovery log: undo what the process acquired, from the log.
        if ((waitStatus & 0x7F) != 0 && p.Log != null) UndoRecoveryLog(p);
        p.Log = null;
        // clear_child_tid: glibc's pthread_join protocol (write 0, futex wake: no threads to wake here).
        if (p.ClearChildTid != 0 && p.Memory.Users > 0) p.Memory.TryWriteUInt32(p.ClearChildTid, 0);
        Locks.ReleaseAll(p.Pid);
        p.Files.CloseAll();
        ReleaseVforkParent(p);
        if (--p.Memory.Users == 0) p.Memory.Dispose();
        p.State = ProcessState.Zombie;
        foreach (var child in p.Children.ToArray())
        {
            // Orphans go to the phantom init, which reaps them at once.
            child.Parent = null;
            if (child.State == ProcessState.Zombie) Reap(child);
        }
        p.Children.Clear();
        var parent = p.Parent;
        if (parent == null || parent.State is ProcessState.Zombie or ProcessState.Dead)
        {
            if (p != InitialProcess) Reap(p);
            return;
        }
        var action = parent.SignalActions[Sig.CHLD];
        bool autoReap = action.Handler == Sig.Ignore || (action.Flags & Sig.SaNoCldWait) != 0;
        if (p.ExitSignal != 0)
        {
            bool killed = (waitStatus & 0x7F) != 0;
            SendSignal(parent, new SignalInfo
            {
                Signal = p.ExitSignal, Code = killed ? SigCode.CldKilled : SigCode.CldExited,
                Pid = p.Pid, Uid = p.Credentials.Uid, Status = killed ? waitStatus & 0x7F : (waitStatus >> 8) & 0xFF,
            });
        }
        parent.ChildEvents.WakeAll();
        if (autoReap)
        {
            parent.Children.Remove(p);
            Reap(p);
        }
    }

    /// <summary>Frees what a zombie still holds (its kernel stack, its table slot).</summary>
    internal void Reap(Process p)
    {
        p.State = ProcessState.Dead;
        if (p == InitialProcess) return;   // the run's result stays readable
        ProcessTable.Remove(p.Pid);
        foreach (uint frame in p.KernelStackFrames) Pages.Release(frame);
        p.KernelStackFrames = [];
    }

    /// <summary>A vfork child exec'd or exited: its parent may run again.</summary>
    internal static void ReleaseVforkParent(Process child)
    {
        var parent = child.VforkParent;
        if (parent == null) return;
        child.VforkParent = null;
        parent.VforkWaiting = false;
        child.VforkDone.WakeAll();
    }

    // ---------------------------------------------------------------- signals

    /// <summary>Makes a signal pending (kill, a fault, SIGCHLD, SIGPIPE) and wakes the target if it sleeps.</summary>
    internal void SendSignal(Process target, SignalInfo info)
    {
        if (target.State is ProcessState.Zombie or ProcessState.Dead) return;
        int sig = info.Signal;
        if (sig <= 0 || sig > Sig.Max) return;
        var action = target.SignalActions[sig];
        bool ignored = sig != Sig.KILL && sig != Sig.STOP &&
            (action.Handler == Sig.Ignore || (action.Handler == Sig.Default && SignalDefaults.For(sig) is DefaultAction.Ignore or DefaultAction.Continue or DefaultAction.Stop));
        // An ignored signal is discarded at once (unless blocked: it might be unignored before it is unblocked).
        if (ignored && (target.BlockedSignals & Sig.Bit(sig)) == 0) return;
        if ((target.PendingSignals & Sig.Bit(sig)) == 0 || sig >= Sig.RtMin) target.PendingInfo[sig] = info;
        target.PendingSignals |= Sig.Bit(sig);
        if (target.HasDeliverableSignal && target.State == ProcessState.Sleeping) target.Wake();
    }

    /// <summary>A signal the kernel raises for a fault in <paramref name="p"/> (SIGSEGV, SIGFPE, ...): it cannot be blocked or ignored.</summary>
    internal void ForceSignal(Process p, SignalInfo info)
    {
        int sig = info.Signal;
        ref var action = ref p.SignalActions[sig];
        if ((p.BlockedSignals & Sig.Bit(sig)) != 0 || action.Handler == Sig.Ignore)
        {
            // Linux's force_sig_info: a blocked or ignored synchronous signal kills.
            action.Handler = Sig.Default;
            p.BlockedSignals &= ~Sig.Bit(sig);
        }
        p.PendingInfo[sig] = info;
        p.PendingSignals |= Sig.Bit(sig);
    }

    internal Process? FindProcess(int pid) =>
        ProcessTable.TryGetValue(pid, out var p) && p.State is not (ProcessState.Dead) ? p : null;

    // ---------------------------------------------------------------- helpers for system calls

    internal static long Err(Errno e) => -(long)e;

    internal byte[] IoBuffer => _ioBuffer;

    /// <summary>Releases host resources (open host files, sockets).</summary>
    public void Dispose()
    {
        foreach (var r in _resources) r.Dispose();
        _resources.Clear();
        DisposeMachine();
    }

    partial void DisposeMachineCore();

    private void DisposeMachine() => DisposeMachineCore();

    internal void TrackResource(IDisposable resource) => _resources.Add(resource);
}

/// <summary>The host user's identity (the guest runs as the same user).</summary>
internal static partial class HostIdentity
{
    public static int Uid { get; } = OperatingSystem.IsLinux() ? (int)GetUid() : 0;
    public static int Gid { get; } = OperatingSystem.IsLinux() ? (int)GetGid() : 0;

    /// <summary>The host's (soft, hard) limit for an RLIMIT_* resource (x86-64 Linux layout), or null.</summary>
    public static (ulong Soft, ulong Hard)? GetLimit(int resource)
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            return null;
        var buffer = new ulong[2];
        if (GetRlimit(resource, ref buffer[0]) != 0) return null;
        return (buffer[0], buffer[1]);
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRlimit(int resource, ref ulong limits);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "getgid")]
    private static partial uint GetGid();
}
