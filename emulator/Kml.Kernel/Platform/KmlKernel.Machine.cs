using Kml.Kernel.Abi;
using Kml.Kernel.Memory;
using Kml.Kernel.Platform;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;
using Kml.Machine;
using Kml.Machine.Protection;

namespace Kml.Kernel;

// The CPU glue: booting the machine (GDT, IDT, TSS, stubs, vDSO, MSRs, paging, timer), entering and leaving user
// mode through real trap frames, context switches, and the scheduler loop.
public sealed partial class KmlKernel
{
    private Cpu? _cpu;
    private PhysicalMemory? _machineMemory;
    private CpuTlb? _tlb;
    private readonly Dictionary<Process, X87State> _fpu = [];
    private readonly Dictionary<Process, Stack<X87State>> _signalFpu = [];
    private Process? _fpuOwner;
    private long _hostTicksInCpu;

    /// <summary>Creates the kernel and its machine: physical memory, a CPU, and the boot-time tables.</summary>
    /// <exception cref="InvalidDataException">A contradictory mode and protection level, or <c>call</c> in ring 3.</exception>
    public KmlKernel(KernelOptions options) : this(options, false)
    {
        _machineMemory = new PhysicalMemory(options.PhysicalMemorySize);
        _cpu = new Cpu(_machineMemory, options.CycleModel ?? CycleModel.Pentium4);
        _tlb = new CpuTlb(_cpu);
        ClockHz = _cpu.CycleModel.ClockHz;
        InitializeMemory(new MachinePhysicalMemory(_machineMemory), new CpuClock(_cpu), KernelLayout.PageTablesPhysical);
        InitializeConsole();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        InitializeFileSystem();
        Boot();
        Statistics.ClockHz = ClockHz;
        _ = watch;
    }

    internal Cpu Cpu => _cpu ?? throw new InvalidOperationException("this kernel has no machine (a unit-test kernel)");


    /// <summary>The entry and exit code of this run (KPTI variant at level 1).</summary>
    internal EntryStubs Stubs { get; private set; } = null!;

    private static uint StubsBase => KernelMappings.ToLinear(KernelLayout.StubsPhysical);

    private void Boot()
    {
        var cpu = Cpu;
        var mem = PhysicalMemory;
        // GDT: null, kernel code/data, user code/data, the TSS, three TLS slots.
        mem.Fill(KernelLayout.GdtPhysical, 4096, 0);
        void Gdt(int entry, ulong descriptor)
        {
            mem.WriteUInt32(KernelLayout.GdtPhysical + (uint)entry * 8, (uint)descriptor);
            mem.WriteUInt32(KernelLayout.GdtPhysical + (uint)entry * 8 + 4, (uint)(descriptor >> 32));
        }
        Gdt(KernelLayout.KernelCodeEntry, Descriptors.FlatCode(0));
        Gdt(KernelLayout.KernelDataEntry, Descriptors.FlatData(0));
        Gdt(KernelLayout.UserCodeEntry, Descriptors.FlatCode(3));
        Gdt(KernelLayout.UserDataEntry, Descriptors.FlatData(3));
        Gdt(KernelLayout.TssEntry, Descriptors.Tss(KernelMappings.ToLinear(KernelLayout.TssPhysical)));
        Gdt(KernelLayout.DoubleFaultTssEntry, Descriptors.Tss(KernelMappings.ToLinear(KernelLayout.DoubleFaultTssPhysical)));
        Gdt(KernelLayout.NmiTssEntry, Descriptors.Tss(KernelMappings.ToLinear(KernelLayout.NmiTssPhysical)));
        cpu.Gdtr = new DescriptorTableRegister(KernelMappings.ToLinear(KernelLayout.GdtPhysical), KernelLayout.GdtEntries * 8 - 1);

        // Entry stubs and the IDT.
        Stubs = new EntryStubs(Level.PageTables == PageTableMode.Isolated);
        mem.Write(KernelLayout.StubsPhysical, Stubs.Page);
        uint stubs = StubsBase;
        mem.Fill(KernelLayout.IdtPhysical, 4096, 0);
        void Idt(int vector, ulong gate)
        {
            mem.WriteUInt32(KernelLayout.IdtPhysical + (uint)vector * 8, (uint)gate);
            mem.WriteUInt32(KernelLayout.IdtPhysical + (uint)vector * 8 + 4, (uint)(gate >> 32));
        }
        for (int v = 0; v < 32; v++)
        {
            // int3 and into may be used from user mode (they raise SIGTRAP / SIGSEGV, as on Linux).
            int dpl = v is 3 or 4 ? 3 : 0;
            Idt(v, Descriptors.InterruptGate(KernelLayout.KernelCode, stubs + Stubs.ExceptionEntry(v), dpl));
        }
        // As in KML (and Linux i386), the double fault and NMI are task gates: they run on their own TSS and stack, so a
        // ring-0 process whose stack cannot take an exception frame still reaches the kernel.
        Idt(2, Descriptors.TaskGate(KernelLayout.NmiTss, 0));
        Idt(8, Descriptors.TaskGate(KernelLayout.DoubleFaultTss, 0));
        Idt(KernelLayout.TimerVector, Descriptors.InterruptGate(KernelLayout.KernelCode, stubs + Stubs.TimerEntry, 0));
        Idt(KernelLayout.SyscallVector, Descriptors.InterruptGate(KernelLayout.KernelCode, stubs + Stubs.Int80Entry, 3));
        cpu.Idtr = new DescriptorTableRegister(KernelMappings.ToLinear(KernelLayout.IdtPhysical), 256 * 8 - 1);

        // The TSS page: the main TSS (only SS0:ESP0 and CR3 matter, set per process; no I/O bitmap), then the
        // double-fault and NMI tasks.
        mem.Fill(KernelLayout.TssPhysical, 4096, 0);
        mem.WriteUInt32(KernelLayout.TssPhysical + Tss32.Ss0, KernelLayout.KernelData);
        mem.WriteUInt32(KernelLayout.TssPhysical + Tss32.IoMap, (uint)Tss32.Size << 16);
        mem.Fill(KernelLayout.PerCpuPhysical, 4096, 0);
        foreach (uint stack in new[] { KernelLayout.TrampolineStackPhysical, KernelLayout.DoubleFaultStackPhysical, KernelLayout.NmiStackPhysical })
            mem.Fill(stack, 4096, 0);
        WriteKernelSecret();

        // The vDSO page.
        var vdso = VdsoImage.Build(Entry, stubs + Stubs.DirectCallEntry);
        mem.Write(KernelLayout.VdsoPhysical, vdso.Page);
        Vdso = new VdsoInfo
        {
            LandingAddress = vdso.LandingOffset >= 0 ? KernelLayout.VdsoAddress + (uint)vdso.LandingOffset : 0,
            CallReturnAddress = vdso.CallReturnOffset >= 0 ? KernelLayout.VdsoAddress + (uint)vdso.CallReturnOffset : 0,
            HardwareCapabilities = Cpu.FeaturesEdx,   // AT_HWCAP: what CPUID leaf 1 EDX reports
        };

        // A page directory with only the kernel part, until the first process has its own.
        _bootSpace = new AddressSpace(PhysicalMemory, Pages, KernelMap);
        WriteTaskTss(KernelLayout.DoubleFaultTssPhysical, stubs + Stubs.DoubleFaultTask, KernelLayout.DoubleFaultStackPhysical);
        WriteTaskTss(KernelLayout.NmiTssPhysical, stubs + Stubs.NmiTask, KernelLayout.NmiStackPhysical);
        cpu.Cr3 = _bootSpace.PageDirectory;
        cpu.Cr0 |= 0x8001_0001;   // PG | WP | PE: copy-on-write must hold for the kernel's own writes too
        cpu.SetSegment(SegmentRegister.CS, KernelLayout.KernelCode);
        cpu.SetSegment(SegmentRegister.SS, KernelLayout.KernelData);
        cpu.SetSegment(SegmentRegister.DS, KernelLayout.KernelData);
        cpu.SetSegment(SegmentRegister.ES, KernelLayout.KernelData);
        cpu.LoadTaskRegister(KernelLayout.Tss);
        cpu.SysenterCs = KernelLayout.KernelCode;
        cpu.SysenterEip = stubs + Stubs.SysenterEntry;
        ulong period = Options.TimerPeriodCycles != 0 ? Options.TimerPeriodCycles : (ulong)(ClockHz / 250);
        cpu.ConfigureTimer(period, KernelLayout.TimerVector);
    }

    private AddressSpace? _bootSpace;

    partial void DisposeMachineCore()
    {
        _cpu = null;
    }

    // ---------------------------------------------------------------- context switches

    /// <summary>Makes <paramref name="p"/> the process the CPU runs: CR3, TSS.ESP0, SYSENTER_ESP, TLS descriptors, x87.</summary>
    private void SwitchTo(Process p)
    {
        var cpu = Cpu;
        if (Current != p)
        {
            Statistics.ContextSwitches++;
            Current = p;
        }
        if (_fpuOwner != p)
        {
            if (_fpuOwner != null && _fpuOwner.State is ProcessState.Runnable or ProcessState.Sleeping)
            {
                if (!_fpu.TryGetValue(_fpuOwner, out var saved)) _fpu[_fpuOwner] = saved = new X87State();
                saved.CopyFrom(cpu.Fpu);
            }
            if (_fpu.TryGetValue(p, out var mine)) cpu.Fpu.CopyFrom(mine);
            else cpu.Fpu.Init();
            _fpuOwner = p;
        }
        ActivateAddressSpaceCore(p);
        // The TAL safety monitor watches only its own process (and costs nothing when absent).
        if (cpu.Observer != p.Tal?.Monitor) cpu.Observer = p.Tal?.Monitor;
        uint stackTop = EntryStackTop(p);
        PhysicalMemory.WriteUInt32(KernelLayout.TssPhysical + Tss32.Esp0, stackTop);
        cpu.SysenterEsp = stackTop;
        LoadTlsDescriptorsCore(p);
    }

    /// <summary>
    /// Where the CPU pushes a ring-3 process's trap frames (TSS.ESP0, SYSENTER_ESP): its own kernel stack, or with KPTI
    /// the per-CPU trampoline stack, the only one mapped in the user page tables.
    /// </summary>
    private uint EntryStackTop(Process p) => p.Memory.Isolated
        ? KernelMappings.ToLinear(KernelLayout.TrampolineStackPhysical) + PageAllocator.PageSize
        : p.KernelStackTop;

    partial void ActivateAddressSpaceCore(Process p)
    {
        if (_cpu == null) return;
        foreach (var other in ProcessTable.Values)
            if (other.Memory != p.Memory) other.Memory.Tlb = null;
        p.Memory.Tlb = _tlb;
        if (_cpu.Cr3 != p.Memory.PageDirectory) _cpu.Cr3 = p.Memory.PageDirectory;
        // The double-fault task switches back to the main TSS, which reloads CR3 from it.
        PhysicalMemory.WriteUInt32(KernelLayout.TssPhysical + Tss32.Cr3, p.Memory.PageDirectory);
        if (p.Memory.Isolated)
        {
            PhysicalMemory.WriteUInt32(KernelLayout.PerCpuPhysical + KernelLayout.PerCpuKernelCr3, p.Memory.PageDirectory);
            PhysicalMemory.WriteUInt32(KernelLayout.PerCpuPhysical + KernelLayout.PerCpuUserCr3, p.Memory.UserPageDirectory);
        }
    }

    partial void LoadTlsDescriptorsCore(Process p)
    {
        if (_cpu == null) return;
        _segmentsStale = true;
        for (int i = 0; i < KernelLayout.TlsEntries; i++)
        {
            uint at = KernelLayout.GdtPhysical + (uint)(KernelLayout.TlsFirstEntry + i) * 8;
            ulong d = p.TlsDescriptors[i];
            PhysicalMemory.WriteUInt32(at, (uint)d);
            PhysicalMemory.WriteUInt32(at + 4, (uint)(d >> 32));
        }
    }

    partial void OnExecCore(Process p)
    {
        // A new program starts with a clean x87 and no saved signal contexts.
        _signalFpu.Remove(p);
        if (_fpuOwner == p && _cpu != null) _cpu.Fpu.Init();
        else _fpu.Remove(p);
        LoadTlsDescriptorsCore(p);
    }

    // ---------------------------------------------------------------- entry: reading the user state

    private uint KernelStackPhysical(uint linear) => linear - KernelMappings.DirectMapBase;

    /// <summary>
    /// A word of a trap frame: on a kernel stack (direct map) for ring 3, on the process's own stack for ring 0 (no
    /// stack switch); the CPU has just written it, so a user page is present.
    /// </summary>
    private uint ReadFrameWord(Process p, uint linear)
    {
        if (linear >= KernelMappings.DirectMapBase) return PhysicalMemory.ReadUInt32(KernelStackPhysical(linear));
        return p.Memory.TryReadUInt32(linear, out uint value) ? value : 0;
    }

    /// <summary>Reads the interrupted state from the CPU and the IRET frame at <paramref name="frame"/>.</summary>
    private void ReadInterruptFrame(Process p, uint frame)
    {
        var cpu = Cpu;
        ref var r = ref p.Registers;
        ReadGeneralRegisters(cpu, ref r);
        r.Eip = ReadFrameWord(p, frame);
        r.Cs = (ushort)ReadFrameWord(p, frame + 4);
        r.Eflags = ReadFrameWord(p, frame + 8);
        if ((r.Cs & 3) != 0)
        {
            r.Esp = ReadFrameWord(p, frame + 12);
            r.Ss = (ushort)ReadFrameWord(p, frame + 16);
        }
        else
        {
            // Same-privilege delivery (a ring-0 process, or a fault in the kernel's own stubs): no stack switch, so the
            // frame is on the interrupted stack and ESP was just above it.
            r.Esp = frame + 12;
            r.Ss = cpu.GetSegment(SegmentRegister.SS).Selector;
        }
        p.Entry = EntryKind.Interrupt;
    }

    private static void ReadGeneralRegisters(Cpu cpu, ref UserRegisters r)
    {
        r.Eax = cpu.Eax; r.Ebx = cpu.Ebx; r.Ecx = cpu.Ecx; r.Edx = cpu.Edx;
        r.Esi = cpu.Esi; r.Edi = cpu.Edi; r.Ebp = cpu.Ebp;
        r.Ds = cpu.GetSegment(SegmentRegister.DS).Selector;
        r.Es = cpu.GetSegment(SegmentRegister.ES).Selector;
        r.Fs = cpu.GetSegment(SegmentRegister.FS).Selector;
        r.Gs = cpu.GetSegment(SegmentRegister.GS).Selector;
    }

    /// <summary>sysenter saved nothing: the user stack is in EBP, the 6th argument at [EBP], the return point is the vDSO's landing.</summary>
    private bool ReadSysenterState(Process p)
    {
        var cpu = Cpu;
        ref var r = ref p.Registers;
        ReadGeneralRegisters(cpu, ref r);
        r.Esp = cpu.Ebp;
        r.Eip = p.Tal != null ? p.Tal.SysexitLanding : Vdso.LandingAddress;
        r.Cs = CodeSelectorFor(p);
        r.Ss = StackSelectorFor(p);
        r.Eflags = cpu.EFlags | 0x200;
        p.Entry = EntryKind.Sysenter;
        if (!p.Memory.TryReadUInt32(r.Esp, out uint arg6)) return false;
        r.Ebp = arg6;
        return true;
    }

    /// <summary>The CPU stopped in user mode (cycle budget): everything is in the CPU.</summary>
    private void ReadUserStateFromCpu(Process p)
    {
        var cpu = Cpu;
        ref var r = ref p.Registers;
        ReadGeneralRegisters(cpu, ref r);
        r.Esp = cpu.Esp;
        r.Eip = cpu.Eip;
        r.Eflags = cpu.EFlags;
        r.Cs = cpu.GetSegment(SegmentRegister.CS).Selector;
        r.Ss = cpu.GetSegment(SegmentRegister.SS).Selector;
        p.Entry = EntryKind.Interrupt;
    }

    // ---------------------------------------------------------------- exit: back to user mode

    /// <summary>
    /// Loads <paramref name="p"/>'s user state into the CPU at the kernel's exit code: <c>sti; sysexit</c> when the
    /// process entered by sysenter and returns to the vDSO's landing point unchanged, else <c>iretd</c> over a frame
    /// written at the top of its kernel stack.
    /// </summary>
    private bool PrepareReturnToUser(Process p)
    {
        var cpu = Cpu;
        ref var r = ref p.Registers;
        uint stubs = StubsBase;
        // Entries through a gate or sysenter leave the CPU at CS/SS = kernel already; reload only what differs.
        if (cpu.GetSegment(SegmentRegister.CS).Selector != KernelLayout.KernelCode) cpu.SetSegment(SegmentRegister.CS, KernelLayout.KernelCode);
        if (cpu.GetSegment(SegmentRegister.SS).Selector != KernelLayout.KernelData) cpu.SetSegment(SegmentRegister.SS, KernelLayout.KernelData);
        cpu.Eax = r.Eax; cpu.Ebx = r.Ebx; cpu.Esi = r.Esi; cpu.Edi = r.Edi; cpu.Ebp = r.Ebp;
        SetDataSegment(cpu, SegmentRegister.DS, r.Ds);
        SetDataSegment(cpu, SegmentRegister.ES, r.Es);
        SetDataSegment(cpu, SegmentRegister.FS, r.Fs);
        SetDataSegment(cpu, SegmentRegister.GS, r.Gs);
        _segmentsStale = false;
        if ((r.Cs & 3) == 0) return PrepareReturnToRing0(p);
        uint landing = p.Tal != null ? p.Tal.SysexitLanding : Vdso.LandingAddress;
        bool viaSysexit = p.Entry == EntryKind.Sysenter && landing != 0 && r.Eip == landing
            && r.Cs == UserCodeSelector && r.Ss == UserDataSelector && (r.Eflags & 0x300) == 0x200;
        if (viaSysexit)
        {
            // sysexit takes EIP from EDX and ESP from ECX; the vDSO pops the caller's EDX and ECX afterwards.
            cpu.Ecx = r.Esp;
            cpu.Edx = r.Eip;
            cpu.Esp = EntryStackTop(p);
            cpu.EFlags = r.Eflags & ~0x200u;
            cpu.Eip = stubs + Stubs.SysexitExit;
            return true;
        }
        cpu.Ecx = r.Ecx;
        cpu.Edx = r.Edx;
        uint frame = EntryStackTop(p) - 20;
        uint pa = KernelStackPhysical(frame);
        PhysicalMemory.WriteUInt32(pa, r.Eip);
        PhysicalMemory.WriteUInt32(pa + 4, r.Cs);
        PhysicalMemory.WriteUInt32(pa + 8, (r.Eflags | 0x200) & ~0x24000u);   // IF on; NT and VM off
        PhysicalMemory.WriteUInt32(pa + 12, r.Esp);
        PhysicalMemory.WriteUInt32(pa + 16, r.Ss);
        cpu.Esp = frame;
        cpu.EFlags = 0x2;
        cpu.Eip = stubs + Stubs.IretExit;
        p.Entry = EntryKind.Interrupt;
        return true;
    }

    /// <summary>Set when the GDT's TLS entries or the running process changed: segment caches must be reloaded.</summary>
    private bool _segmentsStale = true;

    private void SetDataSegment(Cpu cpu, SegmentRegister register, ushort selector)
    {
        if (!_segmentsStale && cpu.GetSegment(register).Selector == selector) return;
        // A null selector is fine for data segments; an invalid one would fault the iret: load null instead
        // (the program then faults on its first use of the segment, as it would on Linux).
        try
        {
            cpu.SetSegment(register, selector);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException || ex.GetType().Name == "GuestFault")
        {
            cpu.SetSegment(register, 0);
        }
    }

    // ---------------------------------------------------------------- the loop

    /// <summary>Runs processes until the first one exits.</summary>
    private void Schedule()
    {
        var cpu = Cpu;
        ulong lastHostPoll = 0;
        while (InitialProcess!.State is ProcessState.Runnable or ProcessState.Sleeping)
        {
            if (HostEvents.Pending || (cpu.Cycles - lastHostPoll > 50_000_000 && HasHostSleepers()))
            {
                lastHostPoll = cpu.Cycles;
                PollHost(0);
            }
            var p = NextRunnable();
            if (p == null)
            {
                if (!Idle()) return;
                continue;
            }
            SwitchTo(p);
            if (p.PendingSyscall)
            {
                // Woken from a sleep inside a system call: run the call again.
                p.PendingSyscall = false;
                if (!CompleteSyscall(p)) continue;
            }
            else if (p.HasDeliverableSignal)
            {
                if (!DeliverSignals(p, 0, fromSyscall: false)) continue;
            }
            // Run it until it sleeps, exits, or is preempted (which puts it back in the queue).
            while (RunUser(p)) { }
        }
    }

    private Process? NextRunnable()
    {
        while (RunQueue.First is { } node)
        {
            RunQueue.RemoveFirst();
            if (node.Value.State == ProcessState.Runnable) return node.Value;
        }
        return null;
    }

    /// <summary>
    /// Runs <paramref name="p"/> in user mode until it enters the kernel, then handles the entry. True if the process
    /// goes on running; false if it sleeps, exited, or was put back in the run queue.
    /// </summary>
    private bool RunUser(Process p)
    {
        var cpu = Cpu;
        if (_resumeInPlace) _resumeInPlace = false;   // the double-fault or NMI task returns to the interrupted task itself
        else if (!PrepareReturnToUser(p))
        {
            // A ring-0 process whose stack cannot take its return frame (ESP outside its memory).
            KillForBadStack(p);
            return false;
        }
        ulong before = cpu.Cycles;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        StopReason stop;
        try
        {
            // Bounded, so that a ring-0 process that disabled interrupts still comes back (the watchdog).
            stop = cpu.Run(RunBudget);
        }
        catch (Exception ex)
        {
            _hostTicksInCpu += System.Diagnostics.Stopwatch.GetTimestamp() - started;
            KillForMachineStop(p, $"{p.ExecutablePath}: internal error in the CPU at 0x{cpu.Eip:X8}: {ex.GetType().Name}: {ex.Message} (pid {p.Pid} killed)", Sig.KILL);
            return false;
        }
        _hostTicksInCpu += System.Diagnostics.Stopwatch.GetTimestamp() - started;
        p.CpuCycles += cpu.Cycles - before;
        if (p.Tal != null && TryHandleTalStop(p, stop, out bool talRunning)) return talRunning;
        switch (stop)
        {
            case StopReason.Hypercall:
                return HandleHypercall(p, cpu.Eip - EntryStubs.VmcallLength - StubsBase);
            case StopReason.CycleLimit:
            case StopReason.Requested:
                if (!CheckWatchdog(p, cpu.Cycles - before)) return false;
                ReadUserStateFromCpu(p);
                return Preempt(p);
            case StopReason.Unimplemented:
                KillForMachineStop(p, $"{p.ExecutablePath}: {cpu.StopMessage}", Sig.ILL);
                break;
            case StopReason.TripleFault:
                KillForMachineStop(p, $"{p.ExecutablePath}: the CPU triple-faulted at 0x{cpu.Eip:X8} ({cpu.StopMessage}); an emulator bug", Sig.KILL);
                break;
            case StopReason.BusError:
                KillForMachineStop(p, $"{p.ExecutablePath}: bus error: {cpu.StopMessage}", Sig.BUS);
                break;
            default:
                KillForMachineStop(p, $"{p.ExecutablePath}: the CPU stopped unexpectedly ({stop}) at 0x{cpu.Eip:X8}", Sig.KILL);
                break;
        }
        return false;
    }

    /// <summary>A machine-level failure: says so on the host's stderr and kills only that process.</summary>
    private void KillForMachineStop(Process p, string message, int signal)
    {
        KernelMessage(message);
        Statistics.CountTransition("killed by the machine");
        ExitProcess(p, signal);
        RestoreMachineState();
    }

    private bool HandleHypercall(Process p, uint offset)
    {
        var cpu = Cpu;
        if (!Stubs.TryGetSite(offset, out var site))
        {
            KillForMachineStop(p, $"{p.ExecutablePath}: vmcall at 0x{cpu.Eip - EntryStubs.VmcallLength:X8}, not a kernel entry (pid {p.Pid} killed)", Sig.KILL);
            return false;
        }
        switch (site.Entry)
        {
            case StubEntry.Int80:
                ReadInterruptFrame(p, cpu.Esp);
                Statistics.Int80Entries++;
                return HandleSyscall(p);
            case StubEntry.Sysenter:
                Statistics.SysenterEntries++;
                if (!ReadSysenterState(p))
                {
                    // The vDSO's stack words are unreadable: the program broke its own stack.
                    ForceSignal(p, new SignalInfo { Signal = Sig.SEGV, Code = SigCode.SegvMapErr, Address = p.Registers.Esp });
                    return DeliverSignals(p, 0, false);
                }
                return HandleSyscall(p);
            case StubEntry.DirectCall:
                Statistics.DirectCallEntries++;
                if (!ReadDirectCallState(p))
                {
                    KillForBadStack(p);
                    return false;
                }
                return HandleSyscall(p);
            case StubEntry.Timer:
                if (ReturnToStubAtOnce(p, cpu.Esp)) return true;
                ReadInterruptFrame(p, cpu.Esp);
                Statistics.TimerInterrupts++;
                return Preempt(p);
            case StubEntry.Exception:
            {
                int vector = site.Vector;
                uint errorCode = 0;
                uint frame = cpu.Esp;
                if (EntryStubs.HasErrorCode(vector))
                {
                    errorCode = ReadFrameWord(p, frame);
                    frame += 4;
                }
                ReadInterruptFrame(p, frame);
                return HandleException(p, vector, errorCode, cpu.Cr2);
            }
            case StubEntry.DoubleFault:
                return HandleDoubleFault(p);
            case StubEntry.Nmi:
                Statistics.CountTransition("NMI (task gate)");
                _resumeInPlace = true;
                return true;
            case StubEntry.DoubleFaultKilled:
                return FinishDoubleFaultKill(p);
            default:
                KillForMachineStop(p, $"unknown kernel entry {site.Entry}", Sig.KILL);
                return false;
        }
    }

    /// <summary>A timer tick: timers, host events, signals; the process goes to the back of the queue if others wait.</summary>
    private bool Preempt(Process p)
    {
        if (TimeLimitReached() || TalLimitReached(p)) return false;
        RunTimers();
        if (HostEvents.Pending) PollHost(0);
        if (p.State != ProcessState.Runnable) return false;
        if (!DeliverSignals(p, 0, fromSyscall: false) || p.State != ProcessState.Runnable) return false;
        if (RunQueue.Count == 0) return true;
        RunQueue.AddLast(p);
        return false;
    }

    private bool HandleSyscall(Process p)
    {
        ref var r = ref p.Registers;
        r.OrigEax = r.Eax;
        // A TAL process speaks only the typed kernel interface: eax holds its import slot, not a Linux call number.
        if (p.Tal != null) return CompleteTalCall(p, first: true);
        uint number = r.Eax;
        Clock.Charge(SyscallCycles(number));
        return CompleteSyscall(p);
    }

    /// <summary>Runs (or re-runs) the system call in <paramref name="p"/>'s registers; false if the process must not run now.</summary>
    private bool CompleteSyscall(Process p)
    {
        if (p.Tal != null) return CompleteTalCall(p, first: false);
        ref var r = ref p.Registers;
        uint number = r.OrigEax;
        if (number < SyscallTable.Count) Statistics.SyscallCounts[number]++;
        else Statistics.UnknownSyscallNumbers++;
        var args = new SyscallArgs(r.Ebx, r.Ecx, r.Edx, r.Esi, r.Edi, r.Ebp);
        long result;
        var memory = p.Memory;
        long copiedBefore = memory.BytesCopied;
        try
        {
            result = number < SyscallTable.Count ? SyscallTable.Dispatch(this, p, number, args) : Err(Errno.ENOSYS);
            // Copies to and from user memory cost per byte (the address space may have been replaced by execve).
            if (p.Memory == memory) Clock.Charge((long)((memory.BytesCopied - copiedBefore) * Costs.CopyPerByte));
        }
        catch (OutOfMemoryException)
        {
            result = Err(Errno.ENOMEM);
        }
        catch (Exception ex) when (ex is not (InvalidDataException or NotSupportedException))
        {
            // A bug in the kernel: only this process pays for it, with a message naming the call.
            string name = number < SyscallTable.Count ? SyscallTable.Names[number] ?? $"#{number}" : $"#{number}";
            KillForMachineStop(p, $"{p.ExecutablePath}: internal error in system call {name}: {ex.GetType().Name}: {ex.Message} (pid {p.Pid} killed)", Sig.KILL);
            return false;
        }
        if (Options.Trace) TraceSyscall(p, number, args, result);
        if (result == SyscallResult.Sleep)
        {
            // Count the call once: the re-execution adds it again.
            if (number < SyscallTable.Count) Statistics.SyscallCounts[number]--;
            p.PendingSyscall = true;
            if (p.State == ProcessState.Runnable)
            {
                // Woken while going to sleep (the event already happened): run again at once.
                RunQueue.AddFirst(p);
            }
            return false;
        }
        p.SyscallProgress = 0;
        if (result == SyscallResult.Exited || p.State is ProcessState.Zombie or ProcessState.Dead) return false;
        if (result != SyscallResult.RegistersSet && result != SyscallResult.RestartSys && result != SyscallResult.RestartNoHandler)
            r.Eax = (uint)result;
        if (!DeliverSignals(p, result, fromSyscall: result != SyscallResult.RegistersSet)) return false;
        if (p.State != ProcessState.Runnable) return false;
        if (p.YieldRequested)
        {
            p.YieldRequested = false;
            if (RunQueue.Count > 0)
            {
                RunQueue.AddLast(p);
                return false;
            }
        }
        if (p.VforkWaiting) return false;
        return true;
    }

    private void TraceSyscall(Process p, uint number, in SyscallArgs a, long result)
    {
        string name = number < SyscallTable.Count ? SyscallTable.Names[number] ?? $"#{number}" : $"#{number}";
        string shown = result switch
        {
            SyscallResult.Sleep => "(sleeps)",
            SyscallResult.Exited => "(exited)",
            SyscallResult.RegistersSet => "(registers set)",
            SyscallResult.RestartSys => "ERESTARTSYS",
            < 0 and > -4096 => $"-{(Errno)(-result)}",
            _ => $"{result} (0x{result:X})",
        };
        KernelMessage($"[{p.Pid}] {name}(0x{a.A0:X}, 0x{a.A1:X}, 0x{a.A2:X}, 0x{a.A3:X}, 0x{a.A4:X}, 0x{a.A5:X}) = {shown}");
    }

    /// <summary>A one-line message from the kernel on the guest's stderr stream ("kml: ...").</summary>
    internal void KernelMessage(string message)
    {
        Console.Out.Flush();
        Stderr.WriteMessage($"kml: {message}\n");
    }

    private bool HandleException(Process p, int vector, uint errorCode, uint cr2)
    {
        if (vector == 14) Statistics.PageFaultEntries++;
        else Statistics.CountTransition($"exception {vector}");
        if (p.Tal != null) return HandleTalException(p, vector, errorCode, cr2);
        // A ring-0 process's faults are its own (its code runs at CPL 0 on its own stack).
        bool user = (p.Registers.Cs & 3) == 3 || p.RunsInRing0;
        if (!user)
        {
            KillForMachineStop(p, $"exception {vector} (error 0x{errorCode:X}) in the kernel's own code at 0x{p.Registers.Eip:X8}; an emulator bug", Sig.KILL);
            return false;
        }
        LastTrap = (vector, errorCode, cr2);
        if (Options.Trace && vector != 14)
            KernelMessage($"[{p.Pid}] exception {vector} (error 0x{errorCode:X}) at EIP 0x{p.Registers.Eip:X8}, ESP 0x{p.Registers.Esp:X8}");
        SignalInfo info;
        switch (vector)
        {
            case 14:
                var result = p.Memory.HandleFault(cr2, (errorCode & 2) != 0);
                if (result == FaultResult.Handled)
                {
                    Statistics.PageFaults++;
                    Clock.Charge(Costs.PageFault);
                    return !p.HasDeliverableSignal || DeliverSignals(p, 0, false);
                }
                if (result == FaultResult.OutOfMemory)
                {
                    KillForMachineStop(p, $"{p.ExecutablePath}: out of guest physical memory (pid {p.Pid}); try a larger --memory", Sig.KILL);
                    return false;
                }
                info = new SignalInfo { Signal = Sig.SEGV, Code = result == FaultResult.AccessDenied ? SigCode.SegvAccErr : SigCode.SegvMapErr, Address = cr2 };
                break;
            case 0:
                info = new SignalInfo { Signal = Sig.FPE, Code = SigCode.FpeIntDiv, Address = p.Registers.Eip };
                break;
            case 16:
                info = new SignalInfo { Signal = Sig.FPE, Code = SigCode.FpeFltInv, Address = p.Registers.Eip };
                break;
            case 6:
                info = new SignalInfo { Signal = Sig.ILL, Code = SigCode.IllIllOpc, Address = p.Registers.Eip };
                break;
            case 1:
            case 3:
                info = new SignalInfo { Signal = Sig.TRAP, Code = SigCode.TrapBrkpt, Address = p.Registers.Eip };
                break;
            case 11:
            case 12:
            case 17:
                info = new SignalInfo { Signal = Sig.BUS, Code = SigCode.BusAdrErr, Address = p.Registers.Eip };
                break;
            default:
                info = new SignalInfo { Signal = Sig.SEGV, Code = SigCode.Kernel };
                break;
        }
        ForceSignal(p, info);
        return DeliverSignals(p, 0, fromSyscall: false) && p.State == ProcessState.Runnable;
    }

    /// <summary>--time-limit: once emulated time passes it, every guest process is killed (SIGKILL) and the run ends.</summary>
    private bool TimeLimitReached()
    {
        if (Options.TimeLimitSeconds <= 0 || Clock.MonotonicNanoseconds < Options.TimeLimitSeconds * 1e9) return false;
        var live = ProcessTable.Values.Where(q => q.State is ProcessState.Runnable or ProcessState.Sleeping).ToList();
        if (live.Count == 0) return false;
        KernelMessage($"time limit of {Options.TimeLimitSeconds:0.###} s (emulated) reached; killing {string.Join(", ", live)}");
        foreach (var q in live) ExitProcess(q, Sig.KILL);
        return true;
    }

    // ---------------------------------------------------------------- idle and host events

    private bool HasHostSleepers() => Stdin.ReadQueue.HasSleepers || HostIoQueue.HasSleepers || _watchedSockets.Count > 0;

    /// <summary>Checks host readiness (stdin, sockets) and wakes the processes waiting for it.</summary>
    private bool PollHost(int timeoutMicroseconds)
    {
        bool any = PollHostSockets(timeoutMicroseconds);
        if (HostEvents.Consume() || Stdin.Ready && Stdin.ReadQueue.HasSleepers)
        {
            Stdin.ReadQueue.WakeAll();
            HostIoQueue.WakeAll();
            any = true;
        }
        return any;
    }

    /// <summary>
    /// Every process sleeps: wait for the host (stdin, sockets) or jump emulated time to the next deadline.
    /// Returns false when nothing can ever wake anyone (the run ends instead of hanging).
    /// </summary>
    private bool Idle()
    {
        if (TimeLimitReached()) return false;
        RunTimers();
        if (RunQueue.Count > 0) return true;
        long deadline = NextTimerDeadline();
        if (HasHostSleepers())
        {
            long now = Clock.MonotonicNanoseconds;
            int timeout = deadline == long.MaxValue ? 20_000 : (int)Math.Clamp((deadline - now) / 1000, 0, 20_000);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            bool any = PollHost(timeout);
            // Idle time passes at the host's pace while waiting for the outside world.
            Clock.AdvanceTo(now + (long)watch.Elapsed.TotalNanoseconds);
            if (!any) RunTimers();
            return true;
        }
        if (deadline != long.MaxValue)
        {
            Clock.AdvanceTo(deadline);
            RunTimers();
            return true;
        }
        var sleepers = ProcessTable.Values.Where(q => q.State == ProcessState.Sleeping)
            .Select(q => $"{q.Pid} ({q.Name}) in {string.Join("/", q.WaitingOn)}");
        KernelMessage($"every guest process sleeps and nothing can wake them: {string.Join(", ", sleepers)}");
        foreach (var q in ProcessTable.Values.ToList()) ExitProcess(q, Sig.KILL);
        return false;
    }
}
