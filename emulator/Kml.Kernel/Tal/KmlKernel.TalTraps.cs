using Iced.Intel;
using Kml.Kernel.Abi;
using Kml.Kernel.Memory;
using Kml.Kernel.Processes;
using Kml.Kernel.Tal;
using Kml.Tal;
using Kml.Tal.Lines;

namespace Kml.Kernel;

// How a TAL process ends when something goes wrong (docs/tal.md, "What the kernel must guarantee", 7): a panic, a
// trap types cannot prevent (the null page, division, the stack guard), running out of memory, a limit, or the
// safety monitor. Each ends that one process with a CoreCLR-like message, and the kernel goes on.
public sealed partial class KmlKernel
{
    /// <summary>SIGABRT: how CoreCLR ends after an unhandled exception (a shell reports 134).</summary>
    private const int TalAbortSignal = Sig.ABRT;

    /// <summary>panic(kind, location): CoreCLR's line for the kind, the C# file and line, exit as CoreCLR does (SIGABRT, 134).</summary>
    private void TalPanic(Process p, int kind, int location)
    {
        var program = p.Tal!.Program;
        TalEndProcess(p, TalEnd.Panic, [RuntimeError.Message(kind), program.DescribeLocation(location)], TalAbortSignal);
    }

    private void TalOutOfMemory(Process p, string detail) =>
        TalEndProcess(p, TalEnd.OutOfMemory, [RuntimeError.Message(RuntimeError.OutOfMemory), $"   at {p.Tal!.Program.Name}: {detail}"], TalAbortSignal);

    /// <summary>Ends a TAL process: its lines on the kernel's stderr, the reason recorded, the process killed by <paramref name="signal"/>.</summary>
    private void TalEndProcess(Process p, TalEnd end, IEnumerable<string> lines, int signal)
    {
        Console.Out.Flush();
        foreach (var line in lines) Stderr.WriteMessage(line + "\n");
        p.Tal!.End = end;
        Statistics.CountTransition($"TAL program ended: {end}");
        ExitProcess(p, signal);
    }

    /// <summary>An exception in a TAL process (either ring). True if the process goes on running.</summary>
    private bool HandleTalException(Process p, int vector, uint errorCode, uint cr2)
    {
        var tal = p.Tal!;
        LastTrap = (vector, errorCode, cr2);
        ref var r = ref p.Registers;
        string where = $"{tal.Program.Name}: eip 0x{r.Eip:x8}";
        string at = tal.Program.DescribeCode(r.Eip);
        switch (vector)
        {
            case 14:
                if (cr2 < TalLayout.NullGuard)
                {
                    TalEndProcess(p, TalEnd.NullTrap, [RuntimeError.Message(RuntimeError.NullReference), at], TalAbortSignal);
                    return false;
                }
                if (cr2 >= tal.Plan.GuardLow && cr2 < tal.Plan.StackLowest)
                {
                    TalStackOverflow(p);
                    return false;
                }
                var result = p.Memory.HandleFault(cr2, (errorCode & 2) != 0);
                if (result == FaultResult.Handled)
                {
                    Statistics.PageFaults++;
                    Clock.Charge(Costs.PageFault);
                    return !p.HasDeliverableSignal || DeliverSignals(p, 0, false);
                }
                if (result == FaultResult.OutOfMemory)
                {
                    TalOutOfMemory(p, $"a page fault at 0x{cr2:x8}: no physical memory is left (try a larger --memory)");
                    return false;
                }
                TalEndProcess(p, TalEnd.Killed,
                    [$"kml: {where}: page fault at 0x{cr2:x8} ({(result == FaultResult.AccessDenied ? "access denied" : "not mapped")}, error 0x{errorCode:x}): the program left its memory"],
                    Sig.SEGV);
                return false;
            case 0:
                TalEndProcess(p, TalEnd.DivideTrap, [RuntimeError.Message(IsDivisionOverflow(p) ? RuntimeError.Overflow : RuntimeError.DivideByZero), at], TalAbortSignal);
                return false;
            default:
                int signal = vector switch { 6 => Sig.ILL, 1 or 3 => Sig.TRAP, 16 => Sig.FPE, 11 or 12 or 17 => Sig.BUS, _ => Sig.SEGV };
                TalEndProcess(p, TalEnd.Killed, [$"kml: {where}: exception {vector} (error 0x{errorCode:x}): the program did something its types forbid"], signal);
                return false;
        }
    }

    /// <summary>The stack ran into the guard: CoreCLR's "Stack overflow." and SIGABRT.</summary>
    private void TalStackOverflow(Process p) =>
        TalEndProcess(p, TalEnd.StackOverflow, [RuntimeError.Message(RuntimeError.StackOverflow), p.Tal!.Program.DescribeCode(p.Registers.Eip)], TalAbortSignal);

    /// <summary>#DE from idiv of INT_MIN by −1 is C#'s OverflowException; any other #DE is a division by zero.</summary>
    private static bool IsDivisionOverflow(Process p)
    {
        var r = p.Registers;
        var bytes = new byte[15];
        int got = 0;
        while (got < bytes.Length && p.Memory.CopyFromUser(r.Eip + (uint)got, bytes.AsSpan(got, 1))) got++;
        if (got == 0) return false;
        var decoder = Decoder.Create(32, new ByteArrayCodeReader(bytes, 0, got), r.Eip);
        decoder.Decode(out var ins);
        if (ins.IsInvalid || ins.Mnemonic != Mnemonic.Idiv) return false;
        uint Reg(Register reg) => reg switch
        {
            Register.EAX => r.Eax, Register.ECX => r.Ecx, Register.EDX => r.Edx, Register.EBX => r.Ebx,
            Register.ESP => r.Esp, Register.EBP => r.Ebp, Register.ESI => r.Esi, Register.EDI => r.Edi, _ => 0,
        };
        uint divisor;
        if (ins.Op0Kind == OpKind.Register && ins.Op0Register.GetSize() == 4) divisor = Reg(ins.Op0Register);
        else if (ins.Op0Kind == OpKind.Memory && ins.MemorySize == MemorySize.Int32)
        {
            uint address = Reg(ins.MemoryBase) + Reg(ins.MemoryIndex) * (uint)ins.MemoryIndexScale + ins.MemoryDisplacement32;
            if (!p.Memory.TryReadUInt32(address, out divisor)) return false;
        }
        else return false;
        // A divisor of −1 faults only when the quotient overflows (INT_MIN / −1).
        return divisor == uint.MaxValue;
    }

    /// <summary>Checks the cycle and host-time limits; ends the process (and returns true) when one is reached.</summary>
    private bool TalLimitReached(Process p)
    {
        var tal = p.Tal;
        if (tal == null || p.State is ProcessState.Zombie or ProcessState.Dead) return false;
        string? why = null;
        if (tal.CycleDeadline != 0 && Cpu.Cycles >= tal.CycleDeadline) why = $"the cycle limit ({Options.Tal.CycleLimit:N0} emulated cycles)";
        else if (tal.HostDeadline != 0 && System.Diagnostics.Stopwatch.GetTimestamp() >= tal.HostDeadline) why = $"the time limit ({Options.Tal.TimeLimit?.TotalSeconds:0.###} s of host time)";
        if (why == null) return false;
        TalEndProcess(p, TalEnd.Limit, [$"kml: {tal.Program.Name}: stopped at {why}"], Sig.KILL);
        return true;
    }
}
