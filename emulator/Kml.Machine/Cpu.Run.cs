using Kml.Machine.Decoding;
using Kml.Machine.Memory;

namespace Kml.Machine;

// The execution loop: block lookup and chaining, events (cycle limit, timer, interrupts), fault dispatch.
public sealed unsafe partial class Cpu
{
    internal Op* CurrentOp;
    /// <summary>Where native code resumes after the dispatch loop ran an op's handler for it (<see cref="Translation.Native.NativeExit.Handler"/>).</summary>
    internal nint NativeResume;
    /// <summary>The native block an exit of native code came from (an index into <see cref="Translation.Native.NativeState"/>; −1: none).</summary>
    internal int NativeExitBlock;
    private Translation.Native.NativeState? _native;

    /// <summary>This CPU's native-translation state, created with its first native translation.</summary>
    internal Translation.Native.NativeState NativeStateOrCreate() => _native ??= new Translation.Native.NativeState(this);
    /// <summary>The translated block whose exit returned to the dispatch loop (set by <see cref="Translation.TranslatedExits"/>):
    /// after a chain of linked blocks it is the chain's last, the one to link to the next block, not the first.</summary>
    internal Block? ExitedBlock;
    private ulong _runLimit;
    /// <summary>Cycle count at which <see cref="HandleEvents"/> must run (0: at the next boundary). Read by translated code.</summary>
    internal ulong NextEvent;
    private StopReason _stopReason;
    private bool _stopRequested;
    private readonly bool[] _pendingInterrupts = new bool[256];
    private int _pendingCount;
    private bool _faultPending;
    private int _faultVector;
    private uint _faultCode;
    private bool _faultHasCode;

    /// <summary>Set after <c>sti</c> (with IF previously clear) and loads of SS: no interrupt before the next instruction completes.</summary>
    internal bool InterruptShadow;

    /// <summary>Timer period in emulated cycles (0: timer off).</summary>
    public ulong TimerPeriod { get; private set; }
    /// <summary>Vector the timer raises.</summary>
    public byte TimerVector { get; private set; }
    /// <summary>Cycle count at which the timer fires next (lets the kernel skip idle time after <see cref="StopReason.Halt"/>).</summary>
    public ulong NextTimerCycle { get; private set; }

    /// <summary>Starts a periodic timer raising external interrupt <paramref name="vector"/> every <paramref name="periodCycles"/> emulated cycles (0 turns it off).</summary>
    public void ConfigureTimer(ulong periodCycles, byte vector)
    {
        TimerPeriod = periodCycles;
        TimerVector = vector;
        NextTimerCycle = periodCycles == 0 ? ulong.MaxValue : CyclesField + periodCycles;
        RecomputeNextEvent();
    }

    /// <summary>Raises external interrupt <paramref name="vector"/>; it is delivered at an instruction boundary once IF = 1.</summary>
    public void RequestInterrupt(byte vector)
    {
        if (!_pendingInterrupts[vector]) { _pendingInterrupts[vector] = true; _pendingCount++; }
        NextEvent = 0;
    }

    /// <summary>True when an external interrupt is waiting for IF = 1.</summary>
    public bool HasPendingInterrupt => _pendingCount > 0;

    /// <summary>Makes <see cref="Run"/> return <see cref="StopReason.Requested"/> at the next instruction boundary (callable from an observer).</summary>
    public void RequestStop() { _stopRequested = true; NextEvent = 0; }

    internal void RequestEventCheck() => NextEvent = 0;

    private void RecomputeNextEvent()
    {
        ulong n = _runLimit;
        if (TimerPeriod != 0 && NextTimerCycle < n) n = NextTimerCycle;
        // An observer must see every control transfer: translated exits then always return to the dispatch loop.
        if (_stopRequested || InterruptShadow || ObserverField != null || (_pendingCount > 0 && (EflagsRest & IF) != 0)) n = 0;
        NextEvent = n;
    }

    /// <summary>
    /// Runs until a hypercall, <c>hlt</c>, a triple fault, an unimplemented instruction, a bus error, a stop request, or
    /// until <paramref name="cycleBudget"/> more emulated cycles have elapsed. Exceptions and interrupts are delivered
    /// through the IDT inside Run.
    /// </summary>
    public StopReason Run(ulong cycleBudget)
    {
        StopMessage = null;
        _runLimit = CyclesField + cycleBudget < CyclesField ? ulong.MaxValue : CyclesField + cycleBudget;
        _stopRequested = false;
        RecomputeNextEvent();
        if ((Cr0Field & Cr0Pe) == 0) return StopWith(StopReason.Unimplemented, "real mode (CR0.PE = 0) is not emulated");
        UpdateTlbPointers();
        while (true)
        {
            try
            {
                if (_faultPending)
                {
                    _faultPending = false;
                    DeliverException(_faultVector, _faultHasCode, _faultCode);
                }
                return Execute();
            }
            catch (GuestFault f)
            {
                Op* op = CurrentOp;
                if (op != null)
                {
                    CyclesField += op->CumCost - op->Cost;
                    RetiredField += op->Index;
                    EipField = op->Eip;
                    CurrentOp = null;
                }
                PendingExit = 0;
                _faultPending = true;
                _faultVector = f.Vector;
                _faultCode = f.ErrorCode;
                _faultHasCode = f.HasErrorCode;
            }
            catch (MachineStopException m)
            {
                Op* op = CurrentOp;
                if (op != null)
                {
                    CyclesField += op->CumCost - op->Cost;
                    RetiredField += op->Index;
                    EipField = op->Eip;
                    CurrentOp = null;
                }
                PendingExit = 0;
                return StopWith(m.Reason, m.Message);
            }
        }
    }

    internal StopReason StopWith(StopReason reason, string? message)
    {
        _stopReason = reason;
        StopMessage = message;
        return reason;
    }

    /// <summary>Sets the reason a handler's <see cref="Exit.Stop"/> reports.</summary>
    internal int Stop(StopReason reason, string? message = null, int exit = Exit.Stop)
    {
        _stopReason = reason;
        StopMessage = message;
        return exit;
    }

    private StopReason Execute()
    {
        Block? prev = null;
        while (true)
        {
            if (CyclesField >= NextEvent)
            {
                var s = HandleEvents();
                if (s >= 0) return (StopReason)s;
                prev = null;
            }
            Block b;
            uint eip = EipField;
            if (prev != null)
            {
                Block? n = prev.Next0;
                if (n != null && n.Linear == eip && prev.Epoch0 == ChainEpoch && n.Valid) b = n;
                else
                {
                    n = prev.Next1;
                    if (n != null && n.Linear == eip && prev.Epoch1 == ChainEpoch && n.Valid) b = n;
                    else
                    {
                        b = Lookup(eip);
                        prev.Next1 = prev.Next0; prev.Epoch1 = prev.Epoch0;
                        prev.Next0 = b; prev.Epoch0 = ChainEpoch;
                    }
                }
                // Let the previous translated block jump straight into this one next time (keyed by target EIP).
                if (prev.Links != null && b.Compiled != null) prev.Links.Link(eip, b, ChainEpoch);
                if (prev.Native != null && b.Native != null) prev.Native.Link(eip, b.Native.Entry, ChainEpoch);
            }
            else b = Lookup(eip);
            int jumpIndex = JumpCacheIndex(eip);
            ref var jump = ref JumpCache[jumpIndex];
            jump.Block = b;
            jump.Epoch = ChainEpoch;
            if (_native != null)
            {
                ref var nativeJump = ref _native.JumpCachePtr[jumpIndex];
                nativeJump.Eip = eip;
                nativeJump.Epoch = ChainEpoch;
                nativeJump.Code = b.Native != null ? b.Native.Entry : 0;
            }

            Op* op;
            int r;
            var compiled = b.Compiled;
            if (compiled == null && b.Native == null && BlockTranslation && ++b.Heat >= TranslationThreshold && !b.TranslationTried) compiled = Translate(b);
            // The block whose exit this is (after linked native blocks, the chain's last): the one to link from next.
            Block exited = b;
            if (b.Native != null)
            {
                r = RunNative(b.Native.Entry);
                op = CurrentOp;
                exited = _native!.BlockAt(NativeExitBlock) ?? b;
                if (r == Exit.JumpAccounted)
                {
                    CurrentOp = null;
                    if (ObserverField != null && op != null && op->Kind != 0) ReportTransfer(op);
                    prev = exited;
                    continue;
                }
            }
            else if (compiled != null)
            {
                ExitedBlock = null;
                r = compiled(this);
                op = CurrentOp;
            }
            else
            {
                op = b.First;
                while (true)
                {
                    CurrentOp = op;
                    r = op->H(this, op);
                    if (r != Exit.Next) break;
                    op++;
                }
            }
            CurrentOp = null;
            if (r == Exit.JumpAccounted)
            {
                // A translated block left through an inline exit and has already added its cycles and instructions.
                if (ObserverField != null && op->Kind != 0) ReportTransfer(op);
                prev = ExitedBlock ?? b;
                continue;
            }
            if (r == Exit.StopBefore)
            {
                CyclesField += op->CumCost - op->Cost;
                RetiredField += op->Index;
                return _stopReason;
            }
            CyclesField += op->CumCost;
            RetiredField += op->Index + 1;
            if (ObserverField != null && op->Kind != 0) ReportTransfer(op);
            if (r == Exit.Stop) return _stopReason;
            PendingExit = 0;
            prev = exited;
        }
    }

    private void ReportTransfer(Op* op)
    {
        var kind = (ControlTransferKind)(op->Kind - 1);
        if (kind == ControlTransferKind.Branch && EipField == op->Next) return;
        ObserverField!.OnControlTransfer(op->Eip, EipField, kind);
    }

    /// <summary>Handles the cycle limit, the timer, the interrupt shadow and pending interrupts. Returns a stop reason or −1.</summary>
    private int HandleEvents()
    {
        while (true)
        {
            if (_stopRequested) { _stopRequested = false; return (int)StopWith(StopReason.Requested, null); }
            if (CyclesField >= _runLimit) return (int)StopWith(StopReason.CycleLimit, null);
            if (TimerPeriod != 0 && CyclesField >= NextTimerCycle)
            {
                RequestInterrupt(TimerVector);
                NextTimerCycle += TimerPeriod;
                if (NextTimerCycle <= CyclesField) NextTimerCycle = CyclesField + TimerPeriod;
            }
            if (InterruptShadow)
            {
                InterruptShadow = false;
                int r = ExecuteOne();
                if (r >= 0) return r;
                continue;
            }
            if (_pendingCount > 0 && (EflagsRest & IF) != 0)
            {
                int v = 255;
                while (!_pendingInterrupts[v]) v--;
                _pendingInterrupts[v] = false;
                _pendingCount--;
                DeliverExternal(v);
            }
            RecomputeNextEvent();
            return -1;
        }
    }

    /// <summary>Executes exactly one instruction (after an interrupt shadow). Returns a stop reason or −1.</summary>
    private int ExecuteOne()
    {
        Block b = Lookup(EipField);
        Op* op = b.First;
        CurrentOp = op;
        int r = op->H(this, op);
        CurrentOp = null;
        if (r == Exit.StopBefore) return (int)_stopReason;
        CyclesField += op->Cost;
        RetiredField++;
        if (r == Exit.Next) EipField = op->Next;
        else if (ObserverField != null && op->Kind != 0) ReportTransfer(op);
        PendingExit = 0;
        return r == Exit.Stop ? (int)_stopReason : -1;
    }

    /// <summary>Translate hot blocks to IL (see <c>Translation/BlockCompiler</c>). On by default.</summary>
    public bool BlockTranslation { get; set; } = true;

    /// <summary>Interpreted executions of a block before it is translated (0: translate at first execution, at once).</summary>
    public int TranslationThreshold { get; set; } = 50;

    /// <summary>
    /// Translate on a background thread (default): a block that reaches <see cref="TranslationThreshold"/> is queued and
    /// goes on being interpreted until its translation has been compiled, so the JIT's cost is paid on another core.
    /// Off, the CPU translates and compiles the block itself before running it (deterministic: the same block is always
    /// translated at the same point). A threshold of 0 always translates at once. Guest-visible behaviour, including
    /// emulated cycles, is the same either way.
    /// </summary>
    public bool BackgroundTranslation { get; set; } = true;

    /// <summary>Waits until the background translator has published every block queued so far (tests, benchmarks).</summary>
    public void WaitForTranslations() => Translation.BackgroundTranslator.WaitUntilIdle();

    /// <summary>
    /// Runs native code from <paramref name="entry"/> with this CPU pinned (native code addresses its fields from the
    /// register file). A <see cref="Translation.Native.NativeExit.Handler"/> exit runs the op's interpreter handler here
    /// and, when it returns <see cref="Exit.Next"/>, re-enters the code after it; any other result is returned with
    /// <see cref="CurrentOp"/> set as the interpreter would leave it.
    /// </summary>
    private int RunNative(nint entry)
    {
        fixed (uint* state = &R[0])
        {
            int r = Translation.Native.NativeState.Enter(state, entry);
            while (r == Translation.Native.NativeExit.Handler)
            {
                Op* op = CurrentOp;
                Statistics.NativeHandlerRuns++;
                r = op->H(this, op);
                if (r != Exit.Next) return r;
                r = Translation.Native.NativeState.Enter(state, NativeResume);
            }
            return r;
        }
    }

    /// <summary>
    /// Translate hot blocks straight to x86-64 code (<c>Translation/Native</c>) instead of IL, where the process can
    /// (Linux on x64). The translation is made on the CPU thread when the block gets hot — it costs microseconds, where
    /// the .NET JIT costs about a millisecond per block — so it is deterministic. Off: the IL translator.
    /// </summary>
    public bool NativeTranslation { get; set; } = DefaultNativeTranslation;

    /// <summary>The default of <see cref="NativeTranslation"/>: on when supported, unless <c>KML_TRANSLATOR=il</c>.</summary>
    public static bool DefaultNativeTranslation { get; } =
        Translation.Native.NativeState.Supported && Environment.GetEnvironmentVariable("KML_TRANSLATOR") != "il";

    private Func<Cpu, int>? Translate(Block b)
    {
        b.TranslationTried = true;
        if (NativeTranslation && Translation.Native.NativeState.Supported)
        {
            try
            {
                if (Translation.Native.NativeBlockCompiler.Compile(b, this))
                {
                    Statistics.NoteBlockTranslated();
                    return null;
                }
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
            {
                // A form the encoder does not cover: a translator bug worth reporting (--stats), not a reason to stop.
                Statistics.NoteTranslationFailure(e);
                b.Native = null;
            }
            // Not translated natively (arena full, or a failure): the IL translator may still take the block.
        }
        if (BackgroundTranslation && TranslationThreshold > 0)
        {
            Statistics.BlocksQueuedForTranslation++;
            Translation.BackgroundTranslator.Enqueue(b, this);
            return null;
        }
        try { b.Compiled = Translation.BlockCompiler.Compile(b); }
        catch (Exception e) when (e is InvalidProgramException or NotSupportedException or ArgumentException)
        {
            Statistics.NoteTranslationFailure(e);
            b.Compiled = null; // fall back to interpretation for this block
        }
        if (b.Compiled != null) Statistics.NoteBlockTranslated();
        return b.Compiled;
    }

    /// <summary>Finds or builds the block starting at <paramref name="eip"/>.</summary>
    internal Block Lookup(uint eip)
    {
        var cs = Seg[SegCs];
        if (eip > cs.Limit) Gp(0);
        uint lin = eip + cs.Base;
        TlbEntry* e = TlbX + ((lin >> 12) & Tlb.Mask);
        uint phys = e->Tag == (lin & 0xFFFF_F000) ? (e->PhysPage << 12) | (lin & 0xFFF) : TranslateFillFetch(lin);
        var b = Blocks.Find(eip, phys);
        if (b != null && b.Phys2 != Block.NoPage)
        {
            uint next = (lin & 0xFFFF_F000) + 0x1000;
            if (!Walk(next, false, CplField == 3, false, out uint p2, out _) || (p2 & 0xFFFF_F000) != (b.Phys2 & 0xFFFF_F000)) b = null;
        }
        if (b == null)
        {
            b = BlockBuilder.Build(this, eip, lin, phys);
            Blocks.Add(b);
        }
        return b;
    }
}
