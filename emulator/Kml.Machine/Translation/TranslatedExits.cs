using System.Runtime.CompilerServices;
using Kml.Machine.Decoding;

namespace Kml.Machine.Translation;

/// <summary>
/// What a translated block does when it leaves: account its cycles and instructions, and find the translated successor
/// it may jump to directly. Called from the generated IL rather than emitted inline: a block exit is then a dozen bytes
/// of IL instead of ~150, which more than halves the JIT's cost of a typical 3–6-instruction block, for one call per
/// block exit at run time. Kept out of line on purpose (the JIT would otherwise inline them back into every block).
/// A block returns what they return: <see cref="Exit.JumpLinked"/> with the successor's translation in
/// <see cref="Cpu.NextCompiled"/> (the dispatch loop calls it at once, a trampoline rather than a tail call, so blocks
/// need no explicit tail calls and stay eligible for the runtime's quick first-tier JIT), else
/// <see cref="Exit.JumpAccounted"/>.
/// </summary>
internal static unsafe class TranslatedExits
{
    /// <summary>EIP = <paramref name="target"/>, the block accounted up to <paramref name="op"/>; <see cref="Exit.JumpLinked"/>
    /// when the link in <paramref name="slot"/> is valid and no event is due, else <see cref="Exit.JumpAccounted"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Leave(Cpu c, BlockLinks links, int slot, Op* op, uint target, uint extraCycles)
    {
        c.EipField = target;
        c.CyclesField += op->CumCost + extraCycles;
        c.RetiredField += op->Index + 1;
        // NextEvent is 0 while an observer is attached, so this one compare also sends every exit to the dispatch loop then.
        if (c.CyclesField < c.NextEvent)
        {
            ref var link = ref links.Slots[slot];
            var next = link.Block;
            if (next != null && link.Epoch == c.ChainEpoch && next.Valid)
            {
                c.NextCompiled = next.Compiled;
                return Exit.JumpLinked;
            }
        }
        // Only the dispatch loop reads CurrentOp after an unlinked exit (a successor sets its own before anything can fault).
        c.CurrentOp = op;
        return Exit.JumpAccounted;
    }

    /// <summary>The exit to a computed EIP (a <c>ret</c>, an indirect jump; EIP already set): the block accounted up to
    /// <paramref name="op"/>; <see cref="Exit.JumpLinked"/> when the successor last reached from here, or the CPU's jump
    /// cache, has a valid translation starting at this EIP and no event is due, else <see cref="Exit.JumpAccounted"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int LeaveComputed(Cpu c, BlockLinks links, Op* op)
    {
        c.CyclesField += op->CumCost;
        c.RetiredField += op->Index + 1;
        if (c.CyclesField < c.NextEvent)
        {
            uint eip = c.EipField;
            var next = links.Dynamic;
            if (next != null && next.Linear == eip && links.DynamicEpoch == c.ChainEpoch && next.Valid)
            {
                c.NextCompiled = next.Compiled;
                return Exit.JumpLinked;
            }
            // Another successor than last time (a return to another call site): the CPU's jump cache may know it.
            ref var jump = ref c.JumpCache[eip & (Cpu.JumpCacheSize - 1)];
            next = jump.Block;
            if (next != null && next.Linear == eip && jump.Epoch == c.ChainEpoch && next.Valid && next.Compiled != null)
            {
                links.Dynamic = next;
                links.DynamicEpoch = jump.Epoch;
                c.NextCompiled = next.Compiled;
                return Exit.JumpLinked;
            }
        }
        c.CurrentOp = op;
        return Exit.JumpAccounted;
    }

    /// <summary>Runs <paramref name="op"/>'s interpreter handler as the dispatch loop would (the slow path of an inline
    /// memory access).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Handler(Cpu c, Op* op)
    {
        c.CurrentOp = op;
        return op->H(c, op);
    }
}
