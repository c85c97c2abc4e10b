using Kml.Kernel.Abi;
using Kml.Kernel.Memory;
using Kml.Kernel.Platform;
using Kml.Kernel.Processes;
using Kml.Kernel.Tal;
using Kml.Machine;

namespace Kml.Kernel;

// A TAL program in ring 0 (protection levels 3 and 4): how it enters the kernel (a direct call through its import
// table, or an interrupt or exception taken without a stack switch, whose frame is on the program's own stack) and how
// it gets back (the direct call's stub returns itself; anything else irets in ring 0 over a frame just below the
// program's esp). The program runs with the kernel's flat code and data segments.
public sealed partial class KmlKernel
{
    /// <summary>
    /// Handles a hypercall of a ring-0 TAL process. False if it is not one (the caller goes on as for any process);
    /// else <paramref name="running"/> says whether the process goes on running.
    /// </summary>
    private bool TryHandleTalHypercall(Process p, out bool running)
    {
        running = false;
        if (p.Tal is not { Ring0: true } tal) return false;
        var cpu = Cpu;
        uint vmcall = cpu.Eip - EntryStubs.VmcallLength;
        ref var r = ref p.Registers;
        if (vmcall == TalKernelStubs.Common + TalKernelStubs.VmcallOffset)
        {
            // The common stub left the program's esp in eax and the slot in ecx; ebx, esi, edi, ebp are the program's.
            ReadGeneralRegisters(cpu, ref r);
            r.Esp = cpu.Eax;
            r.OrigEax = cpu.Ecx;
            r.Eip = TalKernelStubs.Common + TalKernelStubs.ResumeOffset;
            r.Cs = KernelLayout.KernelCode;
            r.Ss = KernelLayout.KernelData;
            r.Eflags = cpu.EFlags | 0x200;
            p.Entry = EntryKind.DirectCall;
            Statistics.TalDirectCalls++;
            Clock.Charge(SyscallWorkCycles);
            running = CompleteTalCall(p);
            return true;
        }
        uint entry = vmcall - KernelMappings.ToLinear(KernelLayout.StubsPhysical);
        if (entry == EntryStubs.TimerEntry)
        {
            if (!ReadTalRing0Frame(p, cpu.Esp)) return true;
            Statistics.TimerInterrupts++;
            running = Preempt(p);
            return true;
        }
        if (entry >= EntryStubs.ExceptionEntries && entry < EntryStubs.ExceptionEntries + 32 * 8 && (entry - EntryStubs.ExceptionEntries) % 8 == 0)
        {
            int vector = (int)((entry - EntryStubs.ExceptionEntries) / 8);
            uint frame = cpu.Esp;
            uint errorCode = 0;
            if (EntryStubs.HasErrorCode(vector))
            {
                if (!TryReadTalWord(p, frame, out errorCode)) errorCode = 0;
                frame += 4;
            }
            if (!ReadTalRing0Frame(p, frame)) return true;
            if (vector == 14) Statistics.PageFaultEntries++;
            else Statistics.CountTransition($"exception {vector}");
            running = HandleTalException(p, vector, errorCode, cpu.Cr2);
            return true;
        }
        // int 0x80 and sysenter cannot come from checked code (both are outside the allow-list).
        TalEndProcess(p, TalEnd.Killed, [$"kml: {tal.Program.Name}: a ring-0 program entered the kernel at 0x{vmcall:x8}, not through its import table"], Sig.KILL);
        return true;
    }

    /// <summary>Reads a same-privilege interrupt frame (EIP, CS, EFLAGS; no ESP/SS) into the saved registers.</summary>
    private bool ReadTalRing0Frame(Process p, uint frame)
    {
        ref var r = ref p.Registers;
        ReadGeneralRegisters(Cpu, ref r);
        if (!TryReadTalWord(p, frame, out uint eip) || !TryReadTalWord(p, frame + 4, out uint cs) || !TryReadTalWord(p, frame + 8, out uint eflags))
        {
            TalStackOverflow(p);
            return false;
        }
        r.Eip = eip;
        r.Cs = (ushort)cs;
        r.Eflags = eflags;
        r.Esp = frame + 12;
        r.Ss = Cpu.GetSegment(SegmentRegister.SS).Selector;
        p.Entry = EntryKind.Interrupt;
        return true;
    }

    /// <summary>A word on the program's stack, or (inside the import stub) on its kernel stack.</summary>
    private bool TryReadTalWord(Process p, uint linear, out uint value)
    {
        if (linear >= KernelMappings.DirectMapBase)
        {
            value = PhysicalMemory.ReadUInt32(linear - KernelMappings.DirectMapBase);
            return true;
        }
        return p.Memory.TryReadUInt32(linear, out value);
    }

    private bool TryWriteTalWord(Process p, uint linear, uint value)
    {
        if (linear >= KernelMappings.DirectMapBase)
        {
            PhysicalMemory.WriteUInt32(linear - KernelMappings.DirectMapBase, value);
            return true;
        }
        return p.Memory.TryWriteUInt32(linear, value);
    }

    /// <summary>
    /// Loads a ring-0 TAL process's state into the CPU: after a direct call, at the stub's <c>pop esp; sti; ret</c>
    /// with the program's esp on top of the kernel stack; after anything else, at an <c>iretd</c> over a 3-word frame
    /// written just below the program's esp (TAL never keeps anything below esp). False if that frame cannot be
    /// written (the process is ended).
    /// </summary>
    private bool PrepareTalRing0Return(Process p)
    {
        var cpu = Cpu;
        ref var r = ref p.Registers;
        if (cpu.GetSegment(SegmentRegister.CS).Selector != KernelLayout.KernelCode) cpu.SetSegment(SegmentRegister.CS, KernelLayout.KernelCode);
        if (cpu.GetSegment(SegmentRegister.SS).Selector != KernelLayout.KernelData) cpu.SetSegment(SegmentRegister.SS, KernelLayout.KernelData);
        SetDataSegment(cpu, SegmentRegister.DS, r.Ds);
        SetDataSegment(cpu, SegmentRegister.ES, r.Es);
        SetDataSegment(cpu, SegmentRegister.FS, r.Fs);
        SetDataSegment(cpu, SegmentRegister.GS, r.Gs);
        _segmentsStale = false;
        cpu.Eax = r.Eax; cpu.Ebx = r.Ebx; cpu.Ecx = r.Ecx; cpu.Edx = r.Edx;
        cpu.Esi = r.Esi; cpu.Edi = r.Edi; cpu.Ebp = r.Ebp;
        if (p.Entry == EntryKind.DirectCall)
        {
            TryWriteTalWord(p, p.KernelStackTop - 4, r.Esp);
            cpu.Esp = p.KernelStackTop - 4;
            cpu.EFlags = 0x2;
            cpu.Eip = TalKernelStubs.Common + TalKernelStubs.ResumeOffset;
            return true;
        }
        uint frame = r.Esp - 12;
        if (!TryWriteTalWord(p, frame, r.Eip) || !TryWriteTalWord(p, frame + 4, r.Cs)
            || !TryWriteTalWord(p, frame + 8, (r.Eflags | 0x200) & ~0x24000u))
        {
            TalStackOverflow(p);
            return false;
        }
        cpu.Esp = frame;
        cpu.EFlags = 0x2;
        cpu.Eip = KernelMappings.ToLinear(KernelLayout.StubsPhysical) + EntryStubs.IretExit;
        return true;
    }

    /// <summary>The cycle budget of one <c>Cpu.Run</c> for <paramref name="p"/> (its TAL cycle limit, if any).</summary>
    private ulong RunBudget(Process p)
    {
        if (p.Tal is not { CycleDeadline: > 0 } tal) return 1UL << 40;
        return tal.CycleDeadline > Cpu.Cycles ? tal.CycleDeadline - Cpu.Cycles : 1;
    }

    /// <summary>
    /// A stop of <c>Cpu.Run</c> that concerns a TAL process: the safety monitor's request, a triple fault of a
    /// ring-0 program (its stack ran into the guard: the #PF and #DF frames could not be pushed), the cycle limit.
    /// </summary>
    private bool TryHandleTalStop(Process p, StopReason stop, out bool running)
    {
        running = false;
        var tal = p.Tal!;
        var cpu = Cpu;
        if (stop == StopReason.Requested && tal.Monitor is { Violations.Count: > 0 } monitor)
        {
            ReadUserStateFromCpu(p);
            var v = monitor.Violations[0];
            TalEndProcess(p, TalEnd.Violation, [$"kml: {tal.Program.Name}: safety monitor: {v}"], Sig.KILL);
            return true;
        }
        if (stop == StopReason.TripleFault && tal.Ring0)
        {
            p.Registers.Eip = cpu.Eip;
            p.Registers.Esp = cpu.Esp;
            if (cpu.Esp - (tal.Plan.GuardLow - 4096) < (uint)TalLayoutGuardWindow(tal))
            {
                TalStackOverflow(p);
                return true;
            }
            TalEndProcess(p, TalEnd.Killed, [$"kml: {tal.Program.Name}: triple fault at eip 0x{cpu.Eip:x8}, esp 0x{cpu.Esp:x8} ({cpu.StopMessage})"], Sig.KILL);
            return true;
        }
        if (stop == StopReason.CycleLimit && tal.CycleDeadline != 0 && cpu.Cycles >= tal.CycleDeadline)
        {
            ReadUserStateFromCpu(p);
            TalLimitReached(p);
            return true;
        }
        return false;
    }

    /// <summary>Esp values that mean "ran into the guard": from a page below the guard to a page above the stack's lowest page.</summary>
    private static uint TalLayoutGuardWindow(TalProcess tal) => tal.Plan.StackLowest + 2 * 4096 - (tal.Plan.GuardLow - 4096);
}
