using System.Runtime.CompilerServices;
using Kml.Machine.Decoding;
using Kml.Machine.Memory;
using Kml.Machine.Protection;

namespace Kml.Machine;

/// <summary>
/// The emulated IA-32 CPU (protected mode, paging, rings 0–3). The kernel programs it through guest memory
/// (GDT, IDT, TSS, page tables) and the registers exposed here, then calls <see cref="Run"/>.
/// See docs/machine.md.
/// </summary>
public sealed unsafe partial class Cpu
{
    // ---- EFLAGS bits ----
    internal const uint CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400, OF = 0x800;
    internal const uint IOPL = 0x3000, NT = 0x4000, RF = 0x10000, VM = 0x20000, AC = 0x40000, ID = 0x200000;
    internal const uint ArithMask = CF | PF | AF | ZF | SF | OF;
    /// <summary>EFLAGS bits software can change (VM, VIF, VIP excluded: no virtual-8086 mode).</summary>
    internal const uint WritableFlags = ArithMask | TF | IF | DF | IOPL | NT | RF | AC | ID;

    // ---- control registers ----
    internal const uint Cr0Pe = 1, Cr0Ts = 8, Cr0Wp = 1u << 16, Cr0Pg = 1u << 31;
    internal const uint Cr4Tsd = 4, Cr4Pse = 0x10;

    /// <summary>General registers in encoding order (EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI) plus a constant-zero slot 8
    /// used as "no base/index register" so effective-address computation needs no branch.</summary>
    internal RegisterFile R;
    internal SegmentFile Seg;
    internal SegmentBases SegBase;
    internal SegmentEnds SegEndRead;
    internal SegmentEnds SegEndWrite;

    internal uint EipField;
    internal int CplField;

    internal uint Cr0Field = Cr0Pe, Cr3Field, Cr4Field;
    internal uint Cr2Field;

    internal readonly CycleModel Model;
    internal readonly PhysicalMemory Mem;
    internal readonly BlockCache Blocks;
    /// <summary>Where <see cref="BlockBuilder"/> decodes a block's instructions before copying them into the block.</summary>
    internal readonly Iced.Intel.Instruction[] DecodeScratch = new Iced.Intel.Instruction[BlockBuilder.MaxInstructions];
    internal readonly Tlb TlbSet;
    internal IMachineObserver? ObserverField;

    /// <summary>CPUID leaf 1 EDX, the feature bits this CPU reports (and a kernel passes on as AT_HWCAP): FPU, PSE, TSC, MSR,
    /// CX8, SEP, CMOV. No MMX/SSE/SSE2, so libraries pick generic code; ECX (SSE3, POPCNT…) and the extended leaves report
    /// nothing either, so there is no BMI1/ABM: F3 0F BC/BD execute as bsf/bsr.</summary>
    public const uint FeaturesEdx = (1u << 0) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 8) | (1u << 11) | (1u << 15);

    /// <summary>Creates a CPU attached to <paramref name="memory"/>, in protected mode with paging off and flat
    /// ring-0 segments loaded in the descriptor caches (no GDT is needed until the kernel loads selectors).</summary>
    public Cpu(PhysicalMemory memory, CycleModel? cycleModel = null)
    {
        Mem = memory ?? throw new ArgumentNullException(nameof(memory));
        Model = cycleModel ?? CycleModel.Pentium4;
        Decoding.DecoderWarmup.Start(Model);
        Statistics = new CpuStatistics(this);
        TlbSet = new Tlb(this);
        Blocks = new BlockCache(this);
        memory.CodePageWritten = Blocks.OnCodePageWritten;
        Fpu = new X87State();
        Reset();
    }

    /// <summary>The CPU's physical memory.</summary>
    public PhysicalMemory Memory => Mem;
    /// <summary>The cycle model that prices instructions and transitions.</summary>
    public CycleModel CycleModel => Model;
    /// <summary>Counters since construction or <see cref="ResetStatistics"/>.</summary>
    public CpuStatistics Statistics { get; }

    /// <summary>Resets registers to a flat ring-0 protected-mode state (paging off, all caches empty, timer off).</summary>
    public void Reset()
    {
        for (int i = 0; i < 9; i++) R[i] = 0;
        EipField = 0;
        FlagOp = FlagKind.Materialized; FlagRes = 0; FlagA = FlagB = FlagAux = 0; EflagsRest = 2;
        Cr0Field = Cr0Pe; Cr2Field = Cr3Field = Cr4Field = 0;
        for (int s = 0; s < 6; s++) SetSegmentCache(s, new SegmentState(0, 0, 0xFFFF_FFFF, s == SegCs ? 0xC9Bu : 0xC93u));
        CplField = 0;
        UpdateTlbPointers();
        Gdtr = Idtr = default;
        Ldt = default; Tr = default;
        SysenterCs = SysenterEsp = SysenterEip = 0;
        Fpu.Init();
        TimerPeriod = 0;
        Array.Clear(_pendingInterrupts);
        _pendingCount = 0;
        InterruptShadow = false;
        TlbSet.FlushAll();
        Blocks.Clear();
        NewChainEpoch();
    }

    /// <summary>Resets <see cref="Statistics"/>.</summary>
    public void ResetStatistics() => Statistics.Reset();

    // ---- general registers ----
    /// <summary>EAX.</summary>
    public uint Eax { get => R[0]; set => R[0] = value; }
    /// <summary>ECX.</summary>
    public uint Ecx { get => R[1]; set => R[1] = value; }
    /// <summary>EDX.</summary>
    public uint Edx { get => R[2]; set => R[2] = value; }
    /// <summary>EBX.</summary>
    public uint Ebx { get => R[3]; set => R[3] = value; }
    /// <summary>ESP.</summary>
    public uint Esp { get => R[4]; set => R[4] = value; }
    /// <summary>EBP.</summary>
    public uint Ebp { get => R[5]; set => R[5] = value; }
    /// <summary>ESI.</summary>
    public uint Esi { get => R[6]; set => R[6] = value; }
    /// <summary>EDI.</summary>
    public uint Edi { get => R[7]; set => R[7] = value; }
    /// <summary>EIP (an offset in CS).</summary>
    public uint Eip { get => EipField; set => EipField = value; }

    /// <summary>A general register by encoding number (0 = EAX … 7 = EDI).</summary>
    public uint GetRegister(int index) => (uint)index < 8 ? R[index] : throw new ArgumentOutOfRangeException(nameof(index));
    /// <summary>Sets a general register by encoding number (0 = EAX … 7 = EDI).</summary>
    public void SetRegister(int index, uint value)
    {
        if ((uint)index >= 8) throw new ArgumentOutOfRangeException(nameof(index));
        R[index] = value;
    }

    /// <summary>EFLAGS, materialized from the lazy flag state. Setting it writes every flag (no privilege checks: the kernel's view).</summary>
    public uint EFlags
    {
        get => GetEflags();
        set { SetEflagsRaw(value); RequestEventCheck(); }
    }

    /// <summary>Current privilege level (CS.RPL as loaded).</summary>
    public int Cpl => CplField;

    // ---- control registers ----
    /// <summary>CR0 (PE must stay set: real mode is not emulated). Writing PG, WP or PE flushes the TLB.</summary>
    public uint Cr0 { get => Cr0Field; set => WriteCr0(value); }
    /// <summary>CR2, the linear address of the last page fault.</summary>
    public uint Cr2 { get => Cr2Field; set => Cr2Field = value; }
    /// <summary>CR3, the page-directory base. Writing it flushes the TLB (and costs <see cref="CycleModel.MovCr3"/>).</summary>
    public uint Cr3 { get => Cr3Field; set => WriteCr3(value); }
    /// <summary>CR4 (TSD and PSE are honoured).</summary>
    public uint Cr4 { get => Cr4Field; set => WriteCr4(value); }

    /// <summary>GDTR.</summary>
    public DescriptorTableRegister Gdtr { get; set; }
    /// <summary>IDTR.</summary>
    public DescriptorTableRegister Idtr { get; set; }
    /// <summary>LDTR with its descriptor cache.</summary>
    public SegmentState Ldt { get; internal set; }
    /// <summary>TR (task register) with its descriptor cache.</summary>
    public SegmentState Tr { get; internal set; }

    /// <summary>IA32_SYSENTER_CS (MSR 0x174).</summary>
    public uint SysenterCs { get; set; }
    /// <summary>IA32_SYSENTER_ESP (MSR 0x175).</summary>
    public uint SysenterEsp { get; set; }
    /// <summary>IA32_SYSENTER_EIP (MSR 0x176).</summary>
    public uint SysenterEip { get; set; }

    /// <summary>The time-stamp counter: emulated cycles since reset (what <c>rdtsc</c> reads).</summary>
    public ulong Cycles { get => CyclesField; set { CyclesField = value; RecomputeNextEvent(); } }
    internal ulong CyclesField;
    /// <summary>Instructions retired (read through <see cref="CpuStatistics.InstructionsRetired"/>).</summary>
    internal long RetiredField;

    /// <summary>Emulated seconds elapsed, from <see cref="Cycles"/> and the model's clock.</summary>
    public double EmulatedSeconds => CyclesField / (double)Model.ClockHz;

    /// <summary>An observer that sees every memory access and control transfer (null: none, no cost).</summary>
    public IMachineObserver? Observer
    {
        get => ObserverField;
        set { ObserverField = value; TlbSet.FlushAll(); NewChainEpoch(); RecomputeNextEvent(); }
    }

    /// <summary>Invalidates the TLB entry of one linear page (what <c>invlpg</c> does), for the kernel after it edits a PTE.</summary>
    public void InvalidatePage(uint linear)
    {
        TlbSet.FlushPage(linear);
        Statistics.TlbPageInvalidations++;
        NewChainEpoch();
    }

    /// <summary>Flushes the whole TLB without touching CR3.</summary>
    public void FlushTlb()
    {
        TlbSet.FlushAll();
        Statistics.TlbFlushes++;
        NewChainEpoch();
    }

    /// <summary>Why the last <see cref="Run"/> stopped, in words (the unimplemented instruction, the bus error...).</summary>
    public string? StopMessage { get; private set; }

    /// <summary>Block chaining follows only links made under the current value. The low two bits are the CPL, so links
    /// made at one privilege level are not followed at another, but become valid again when the CPU returns to that level
    /// (a system call does not cost the program its links); the upper bits change whenever the linear-to-physical mapping
    /// or the code segment may have changed (CR0/CR3/CR4 writes, invlpg, task switches, restored states, observers).</summary>
    internal uint ChainEpoch;

    /// <summary>Starts a new chain epoch (keeping the CPL in the low bits): every existing link becomes stale.</summary>
    internal void NewChainEpoch() => ChainEpoch = ((ChainEpoch + 4) & ~3u) | (uint)CplField;

    /// <summary>
    /// The block last entered at each EIP (direct-mapped, see <see cref="JumpCacheIndex"/>), with the chain epoch it was entered in.
    /// A translated <c>ret</c> or indirect jump whose own one-entry link misses (a function returns to many call sites)
    /// finds its successor here instead of going back to the dispatch loop; valid under the same rules as links.
    /// </summary>
    internal readonly ChainedBlock[] JumpCache = new ChainedBlock[JumpCacheSize];
    internal const int JumpCacheSize = 1 << 13;

    /// <summary>The jump-cache slot of <paramref name="eip"/>: its low bits folded with the page number, so return sites at
    /// the same offset in different pages (common: a helper called from all over a program) do not evict each other.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int JumpCacheIndex(uint eip) => (int)((eip ^ (eip >> 11)) & (JumpCacheSize - 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref uint Reg(int i) => ref Unsafe.Add(ref Unsafe.As<RegisterFile, uint>(ref R), i);

    // Element i of the segment arrays. Not Seg[i]: indexing an inline array with a variable goes through
    // MemoryMarshal.CreateSpan<T> over our types, which ReadyToRun cannot precompile, so it ran as slow Tier0 code on every
    // segment load (each system call loads CS and SS twice).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref SegmentState SegAt(int i) => ref Unsafe.Add(ref Unsafe.As<SegmentFile, SegmentState>(ref Seg), i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref uint SegBaseAt(int i) => ref Unsafe.Add(ref Unsafe.As<SegmentBases, uint>(ref SegBase), i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref ulong SegEndReadAt(int i) => ref Unsafe.Add(ref Unsafe.As<SegmentEnds, ulong>(ref SegEndRead), i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref ulong SegEndWriteAt(int i) => ref Unsafe.Add(ref Unsafe.As<SegmentEnds, ulong>(ref SegEndWrite), i);
}

/// <summary>Base and limit of the GDT or IDT.</summary>
/// <param name="Base">Linear base address.</param>
/// <param name="Limit">Limit in bytes (size − 1).</param>
public readonly record struct DescriptorTableRegister(uint Base, ushort Limit);

[InlineArray(9)]
internal struct RegisterFile { private uint _e; }

[InlineArray(6)]
internal struct SegmentFile { private SegmentState _e; }

[InlineArray(6)]
internal struct SegmentBases { private uint _e; }

[InlineArray(6)]
internal struct SegmentEnds { private ulong _e; }
