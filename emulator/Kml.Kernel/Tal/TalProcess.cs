namespace Kml.Kernel.Tal;

/// <summary>
/// The TAL side of a process that runs a TAL program: the checked program, where it runs, its memory plan and heap,
/// what each import slot points to, and the safety monitor. A process with one of these speaks only the typed kernel
/// interface: its kernel entries are import calls, never Linux system calls.
/// </summary>
internal sealed class TalProcess(TalProgram program, bool ring0, TalMemoryPlan plan, IReadOnlyList<byte[]> arguments)
{
    public TalProgram Program { get; } = program;

    /// <summary>The program's arguments after its name (what <c>argc</c> counts and <c>arg</c> copies), as bytes (UTF-8 from the host).</summary>
    public IReadOnlyList<byte[]> Arguments { get; } = arguments;

    /// <summary>Ring 0 (levels 3 and 4: import calls are direct calls) or ring 3 (level 2: trampolines enter by int 0x80/sysenter).</summary>
    public bool Ring0 { get; } = ring0;

    public TalMemoryPlan Plan { get; } = plan;

    public TalHeap Heap { get; } = new(plan.HeapStart, plan.HeapEnd);

    /// <summary>The address the loader wrote into each import slot (a kernel stub in ring 0, a trampoline in ring 3).</summary>
    public uint[] SlotEntries { get; set; } = [];

    /// <summary>Ring 3 with sysenter: where sysexit returns (the trampolines' <c>pop ebp; ret</c>), else 0.</summary>
    public uint SysexitLanding { get; set; }

    /// <summary>The safety monitor, when enabled.</summary>
    public TalMonitor? Monitor { get; set; }

    /// <summary>The slot of the import call being served.</summary>
    public int CurrentSlot { get; set; }

    /// <summary>Emulated cycle at which the program is stopped (0: none).</summary>
    public ulong CycleDeadline { get; set; }

    /// <summary>Host timestamp (Stopwatch ticks) at which the program is stopped (0: none).</summary>
    public long HostDeadline { get; set; }

    /// <summary>How the program ended.</summary>
    public TalEnd End { get; set; }

    /// <summary>Calls per entry name (for --stats).</summary>
    public Dictionary<string, long> Calls { get; } = new(StringComparer.Ordinal);
}
