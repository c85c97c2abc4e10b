namespace Kml.Machine;

/// <summary>
/// The emulated-time table: what each instruction class and each privilege transition costs, in cycles of
/// an emulated clock. Every decoded instruction gets its cost from this table once, when its block is built,
/// so accounting at run time is one addition per block. See docs/cycle-model.md for sources and limits.
/// </summary>
public sealed record CycleModel
{
    /// <summary>Name shown in reports.</summary>
    public required string Name { get; init; }
    /// <summary>Emulated clock frequency in Hz (converts cycles to emulated seconds).</summary>
    public required long ClockHz { get; init; }

    // ---- instruction classes ----
    /// <summary>Register-only ALU, mov, lea, setcc, cmovcc, flag ops, nop.</summary>
    public int Alu { get; init; } = 1;
    /// <summary>An instruction that loads one operand from memory (incl. pop, ALU with a memory source).</summary>
    public int Load { get; init; } = 2;
    /// <summary>An instruction that stores to memory (incl. push).</summary>
    public int Store { get; init; } = 2;
    /// <summary>Read-modify-write of a memory operand.</summary>
    public int LoadOpStore { get; init; } = 3;
    /// <summary>Shift, rotate, bit scan and bit test.</summary>
    public int Shift { get; init; } = 1;
    /// <summary>Integer multiply.</summary>
    public int Multiply { get; init; } = 4;
    /// <summary>Integer divide.</summary>
    public int Divide { get; init; } = 40;
    /// <summary>Conditional branch that falls through.</summary>
    public int BranchNotTaken { get; init; } = 1;
    /// <summary>Taken conditional branch or unconditional jump.</summary>
    public int BranchTaken { get; init; } = 2;
    /// <summary>Near call or return.</summary>
    public int CallReturn { get; init; } = 3;
    /// <summary>Fixed start-up of a string instruction.</summary>
    public int StringStart { get; init; } = 3;
    /// <summary>Each iteration of a (rep) string instruction.</summary>
    public int StringIteration { get; init; } = 1;
    /// <summary>x87 load/store/arithmetic/compare.</summary>
    public int X87 { get; init; } = 4;
    /// <summary>x87 divide and square root.</summary>
    public int X87Divide { get; init; } = 38;
    /// <summary>Atomic (locked) read-modify-write, xchg with memory, cmpxchg8b.</summary>
    public int Locked { get; init; } = 20;
    /// <summary><c>cpuid</c>.</summary>
    public int Cpuid { get; init; } = 100;
    /// <summary><c>rdtsc</c>.</summary>
    public int Rdtsc { get; init; } = 80;
    /// <summary>Segment register load (descriptor fetch and checks).</summary>
    public int SegmentLoad { get; init; } = 10;
    /// <summary>Other system instructions (lgdt, lidt, ltr, mov crN except CR3, wrmsr, rdmsr, cli, sti, pushf/popf).</summary>
    public int System { get; init; } = 20;

    // ---- transitions ----
    /// <summary><c>int n</c>, exception or interrupt delivered without a privilege change.</summary>
    public int InterruptSamePrivilege { get; init; } = 200;
    /// <summary><c>int n</c>, exception or interrupt delivered from ring 3 to ring 0 (stack switch through the TSS).</summary>
    public int InterruptPrivilegeChange { get; init; } = 1000;
    /// <summary><c>iret</c> to the same privilege level.</summary>
    public int IretSamePrivilege { get; init; } = 150;
    /// <summary><c>iret</c> to an outer privilege level (pops SS:ESP, reloads segments).</summary>
    public int IretOuterPrivilege { get; init; } = 650;
    /// <summary><c>sysenter</c>.</summary>
    public int Sysenter { get; init; } = 250;
    /// <summary><c>sysexit</c>.</summary>
    public int Sysexit { get; init; } = 280;
    /// <summary>Hardware task switch (through a task gate, or iret with NT).</summary>
    public int TaskSwitch { get; init; } = 1800;
    /// <summary>A write to CR3 (the TLB flush; refills are charged per miss).</summary>
    public int MovCr3 { get; init; } = 60;
    /// <summary>Each software-TLB miss that walks the page tables.</summary>
    public int PageWalk { get; init; } = 30;
    /// <summary><c>invlpg</c>.</summary>
    public int Invlpg { get; init; } = 100;
    /// <summary><c>vmcall</c> (the host call; the kernel adds the cost of the work it does).</summary>
    public int Vmcall { get; init; } = 20;

    /// <summary>A 3.0 GHz Pentium 4 (NetBurst), the machine of the KML papers. The default.</summary>
    public static CycleModel Pentium4 { get; } = new()
    {
        Name = "Pentium4",
        ClockHz = 3_000_000_000,
        Alu = 1, Load = 2, Store = 2, LoadOpStore = 4, Shift = 1, Multiply = 10, Divide = 56,
        BranchNotTaken = 1, BranchTaken = 2, CallReturn = 4, StringStart = 5, StringIteration = 1,
        X87 = 5, X87Divide = 43, Locked = 100, Cpuid = 1500, Rdtsc = 80, SegmentLoad = 12, System = 30,
        InterruptSamePrivilege = 400, InterruptPrivilegeChange = 1050,
        IretSamePrivilege = 250, IretOuterPrivilege = 660,
        Sysenter = 275, Sysexit = 275, TaskSwitch = 2000,
        MovCr3 = 100, PageWalk = 40, Invlpg = 200, Vmcall = 20,
    };

    /// <summary>
    /// A recent out-of-order core at 3.0 GHz. Kernel page-table isolation is not in the transition costs: it is the
    /// CR3 writes and TLB refills of protection level 1, priced by <see cref="MovCr3"/> and <see cref="PageWalk"/>
    /// (no PCID: every CR3 write flushes).
    /// </summary>
    public static CycleModel Modern { get; } = new()
    {
        Name = "Modern",
        ClockHz = 3_000_000_000,
        Alu = 1, Load = 1, Store = 1, LoadOpStore = 2, Shift = 1, Multiply = 3, Divide = 26,
        BranchNotTaken = 1, BranchTaken = 1, CallReturn = 2, StringStart = 10, StringIteration = 1,
        X87 = 3, X87Divide = 15, Locked = 18, Cpuid = 120, Rdtsc = 25, SegmentLoad = 6, System = 20,
        InterruptSamePrivilege = 250, InterruptPrivilegeChange = 330,
        IretSamePrivilege = 180, IretOuterPrivilege = 260,
        Sysenter = 85, Sysexit = 85, TaskSwitch = 500,
        MovCr3 = 200, PageWalk = 25, Invlpg = 120, Vmcall = 20,
    };
}
