using Iced.Intel;

namespace Kml.Machine.Decoding;

/// <summary>
/// Fills an <see cref="Op"/> from an Iced instruction: picks the handler and extracts operands. Returns false when
/// the form is not implemented (the op then stops <see cref="Cpu.Run"/> with <see cref="StopReason.Unimplemented"/>).
/// </summary>
internal delegate bool Emitter(ref Op op, in Instruction ins, EmitContext ctx);

/// <summary>What an emitter needs besides the instruction: the cycle model, and a way to mark block ends.</summary>
internal sealed class EmitContext(CycleModel model)
{
    public CycleModel Model { get; } = model;
    /// <summary>Set by an emitter whose instruction must end the block (system instructions that change modes).</summary>
    public bool EndBlock;
    /// <summary>Arithmetic flags (EFLAGS bits) that a later instruction may read before they are overwritten; an emitter
    /// may pick a variant that does not compute the others. Faults in the middle of a block can then expose stale
    /// dead flags in the exception frame (as in QEMU); the program itself never observes them.</summary>
    public uint LiveOut = Cpu.ArithMask;
    /// <summary>True for the block's last instruction; a conditional jump elsewhere is a side exit that falls through.</summary>
    public bool LastInBlock = true;

    /// <summary>True when some flag in <paramref name="written"/> is live after the instruction.</summary>
    public bool FlagsLive(uint written = Cpu.ArithMask) => (LiveOut & written) != 0;
}

/// <summary>The decode table: Iced mnemonic → emitter. Each executor family registers its own mnemonics.</summary>
internal static class DecodeTable
{
    private static readonly Emitter?[] Table = Build();

    private static Emitter?[] Build()
    {
        var t = new Emitter?[Enum.GetValuesAsUnderlyingType(typeof(Mnemonic)).Length + 1];   // not GetValues<T>: JIT-compiled at every start
        Executors.Alu.RegisterAll(t);
        Executors.Bits.RegisterAll(t);
        Executors.MulDiv.RegisterAll(t);
        Executors.Moves.RegisterAll(t);
        Executors.Stack.RegisterAll(t);
        Executors.Flow.RegisterAll(t);
        Executors.Strings.RegisterAll(t);
        Executors.SystemOps.RegisterAll(t);
        Executors.X87.RegisterAll(t);
        return t;
    }

    public static Emitter? Get(Mnemonic m) => Table[(int)m];
}
