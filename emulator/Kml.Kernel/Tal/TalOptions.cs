namespace Kml.Kernel.Tal;

/// <summary>How the kernel runs TAL programs (<c>kml run PROG.elf</c>); plain executables ignore these.</summary>
public sealed class TalOptions
{
    /// <summary>
    /// Attach the run-time safety monitor (<c>kml run --monitor</c>): every memory access of the program must stay in
    /// its own objects and cells, every control transfer must land on a verified instruction start or a kernel entry.
    /// A violation stops the program. Off by default (the CPU then runs at full speed).
    /// </summary>
    public bool Monitor { get; init; }

    /// <summary>The stack's limit in bytes (the guard sits below top − limit).</summary>
    public uint StackLimit { get; init; } = 8u << 20;

    /// <summary>Ends the program after this many emulated cycles (0: no limit).</summary>
    public ulong CycleLimit { get; init; }

    /// <summary>Ends the program after this much host time (null: no limit); checked at every timer tick and kernel entry.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>
    /// Whether the socket entries reach host sockets. The fuzzer turns this off so random mutants cannot open
    /// connections (the entries then return -EACCES).
    /// </summary>
    public bool AllowSockets { get; init; } = true;

    /// <summary>Receives every safety-monitor violation (besides the message on the guest's stderr).</summary>
    public Action<TalViolation>? OnViolation { get; init; }
}

/// <summary>A safety-monitor finding: what happened, where the program was, and the guest address involved.</summary>
/// <param name="Kind">"memory" or "control".</param>
/// <param name="Eip">The instruction (or the transfer's source).</param>
/// <param name="Address">The data address or the transfer's target.</param>
/// <param name="Detail">One line: what was expected against what happened.</param>
public sealed record TalViolation(string Kind, uint Eip, uint Address, string Detail)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind} violation at eip 0x{Eip:x8}: {Detail}";
}

/// <summary>How a TAL program ended (for tests and the fuzzer).</summary>
public enum TalEnd
{
    /// <summary>Still running, or never started.</summary>
    None,
    /// <summary>Called exit.</summary>
    Exit,
    /// <summary>Called panic.</summary>
    Panic,
    /// <summary>Trapped on the null page (NullReferenceException).</summary>
    NullTrap,
    /// <summary>Divided by zero or overflowed a division (#DE).</summary>
    DivideTrap,
    /// <summary>Ran into the stack guard (stack overflow).</summary>
    StackOverflow,
    /// <summary>Ran out of heap or physical memory.</summary>
    OutOfMemory,
    /// <summary>Stopped at the cycle or time limit.</summary>
    Limit,
    /// <summary>Stopped by the safety monitor.</summary>
    Violation,
    /// <summary>Any other fault or signal (a program the checker rejected, running in ring 3).</summary>
    Killed,
}
