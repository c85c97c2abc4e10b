using Kml.Compiler.Ir;
using Kml.Tal.Types;

namespace Kml.Compiler.CodeGen;

/// <summary>
/// A function's stack frame, from esp upward (esp never moves in the body, so every slot has a fixed offset):
/// the outgoing area (arguments and result slots of the calls it makes), eviction slots (a register saved around
/// one instruction that needs a scratch register), spill slots, the callee-saved registers it pushed, the return
/// address, its arguments and its result slots. Then the caller's frame (ρ).
/// </summary>
internal sealed class Frame
{
    /// <summary>Eviction slots: an instruction needs at most this many scratch registers at once.</summary>
    public const int EvictionSlots = 4;

    public Frame(IrFunction f, int outgoing, int spills, int[] saved, int evictions)
    {
        Function = f;
        Outgoing = outgoing;
        Spills = spills;
        Saved = saved;
        Evictions = evictions;
    }

    /// <summary>Eviction slots reserved (none when every instruction has enough free registers).</summary>
    public int Evictions { get; }

    public IrFunction Function { get; }

    /// <summary>Slots of the outgoing area.</summary>
    public int Outgoing { get; }

    /// <summary>Spill slots.</summary>
    public int Spills { get; }

    /// <summary>Callee-saved registers pushed by the prologue, in push order.</summary>
    public int[] Saved { get; }

    /// <summary>Slots allocated by the prologue's sub esp (outgoing, eviction and spill slots).</summary>
    public int Body => Outgoing + Evictions + Spills;

    /// <summary>Byte offset from esp of an eviction slot.</summary>
    public int Eviction(int k) => 4 * (Outgoing + k);

    /// <summary>Byte offset from esp of a spill slot.</summary>
    public int Spill(int k) => 4 * (Outgoing + Evictions + k);

    /// <summary>Byte offset of the return address (absent for the entry function).</summary>
    public int ReturnAddress => 4 * (Body + Saved.Length);

    /// <summary>Byte offset of argument leaf k.</summary>
    public int Argument(int k) => ReturnAddress + 4 + 4 * k;

    /// <summary>Byte offset of result slot k (results that do not fit in eax and edx).</summary>
    public int Result(int k) => Argument(Function.ParameterTypes.Length) + 4 * k;

    /// <summary>The return type of the function: what its caller sees after the call.</summary>
    public static CodeType ReturnType(IrFunction f)
    {
        var regs = new ValType[Gpr.Count];
        Array.Fill(regs, JunkType.Instance);
        if (f.ResultsInRegisters)
        {
            if (f.ResultTypes.Length > 0) regs[Gpr.Eax] = f.ResultTypes[0];
            if (f.ResultTypes.Length > 1) regs[Gpr.Edx] = f.ResultTypes[1];
        }
        foreach (var r in new[] { Gpr.Ebx, Gpr.Esi, Gpr.Edi, Gpr.Ebp }) regs[r] = new VarType(Gpr.Name(r));
        var slots = new List<ValType>();
        for (var i = 0; i < f.ParameterTypes.Length; i++) slots.Add(JunkType.Instance);
        if (!f.ResultsInRegisters) slots.AddRange(f.ResultTypes);
        return new CodeType(regs, [.. slots]);
    }

    /// <summary>The type of the function's entry label.</summary>
    public static CodeType EntryType(IrFunction f)
    {
        var regs = new ValType[Gpr.Count];
        Array.Fill(regs, JunkType.Instance);
        if (f.IsEntry) return new CodeType(regs, []);
        foreach (var r in new[] { Gpr.Ebx, Gpr.Esi, Gpr.Edi, Gpr.Ebp }) regs[r] = new VarType(Gpr.Name(r));
        var slots = new List<ValType> { new RetType(ReturnType(f)) };
        slots.AddRange(f.ParameterTypes);
        if (!f.ResultsInRegisters) slots.AddRange(f.ResultTypes.Select(_ => (ValType)JunkType.Instance));
        return new CodeType(regs, [.. slots]);
    }
}
