using Kml.Kernel.Abi;
using Kml.Kernel.Memory;
using Kml.Kernel.Platform;
using Kml.Kernel.Processes;
using Kml.Machine;
using Kml.Machine.Protection;

namespace Kml.Kernel;

// Ring-0 processes (KML): the direct-call entry, the return to ring 0 on the process's own stack, the double-fault
// task that turns a stack that cannot take an exception frame into stack growth (or kills the process), the
// watchdog for interrupts left disabled, and the kernel data page an unverified ring-0 program can read.
public sealed partial class KmlKernel
{
    /// <summary>Set when the CPU must go on from where it stopped (a task gate's handler returns with iret itself).</summary>
    private bool _resumeInPlace;

    /// <summary>The process the double-fault task could not save, killed once the CPU is back in the main task.</summary>
    private (Process Process, string Reason)? _doubleFaultKill;

    /// <summary>How long the CPU runs before the kernel looks (a ring-0 process may disable the timer's interrupt).</summary>
    private ulong RunBudget => Math.Max(Cpu.TimerPeriod, 100_000UL) * 16;

    /// <summary>Emulated seconds a ring-0 process may run with interrupts disabled before the watchdog kills it.</summary>
    internal const double WatchdogSeconds = 1.0;

    /// <summary>The code segment selector a process runs with: the kernel's for a ring-0 process.</summary>
    internal static ushort CodeSelectorFor(Process p) => p.RunsInRing0 ? KernelLayout.KernelCode : KernelLayout.UserCode;

    /// <summary>The stack segment selector a process runs with (SS must have DPL = CPL).</summary>
    internal static ushort StackSelectorFor(Process p) => p.RunsInRing0 ? KernelLayout.KernelData : KernelLayout.UserData;

    /// <summary>
    /// The registers a freshly loaded program starts with at <paramref name="p"/>'s protection level: EIP, ESP, IF set,
    /// ring-0 or ring-3 code and stack segments, the user data segment in DS/ES (loadable at either privilege). A loader
    /// of another binary format (TAL) starts its ring-0 process the same way.
    /// </summary>
    internal static UserRegisters InitialRegisters(Process p, uint entry, uint stackPointer) => new()
    {
        Eip = entry,
        Esp = stackPointer,
        Eflags = 0x202,
        Cs = CodeSelectorFor(p),
        Ss = StackSelectorFor(p),
        Ds = KernelLayout.UserData,
        Es = KernelLayout.UserData,
    };

    private static bool InStubPage(uint eip) => eip - StubsBase < PageAllocator.PageSize;

    // ---------------------------------------------------------------- the direct call

    /// <summary>
    /// KML's direct call: the stub remembered the process's ESP (pointing at the return address) in the per-CPU page and
    /// switched to the kernel stack; EFLAGS are the caller's. The state to resume is "just returned into the vDSO".
    /// </summary>
    private bool ReadDirectCallState(Process p)
    {
        var cpu = Cpu;
        ref var r = ref p.Registers;
        ReadGeneralRegisters(cpu, ref r);
        uint userEsp = PhysicalMemory.ReadUInt32(KernelLayout.PerCpuPhysical + KernelLayout.PerCpuDirectCallEsp);
        if (!p.Memory.TryReadUInt32(userEsp, out uint returnAddress)) return false;
        r.Eflags = cpu.EFlags;
        // From the vDSO the call returns to its landing point, two bytes on, past the int 0x80 a restart backs up to.
        r.Eip = returnAddress == Vdso.CallReturnAddress && Vdso.CallReturnAddress != 0 ? Vdso.LandingAddress : returnAddress;
        r.Esp = userEsp + 4;
        r.Cs = CodeSelectorFor(p);
        r.Ss = StackSelectorFor(p);
        p.Entry = EntryKind.DirectCall;
        return true;
    }

    /// <summary>
    /// Back to a ring-0 process: no privilege change, so no stack switch. After a direct call the return is a plain
    /// <c>ret</c> (the kernel loads EFLAGS itself), after an interrupt or exception a same-privilege <c>iretd</c>;
    /// either way the frame goes on the process's own stack just below its ESP (where the CPU pushed the entry frame).
    /// False if that stack cannot take it.
    /// </summary>
    private bool PrepareReturnToRing0(Process p)
    {
        var cpu = Cpu;
        ref var r = ref p.Registers;
        if (cpu.GetSegment(SegmentRegister.SS).Selector != r.Ss) cpu.SetSegment(SegmentRegister.SS, r.Ss);
        cpu.Ecx = r.Ecx;
        cpu.Edx = r.Edx;
        uint eflags = r.Eflags & ~0x24000u;   // NT and VM off
        Span<byte> frame = stackalloc byte[12];
        uint esp;
        uint exit;
        bool viaRet = p.Entry == EntryKind.DirectCall;
        if (viaRet)
        {
            esp = r.Esp - 4;
            BitConverter.TryWriteBytes(frame, r.Eip);
            frame = frame[..4];
            exit = Stubs.DirectCallExit;
        }
        else
        {
            esp = r.Esp - 12;
            BitConverter.TryWriteBytes(frame, r.Eip);
            BitConverter.TryWriteBytes(frame[4..], (uint)r.Cs);
            BitConverter.TryWriteBytes(frame[8..], eflags);
            exit = Stubs.Ring0IretExit;
        }
        if (esp < PageAllocator.PageSize || r.Esp > AddressSpace.UserEnd || !p.Memory.CopyToUser(esp, frame)) return false;
        cpu.Esp = esp;
        cpu.EFlags = viaRet ? eflags : 0x2;
        cpu.Eip = StubsBase + exit;
        return true;
    }

    /// <summary>
    /// An interrupt arrived while a ring-0 process was inside the kernel's entry or exit stubs (interrupts stay enabled
    /// there for the direct call): return to the stub at once, without preemption, as a non-preemptible kernel does.
    /// </summary>
    private bool ReturnToStubAtOnce(Process p, uint frame)
    {
        var cpu = Cpu;
        if (!p.RunsInRing0 || !InStubPage(ReadFrameWord(p, frame)) || (ReadFrameWord(p, frame + 4) & 3) != 0) return false;
        cpu.Esp = frame;
        cpu.Eip = StubsBase + Stubs.Ring0IretExit;
        _resumeInPlace = true;
        Statistics.CountTransition("interrupts inside the entry stubs");
        return true;
    }

    /// <summary>A ring-0 process whose stack cannot take a frame: SIGSEGV, as Linux's force_sigsegv.</summary>
    private void KillForBadStack(Process p)
    {
        if (Options.Trace) KernelMessage($"{p.ExecutablePath}: pid {p.Pid}: its stack (ESP 0x{p.Registers.Esp:X8}) cannot take a frame; killed by SIGSEGV");
        Statistics.CountTransition("killed: unusable stack");
        ExitProcess(p, Sig.SEGV);
    }

    // ---------------------------------------------------------------- the double fault

    /// <summary>
    /// The double-fault task: the CPU could not push an exception frame on a ring-0 process's stack (the page below it
    /// is not mapped yet, or it is the guard gap), so it switched to the double-fault TSS. The interrupted state is in
    /// the main TSS; CR2 is the address the push faulted on. A legitimate stack growth becomes a normal page fault (map
    /// the page) and the task's <c>iretd</c> resumes the faulting instruction; anything else kills the process.
    /// </summary>
    private bool HandleDoubleFault(Process p)
    {
        var cpu = Cpu;
        uint tss = KernelLayout.TssPhysical;
        uint eip = PhysicalMemory.ReadUInt32(tss + Tss32.Eip), esp = PhysicalMemory.ReadUInt32(tss + Tss32.Esp);
        uint cr2 = cpu.Cr2;
        LastTrap = (14, 2, cr2);
        _resumeInPlace = true;
        if (cr2 < AddressSpace.UserEnd && p.State == ProcessState.Runnable)
        {
            var result = p.Memory.HandleFault(cr2, write: true);
            if (result == FaultResult.Handled)
            {
                Statistics.CountTransition("double faults: stack grown");
                Statistics.PageFaults++;
                Clock.Charge(Costs.PageFault);
                return true;
            }
        }
        Statistics.CountTransition("double faults: process killed");
        if (p.Tal != null) _talDoubleFault = (eip, esp, cr2);
        string reason = cr2 < AddressSpace.UserEnd
            ? $"stack overflow in ring 0 (double fault at EIP 0x{eip:X8}, ESP 0x{esp:X8}, fault address 0x{cr2:X8})"
            : $"double fault at EIP 0x{eip:X8}, ESP 0x{esp:X8} (fault address 0x{cr2:X8})";
        _doubleFaultKill = (p, reason);
        // Send the main task to a kernel landing point on the kernel stack instead of back into the process.
        uint landing = StubsBase + Stubs.DoubleFaultKilled;
        PhysicalMemory.WriteUInt32(tss + Tss32.Eip, landing);
        PhysicalMemory.WriteUInt32(tss + Tss32.EFlags, 0x2);
        PhysicalMemory.WriteUInt32(tss + Tss32.Esp, p.KernelStackTop);
        PhysicalMemory.WriteUInt32(tss + Tss32.Cs, KernelLayout.KernelCode);
        foreach (int sel in new[] { Tss32.Ss, Tss32.Ds, Tss32.Es })
            PhysicalMemory.WriteUInt32(tss + (uint)sel, KernelLayout.KernelData);
        PhysicalMemory.WriteUInt32(tss + Tss32.Fs, 0);
        PhysicalMemory.WriteUInt32(tss + Tss32.Gs, 0);
        PhysicalMemory.WriteUInt32(tss + Tss32.Cr3, _bootSpace!.PageDirectory);
        return true;
    }

    /// <summary>Back in the main task after a double fault the kernel could not resolve: the process dies by SIGSEGV.</summary>
    private bool FinishDoubleFaultKill(Process p)
    {
        var (victim, reason) = _doubleFaultKill ?? (p, "double fault");
        _doubleFaultKill = null;
        if (victim.Tal != null && TalDoubleFaultKill(victim)) return false;
        if (Options.Trace) KernelMessage($"{victim.ExecutablePath}: pid {victim.Pid}: {reason}; killed by SIGSEGV");
        _segmentsStale = true;
        ExitProcess(victim, Sig.SEGV);
        return false;
    }

    /// <summary>A task-state segment for the double-fault or NMI task: kernel segments, its own stack, the boot page directory.</summary>
    private void WriteTaskTss(uint tssPhysical, uint eip, uint stackPhysical)
    {
        var mem = PhysicalMemory;
        mem.Fill(tssPhysical, (int)Tss32.Size, 0);
        mem.WriteUInt32(tssPhysical + Tss32.Cr3, _bootSpace!.PageDirectory);
        mem.WriteUInt32(tssPhysical + Tss32.Eip, eip);
        mem.WriteUInt32(tssPhysical + Tss32.EFlags, 0x2);   // interrupts off
        mem.WriteUInt32(tssPhysical + Tss32.Esp, KernelMappings.ToLinear(stackPhysical) + PageAllocator.PageSize);
        mem.WriteUInt32(tssPhysical + Tss32.Cs, KernelLayout.KernelCode);
        foreach (int sel in new[] { Tss32.Ss, Tss32.Ds, Tss32.Es })
            mem.WriteUInt32(tssPhysical + (uint)sel, KernelLayout.KernelData);
        mem.WriteUInt32(tssPhysical + Tss32.Ss0, KernelLayout.KernelData);
        mem.WriteUInt32(tssPhysical + Tss32.Esp0, KernelMappings.ToLinear(stackPhysical) + PageAllocator.PageSize);
        mem.WriteUInt32(tssPhysical + Tss32.IoMap, (uint)Tss32.Size << 16);
    }

    // ---------------------------------------------------------------- watchdog and recovery of the machine

    /// <summary>
    /// The CPU came back because its budget ran out. Inside the kernel's stubs it simply goes on; a ring-0 process that
    /// has kept interrupts disabled for <see cref="WatchdogSeconds"/> is killed (the NMI watchdog's job on Linux).
    /// Returns false if the process was killed; sets <see cref="_resumeInPlace"/> when the CPU must go on as it is.
    /// </summary>
    private bool CheckWatchdog(Process p, ulong ran)
    {
        var cpu = Cpu;
        if (cpu.Cpl == 0 && InStubPage(cpu.Eip))
        {
            _resumeInPlace = true;
            return true;
        }
        if (p.RunsInRing0 && (cpu.EFlags & 0x200) == 0)
        {
            p.InterruptsOffCycles += ran;
            if (p.InterruptsOffCycles >= (ulong)(ClockHz * WatchdogSeconds))
            {
                KillForMachineStop(p, $"{p.ExecutablePath}: pid {p.Pid} ran {WatchdogSeconds:0.#} s in ring 0 with interrupts disabled (EIP 0x{cpu.Eip:X8}); killed by the watchdog", Sig.KILL);
                return false;
            }
        }
        else p.InterruptsOffCycles = 0;
        return true;
    }

    /// <summary>
    /// After the machine stopped a process (an unknown vmcall, a triple fault, ...): an unverified ring-0 program may
    /// have changed the CPU's system state, so the kernel reloads it (descriptor-table registers, CR0/CR4, the main TSS)
    /// before the next process runs.
    /// </summary>
    private void RestoreMachineState()
    {
        var cpu = Cpu;
        if (_bootSpace == null) return;
        cpu.Gdtr = new DescriptorTableRegister(KernelMappings.ToLinear(KernelLayout.GdtPhysical), KernelLayout.GdtEntries * 8 - 1);
        cpu.Idtr = new DescriptorTableRegister(KernelMappings.ToLinear(KernelLayout.IdtPhysical), 256 * 8 - 1);
        cpu.Cr0 |= 0x8001_0001;
        if (cpu.Cr4 != 0) cpu.Cr4 = 0;
        cpu.SetSegment(SegmentRegister.CS, KernelLayout.KernelCode);
        cpu.SetSegment(SegmentRegister.SS, KernelLayout.KernelData);
        if (cpu.Tr.Selector != KernelLayout.Tss || !cpu.Tr.Usable)
        {
            // Mark every TSS available again (the CPU marks the running one busy), then reload the main one.
            foreach (int entry in new[] { KernelLayout.TssEntry, KernelLayout.DoubleFaultTssEntry, KernelLayout.NmiTssEntry })
            {
                uint at = KernelLayout.GdtPhysical + (uint)entry * 8 + 5;
                uint word = PhysicalMemory.ReadUInt32(at - 1);
                PhysicalMemory.WriteUInt32(at - 1, word & ~0x200u);
            }
            cpu.LoadTaskRegister(KernelLayout.Tss);
        }
        cpu.EFlags = 0x2;
        _segmentsStale = true;
    }

    // ---------------------------------------------------------------- the kernel data page

    /// <summary>The secret in the kernel data page (tests compare what a ring-0 program printed with it).</summary>
    internal string KernelSecret { get; private set; } = "";

    /// <summary>Magic at the start of the kernel data page, then the secret as 32 hex digits and a NUL.</summary>
    internal const string KernelDataMagic = "KMLSECRT";

    private void WriteKernelSecret()
    {
        KernelSecret = NewSecret();
        PhysicalMemory.Fill(KernelLayout.KernelDataPhysical, (int)PageAllocator.PageSize, 0);
        PhysicalMemory.Write(KernelLayout.KernelDataPhysical, System.Text.Encoding.ASCII.GetBytes(KernelDataMagic + KernelSecret + "\0"));
    }

    /// <summary>
    /// 32 random hex digits. The bytes come from Guid.NewGuid, which reads the operating system's secure random source
    /// (getrandom) directly: RandomNumberGenerator would load OpenSSL (libssl, libcrypto, openssl.cnf) at every
    /// start, ≈ 5 ms of a short run, for 16 bytes. A version-4 GUID fixes 6 of its 128 bits; the other 122 are random.
    /// </summary>
    private static string NewSecret()
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!Guid.NewGuid().TryWriteBytes(bytes)) throw new InvalidOperationException("a GUID is 16 bytes");
        const string Hex = "0123456789abcdef";
        var digits = new char[32];
        for (int i = 0; i < 16; i++)
        {
            digits[2 * i] = Hex[bytes[i] >> 4];
            digits[2 * i + 1] = Hex[bytes[i] & 15];
        }
        return new string(digits);
    }

    /// <summary>The kernel data page as it is now (a ring-0 program may have written it).</summary>
    internal byte[] ReadKernelDataPage()
    {
        var page = new byte[PageAllocator.PageSize];
        PhysicalMemory.Read(KernelLayout.KernelDataPhysical, page);
        return page;
    }
}
