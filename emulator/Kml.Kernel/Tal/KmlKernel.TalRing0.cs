using Kml.Kernel.Abi;
using Kml.Kernel.Tal;
using Kml.Machine;

namespace Kml.Kernel;

// A TAL program in ring 0 (protection levels 3 and 4) is a ring-0 process like any other (Platform/KmlKernel.Ring0.cs):
// its import calls are KML's direct calls (the slot stubs jump to the direct-call entry), its interrupts and exceptions
// push their frames on its own stack, and a frame the stack cannot take becomes a double fault, handled by the
// double-fault task (stack growth, or the end of the process). What is TAL-specific is how it ends.
public sealed partial class KmlKernel
{
    /// <summary>The faulting state the double-fault task saw for a TAL process it could not save (EIP, ESP, CR2).</summary>
    private (uint Eip, uint Esp, uint Cr2)? _talDoubleFault;

    /// <summary>
    /// A double fault the kernel could not resolve in a TAL process: the stack ran into the guard ("Stack overflow.",
    /// as CoreCLR says it) or something else (a kernel or checker bug: the process is killed with a message).
    /// </summary>
    private bool TalDoubleFaultKill(Processes.Process p)
    {
        var tal = p.Tal!;
        var (eip, esp, cr2) = _talDoubleFault ?? (0u, 0u, 0u);
        _talDoubleFault = null;
        _segmentsStale = true;
        p.Registers.Eip = eip;
        p.Registers.Esp = esp;
        if (cr2 >= tal.Plan.GuardLow - 4096 && cr2 < tal.Plan.StackLowest)
        {
            TalStackOverflow(p);
            return true;
        }
        TalEndProcess(p, TalEnd.Killed, [$"kml: {tal.Program.Name}: double fault at eip 0x{eip:x8}, esp 0x{esp:x8}, fault address 0x{cr2:x8}: the program left its memory"], Sig.SEGV);
        return true;
    }

    /// <summary>
    /// A stop of <c>Cpu.Run</c> that concerns a TAL process: the safety monitor's request (the first violation ends
    /// the process), or a triple fault (the machine could not deliver even the double fault).
    /// </summary>
    private bool TryHandleTalStop(Processes.Process p, StopReason stop, out bool running)
    {
        running = false;
        var tal = p.Tal!;
        var cpu = Cpu;
        if (stop == StopReason.Requested && tal.Monitor is { Violations.Count: > 0 } monitor)
        {
            ReadUserStateFromCpu(p);
            TalEndProcess(p, TalEnd.Violation, [$"kml: {tal.Program.Name}: safety monitor: {monitor.Violations[0]}"], Sig.KILL);
            RestoreMachineState();
            return true;
        }
        if (stop == StopReason.TripleFault)
        {
            p.Registers.Eip = cpu.Eip;
            p.Registers.Esp = cpu.Esp;
            TalEndProcess(p, TalEnd.Killed, [$"kml: {tal.Program.Name}: triple fault at eip 0x{cpu.Eip:x8}, esp 0x{cpu.Esp:x8} ({cpu.StopMessage})"], Sig.KILL);
            RestoreMachineState();
            return true;
        }
        return false;
    }
}
