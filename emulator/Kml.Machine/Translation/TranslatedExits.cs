using System.Runtime.CompilerServices;
using Kml.Machine.Decoding;

namespace Kml.Machine.Translation;

/// <summary>
/// What a translated block does when it leaves: account its cycles and instructions, and find the translated successor
/// it may jump to directly. Called from the generated IL rather than emitted inline: a block exit is then a dozen bytes
/// of IL instead of ~150, which more than halves the JIT's cost of a typical 3–6-instruction block, for one call per
/// block exit at run time. Kept out of line on purpose (the JIT would otherwise inline them back into every block).
/// </summary>
internal static unsafe class TranslatedExits
{
    /// <summary>EIP = <paramref name="target"/>, the block accounted up to <paramref name="op"/>; returns the successor's
    /// translation when the link in <paramref name="slot"/> is valid and no event is due (the caller tail-calls it),
    /// else null (the caller returns <see cref="Exit.JumpAccounted"/> to the dispatch loop).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Func<Cpu, int>? Leave(Cpu c, BlockLinks links, int slot, Op* op, uint target, uint extraCycles)
    {
        c.EipField = target;
        c.CyclesField += op->CumCost + extraCycles;
        c.RetiredField += op->Index + 1;
        // NextEvent is 0 while an observer is attached, so this one compare also sends every exit to the dispatch loop then.
        if (c.CyclesField < c.NextEvent)
        {
            ref var link = ref links.Slots[slot];
            var next = link.Block;
            if (next != null && link.Epoch == c.ChainEpoch && next.Valid) return next.Compiled;
        }
        // Only the dispatch loop reads CurrentOp after an exit (a successor sets its own before anything can fault).
        c.CurrentOp = op;
        c.ExitedBlock = links.Owner;
        return null;
    }

    /// <summary>The exit of a <c>ret</c> (EIP already set): the block accounted up to <paramref name="op"/>; returns the
    /// translation of the successor last reached from here when it starts at this EIP, its link is valid and no event is
    /// due, else null.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Func<Cpu, int>? LeaveComputed(Cpu c, BlockLinks links, Op* op)
    {
        c.CyclesField += op->CumCost;
        c.RetiredField += op->Index + 1;
        if (c.CyclesField < c.NextEvent)
        {
            uint eip = c.EipField;
            var next = links.Dynamic;
            if (next != null && next.Linear == eip && links.DynamicEpoch == c.ChainEpoch && next.Valid) return next.Compiled;
            // Another successor than last time (a return to another call site): the CPU's jump cache may know it.
            ref var jump = ref c.JumpCache[Cpu.JumpCacheIndex(eip)];
            next = jump.Block;
            if (next != null && next.Linear == eip && jump.Epoch == c.ChainEpoch && next.Valid && next.Compiled != null)
            {
                links.Dynamic = next;
                links.DynamicEpoch = jump.Epoch;
                return next.Compiled;
            }
        }
        c.CurrentOp = op;
        c.ExitedBlock = links.Owner;
        return null;
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
