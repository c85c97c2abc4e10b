using Kml.Tal.Types;

namespace Kml.Tal.Checker;

/// <summary>
/// Checking a control transfer: the current state must be a subtype of the target's code type after its
/// type variables and stack tail ρ are instantiated. Instantiation is syntactic, never inference: a
/// variable is bound by the first register (eax..edi) or stack slot where the annotation names it at top
/// level, and ρ by the slots beyond the annotation's. Match returns null on success or "where: expected X, found Y".
/// </summary>
internal sealed class Instantiation
{
    // Bindings of type variables: few per annotation, so a small list beats a dictionary (no allocation unless used).
    private List<(string Name, ValType Type)>? _vars;
    // One instance per thread, reused by every transfer (an instantiation lives only until the next one).
    [ThreadStatic] private static Instantiation? _shared;
    private static Instantiation Shared => _shared ??= new Instantiation();

    private ValType[]? _rho;
    private MachineState? _state;
    private int _explicitSlots;

    /// <summary>Matches registers <paramref name="regs"/> and the stack of <paramref name="s"/> against a code type;
    /// <paramref name="skipSlot0"/> for a call (slot 0 is the return address the call pushes).</summary>
    public static string? Match(ValType[] regs, MachineState s, CodeType a, bool skipSlot0, out Instantiation inst)
    {
        inst = Shared;
        inst._vars?.Clear();
        inst._rho = null;
        var n = a.Slots.Length;
        if (s.Depth < n) return $"esp: expected at least {n} slots, found {s.Depth}";
        foreach (var r in Gpr.Typed)
            if (a.Registers[r] is VarType v) inst.Bind(v.Name, Subtyping.Degrade(regs[r]));
        for (var j = skipSlot0 ? 1 : 0; j < n; j++)
            if (a.Slots[j] is VarType v) inst.Bind(v.Name, Subtyping.Degrade(s.Slot(j)));
        // ρ is materialised only if a return type needs it (SubstCode), so a jump costs O(annotation), not O(frame).
        inst._state = s;
        inst._explicitSlots = n;

        foreach (var r in Gpr.Typed)
        {
            var expected = inst.Subst(a.Registers[r]);
            if (!Subtyping.Sub(regs[r], expected)) return $"{Gpr.Name(r)}: expected {expected}, found {regs[r]}";
        }
        for (var j = skipSlot0 ? 1 : 0; j < n; j++)
        {
            var expected = inst.Subst(a.Slots[j]);
            if (!Subtyping.Sub(s.Slot(j), expected)) return $"[esp+{4 * j}]: expected {expected}, found {s.Slot(j)}";
        }
        if (s.Unprobed > a.Unprobed) return $"unprobed: expected at most {a.Unprobed}, found {s.Unprobed}";
        return null;
    }

    /// <summary>Checks a state against a return type exactly: same variables in scope, same ρ, no instantiation.</summary>
    public static string? MatchReturn(MachineState s, CodeType k)
    {
        if (s.Depth != k.Slots.Length) return $"esp: expected {CodeType.StackToString(k.Slots)}, found {CodeType.StackToString(s.SlotsFromTop())}";
        foreach (var r in Gpr.Typed)
            if (!Subtyping.Sub(s.Regs[r], k.Registers[r])) return $"{Gpr.Name(r)}: expected {k.Registers[r]}, found {s.Regs[r]}";
        for (var j = 0; j < k.Slots.Length; j++)
            if (!Subtyping.Sub(s.Slot(j), k.Slots[j])) return $"[esp+{4 * j}]: expected {k.Slots[j]}, found {s.Slot(j)}";
        return null;
    }

    private bool IsIdentity
    {
        get
        {
            if (_rho is { Length: > 0 } || (_rho is null && _state is not null && _state.Depth != _explicitSlots)) return false;
            if (_vars is null) return true;
            foreach (var (n, t) in _vars)
                if (t is not VarType v || !string.Equals(v.Name, n, StringComparison.Ordinal)) return false;
            return true;
        }
    }

    private void Bind(string name, ValType type)
    {
        _vars ??= new List<(string, ValType)>(4);
        if (Lookup(name) is null) _vars.Add((name, type));
    }

    private ValType? Lookup(string name)
    {
        if (_vars is null) return null;
        foreach (var (n, t) in _vars)
            if (string.Equals(n, name, StringComparison.Ordinal)) return t;
        return null;
    }

    /// <summary>Applies the instantiation to a type.</summary>
    public ValType Subst(ValType v) => v switch
    {
        // Well-formedness guarantees every variable is bound; an unbound one would be a checker bug, so it becomes uninit (unusable).
        VarType x => Lookup(x.Name) ?? JunkType.Instance,
        // Inside one function every variable is usually bound to itself and ρ to nothing: then the return type is unchanged.
        RetType r => IsIdentity ? r : new RetType(SubstCode(r.Continuation)),
        _ => v,
    };

    /// <summary>Applies the instantiation to a code type: registers and slots substituted, ρ's slots appended.</summary>
    public CodeType SubstCode(CodeType k)
    {
        if (_rho is null)
        {
            var count = _state is null ? 0 : _state.Depth - _explicitSlots;
            _rho = new ValType[count];
            for (var j = 0; j < count; j++) _rho[j] = _state!.Slot(_explicitSlots + j);
        }
        var regs = new ValType[Gpr.Count];
        for (var r = 0; r < Gpr.Count; r++) regs[r] = Subst(k.Registers[r]);
        var slots = new ValType[k.Slots.Length + _rho.Length];
        for (var j = 0; j < k.Slots.Length; j++) slots[j] = Subst(k.Slots[j]);
        _rho.CopyTo(slots, k.Slots.Length);
        return new CodeType(regs, slots, 0);
    }
}
