using Iced.Intel;

namespace Kml.Machine.Decoding;

/// <summary>Decodes a basic block with Iced and translates each instruction into an <see cref="Op"/>.</summary>
internal static unsafe class BlockBuilder
{
    public const int MaxInstructions = 64;

    public static Block Build(Cpu c, uint eip, uint lin, uint phys)
    {
        var ctx = new EmitContext(c.Model);
        // The CPU's scratch array, not a List<Instruction>: ReadyToRun cannot precompile List over Iced's struct (it was
        // JIT-compiled at every start), and a block is decoded on its CPU's thread, one at a time.
        var list = c.DecodeScratch;
        int n = 0;
        uint phys2 = Block.NoPage;
        if (!c.Seg[Cpu.SegCs].Big)
            return Unimplemented(c, eip, lin, phys, "16-bit code segment (CS.D = 0)");

        int avail = 0x1000 - (int)(lin & 0xFFF);
        var decoder = Decoder.Create(32, new GuestCodeReader(c.Memory.Pointer(phys), avail), eip, DecoderOptions.None);
        while (n < MaxInstructions)
        {
            decoder.Decode(out var ins);
            if (decoder.LastError == DecoderError.NoMoreBytes)
            {
                if (n > 0) break;
                // The first instruction straddles the page end: its second page must be mapped (else #PF there).
                uint nextLin = (lin & 0xFFFF_F000) + 0x1000;
                phys2 = c.Translate(nextLin, false, c.CplField == 3) & 0xFFFF_F000;
                var buf = new byte[avail + 16];
                c.Memory.AsReadOnlySpan(phys, avail).CopyTo(buf);
                c.Memory.AsReadOnlySpan(phys2, 16).CopyTo(buf.AsSpan(avail));
                decoder = Decoder.Create(32, new ByteArrayCodeReader(buf, 0, avail + 16), eip, DecoderOptions.None);
                decoder.Decode(out ins);
                list[n++] = ins;
                break;
            }
            list[n++] = ins;
            // A conditional jump does not end the block: decoding goes on along the not-taken path and the jump becomes a
            // side exit, so a branch that falls through costs no block transition (the dispatch loop or a translated
            // block's exit). Flags are all live at a side exit (see the liveness pass below).
            bool end = (ins.FlowControl != FlowControl.Next && !IsSideExit(ins)) || ins.Code == Code.INVALID;
            ctx.EndBlock = false;
            // Let the emitter decide about system instructions (translated again below; cheap).
            if (!end && NeedsOwnEnd(ins)) end = true;
            if (end) break;
            if (ins.NextIP32 - eip >= (uint)avail) break;
        }

        var ops = GC.AllocateArray<Op>(n + 1, pinned: true);
        // Backward flag liveness: everything is live at the block end (successors are unknown).
        var liveOut = new uint[n];
        uint live = Cpu.ArithMask;
        for (int i = n - 1; i >= 0; i--)
        {
            if (i < n - 1 && IsSideExit(list[i])) live = Cpu.ArithMask;   // the taken path may read any flag
            liveOut[i] = live;
            var ins = list[i];
            uint read = Eflags(ins.RflagsRead), modified = Eflags(ins.RflagsModified);
            if (MayLeaveFlagsUnchanged(ins)) { read |= modified; modified = 0; }
            live = (live & ~modified) | read;
        }
        uint cum = 0;
        for (int i = 0; i < n; i++)
        {
            var ins = list[i];
            ctx.LiveOut = liveOut[i];
            ctx.LastInBlock = i == n - 1;
            ref Op op = ref ops[i];
            op.Eip = ins.IP32;
            op.Next = ins.NextIP32;
            op.Base = op.IndexReg = Operands.NoReg;
            Translate(ref op, ins, ctx);
            cum += op.Cost;
            op.CumCost = cum;
            op.Index = (ushort)i;
        }
        // Sentinel: a block that does not end in a control transfer continues at the next instruction.
        ref Op s = ref ops[n];
        s.H = &Sentinel;
        s.Eip = list[n - 1].NextIP32;
        s.Next = s.Eip;
        s.CumCost = cum;
        s.Index = (ushort)(n - 1);
        var instructions = new Instruction[n];
        Array.Copy(list, instructions, n);
        return new Block(ops, n, eip, phys, phys2) { Instructions = instructions, LiveOut = liveOut };
    }

    private static uint Eflags(RflagsBits b)
    {
        uint f = 0;
        if ((b & RflagsBits.OF) != 0) f |= Cpu.OF;
        if ((b & RflagsBits.SF) != 0) f |= Cpu.SF;
        if ((b & RflagsBits.ZF) != 0) f |= Cpu.ZF;
        if ((b & RflagsBits.AF) != 0) f |= Cpu.AF;
        if ((b & RflagsBits.CF) != 0) f |= Cpu.CF;
        if ((b & RflagsBits.PF) != 0) f |= Cpu.PF;
        return f;
    }

    /// <summary>A conditional near jump (jcc rel32/rel8), which may sit in the middle of a block as a side exit.</summary>
    internal static bool IsSideExit(in Instruction ins) => ins.IsJccShortOrNear && ins.Op0Kind == OpKind.NearBranch32;

    /// <summary>Instructions whose flag writes are conditional at run time (shift counts of 0, rep prefixes with ECX = 0):
    /// for liveness they pass the flags through rather than kill them.</summary>
    private static bool MayLeaveFlagsUnchanged(in Instruction ins)
    {
        switch (ins.Mnemonic)
        {
            case Mnemonic.Shl: case Mnemonic.Sal: case Mnemonic.Shr: case Mnemonic.Sar: case Mnemonic.Rol: case Mnemonic.Ror:
            case Mnemonic.Rcl: case Mnemonic.Rcr:
                return ins.Op1Kind == OpKind.Register || (ins.GetImmediate(1) & 31) == 0;
            case Mnemonic.Shld: case Mnemonic.Shrd:
                return ins.Op2Kind == OpKind.Register || (ins.GetImmediate(2) & 31) == 0;
            default:
                return ins.HasRepPrefix || ins.HasRepnePrefix;
        }
    }

    /// <summary>Instructions that change state a following decoded instruction depends on (modes, IF, paging, segments).</summary>
    private static bool NeedsOwnEnd(in Instruction ins)
    {
        switch (ins.Mnemonic)
        {
            case Mnemonic.Sti: case Mnemonic.Cli: case Mnemonic.Popf: case Mnemonic.Popfd:
            case Mnemonic.Lgdt: case Mnemonic.Lidt: case Mnemonic.Lldt: case Mnemonic.Ltr:
            case Mnemonic.Invlpg: case Mnemonic.Wrmsr: case Mnemonic.Clts: case Mnemonic.Vmcall: case Mnemonic.Hlt:
            case Mnemonic.Cpuid:
                return true;
            case Mnemonic.Mov:
                return ins.Op0Kind == OpKind.Register && (ins.Op0Register is >= Register.CR0 and <= Register.CR15 || ins.Op0Register == Register.SS || ins.Op0Register == Register.CS);
            case Mnemonic.Pop:
                return ins.Op0Kind == OpKind.Register && ins.Op0Register == Register.SS;
            default:
                return false;
        }
    }

    internal static void Translate(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (ins.Code == Code.INVALID)
        {
            op.H = &Executors.SystemOps.InvalidOpcode;
            op.Cost = (ushort)ctx.Model.Alu;
            return;
        }
        var emitter = DecodeTable.Get(ins.Mnemonic);
        if (emitter == null || !emitter(ref op, ins, ctx))
        {
            var keepEip = op.Eip; var keepNext = op.Next;
            op = default;
            op.Eip = keepEip; op.Next = keepNext;
            op.Base = op.IndexReg = Operands.NoReg;
            op.H = &Executors.SystemOps.Unimplemented;
        }
    }

    private static Block Unimplemented(Cpu c, uint eip, uint lin, uint phys, string why)
    {
        _ = c; _ = lin; _ = why;
        var ops = GC.AllocateArray<Op>(2, pinned: true);
        ops[0].H = &Executors.SystemOps.UnimplementedCodeSegment;
        ops[0].Eip = eip;
        ops[0].Next = eip;
        ops[1] = ops[0];
        return new Block(ops, 1, eip, phys, Block.NoPage);
    }

    private static int Sentinel(Cpu c, Op* op)
    {
        c.EipField = op->Eip;
        return Exit.Jump;
    }

    /// <summary>Disassembles the instruction at <paramref name="eip"/> from its block (for stop messages).</summary>
    public static string Disassemble(Cpu c, uint eip)
    {
        try
        {
            uint lin = eip + c.Seg[Cpu.SegCs].Base;
            var bytes = new byte[16];
            int got = 0;
            for (; got < 16; got++)
            {
                if (!c.Walk(lin + (uint)got, false, c.CplField == 3, false, out uint p, out _)) break;
                bytes[got] = c.Memory.AsReadOnlySpan(p, 1)[0];
            }
            var d = Decoder.Create(32, new ByteArrayCodeReader(bytes, 0, got), eip, DecoderOptions.None);
            d.Decode(out var ins);
            var f = new IntelFormatter();
            var o = new StringOutput();
            f.Format(ins, o);
            var hex = Convert.ToHexString(bytes, 0, Math.Min(ins.Length, got)).ToLowerInvariant();
            return $"{o.ToStringAndReset()} ({hex})";
        }
        catch (Exception e) when (e is GuestFault or MachineStopException)
        {
            return "(instruction bytes not readable)";
        }
    }
}
