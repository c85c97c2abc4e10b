using Kml.Tal.Types;

namespace Kml.Tal.Checker;

/// <summary>
/// What the flags are known to say: a comparison of two values, or a zero test of a register.
/// A fact dies when the flags change or when a register it depends on is written.
/// </summary>
/// <param name="Left">Register of the left cmp operand, or -1.</param>
/// <param name="LeftLenOf">When ≥ 0, the left operand is the length of the array in this register.</param>
/// <param name="Right">Register of the right cmp operand, or -1.</param>
/// <param name="RightLenOf">When ≥ 0, the right operand is the length of the array in this register.</param>
/// <param name="ZeroTest">Register whose zero-ness ZF reflects (test r,r or cmp r,0), or -1.</param>
/// <param name="Depends">Bit mask of the registers the fact depends on.</param>
internal sealed record FlagsFact(int Left, int LeftLenOf, int Right, int RightLenOf, int ZeroTest, int Depends);

/// <summary>
/// The abstract machine state at one instruction: register types, stack slots, probe distance, flags.
/// The stack is stored bottom-up (the last element is [esp]) so push and pop are O(1).
/// </summary>
internal sealed class MachineState
{
    public readonly ValType[] Regs = new ValType[Gpr.Count];
    private readonly List<ValType> _stack;
    public int Unprobed;
    public FlagsFact? Flags;

    private MachineState(List<ValType> stack) => _stack = stack;

    public static MachineState FromCode(CodeType t)
    {
        var s = new MachineState(new List<ValType>(t.Slots.Length + 8));
        s.Reset(t);
        return s;
    }

    /// <summary>Becomes the state a code type describes (reusing this object: labels are frequent).</summary>
    public void Reset(CodeType t)
    {
        _stack.Clear();
        for (var j = t.Slots.Length - 1; j >= 0; j--) _stack.Add(t.Slots[j]);
        Array.Copy(t.Registers, Regs, Gpr.Count);
        Unprobed = t.Unprobed;
        Flags = null;
    }

    /// <summary>Number of known slots above esp (the tail ρ lies beyond them).</summary>
    public int Depth => _stack.Count;

    /// <summary>The slot at [esp + 4j].</summary>
    public ValType Slot(int j) => _stack[_stack.Count - 1 - j];

    /// <summary>Replaces the slot at [esp + 4j] (a strong update: stack slots are not aliased).</summary>
    public void SetSlot(int j, ValType v) => _stack[_stack.Count - 1 - j] = v;

    public void Push(ValType v) => _stack.Add(v);

    public ValType Pop()
    {
        var v = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    /// <summary>The slots from [esp] upward, esp first.</summary>
    public ValType[] SlotsFromTop(int skip = 0)
    {
        var n = _stack.Count - skip;
        var result = new ValType[Math.Max(n, 0)];
        for (var j = 0; j < n; j++) result[j] = _stack[n - 1 - j];
        return result;
    }

    /// <summary>
    /// Writes a register: first every refinement naming it (len/index/eoff of its array) degrades to int and
    /// every flags fact depending on it dies, then it takes the new type.
    /// </summary>
    public void Set(int reg, ValType type)
    {
        Kill(reg);
        Regs[reg] = type.RefersTo == reg ? IntType.Instance : type;
    }

    /// <summary>Forgets every fact that depends on the register's value.</summary>
    public void Kill(int reg)
    {
        for (var r = 0; r < Gpr.Count; r++)
            if (Regs[r].RefersTo == reg) Regs[r] = IntType.Instance;
        if (Flags is not null && (Flags.Depends & (1 << reg)) != 0) Flags = null;
    }
}
