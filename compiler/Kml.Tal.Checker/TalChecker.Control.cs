using Iced.Intel;
using Kml.Tal.Annotations;
using Kml.Tal.Interface;
using Kml.Tal.Types;

namespace Kml.Tal.Checker;

// Control transfers: each one is checked against its target's annotation.
public sealed partial class TalChecker
{
    private LabelAnnotation TargetLabel(string what)
    {
        if (_ins.Op0Kind != OpKind.NearBranch32) throw new Reject(Rules.IndirectTransfer, $"expected a direct {what}, found {_ins.Op0Kind}");
        var target = _ins.NearBranch32;
        var offset = target - _textBase;
        if (target < _textBase || offset >= (uint)_ctx.Object.Text.Bytes.Length || !_ctx.Labels.TryGetValue(offset, out var label))
            throw new Reject(Rules.TargetNotLabel, $"expected an annotated label, found 0x{target:x8}");
        return label;
    }

    private void Jump()
    {
        var label = TargetLabel("jump");
        Transfer(S.Regs, label, "jump", Rules.TransferMismatch, 0);
        _s = null;
    }

    /// <summary>
    /// jcc: the taken side and the fall-through each learn what the condition proves. An unsigned
    /// i &lt; len(a) (jb taken or jae not taken after cmp i, len; ja taken or jbe not taken after cmp len, i)
    /// makes i an index(a); a zero test makes a nullable pointer non-null on the nonzero side.
    /// </summary>
    private void ConditionalJump()
    {
        var label = TargetLabel("jump");
        var cc = _ins.ConditionCode;
        Array.Copy(S.Regs, _taken, Gpr.Count);
        Refine(_taken, cc);
        Transfer(_taken, label, "jump", Rules.TransferMismatch, 0);
        Refine(S.Regs, Negate(cc));
    }

    private void Refine(ValType[] regs, ConditionCode cc)
    {
        var f = S.Flags;
        if (f is null) return;
        if (f.ZeroTest >= 0)
        {
            var r = f.ZeroTest;
            if (cc == ConditionCode.ne && regs[r] is PtrType { Nullable: true } p) regs[r] = p with { Nullable = false };
            else if (cc == ConditionCode.e && regs[r] is PtrType { Nullable: true }) regs[r] = NullType.Instance;
            return;
        }
        if (cc == ConditionCode.b && f.Left >= 0 && f.LeftLenOf < 0 && f.RightLenOf >= 0 && f.Left != f.RightLenOf)
            regs[f.Left] = Refinements.Index(f.RightLenOf);
        else if (cc == ConditionCode.a && f.Right >= 0 && f.RightLenOf < 0 && f.LeftLenOf >= 0 && f.Right != f.LeftLenOf)
            regs[f.Right] = Refinements.Index(f.LeftLenOf);
    }

    private static ConditionCode Negate(ConditionCode cc) => cc switch
    {
        ConditionCode.o => ConditionCode.no, ConditionCode.no => ConditionCode.o,
        ConditionCode.b => ConditionCode.ae, ConditionCode.ae => ConditionCode.b,
        ConditionCode.e => ConditionCode.ne, ConditionCode.ne => ConditionCode.e,
        ConditionCode.be => ConditionCode.a, ConditionCode.a => ConditionCode.be,
        ConditionCode.s => ConditionCode.ns, ConditionCode.ns => ConditionCode.s,
        ConditionCode.p => ConditionCode.np, ConditionCode.np => ConditionCode.p,
        ConditionCode.l => ConditionCode.ge, ConditionCode.ge => ConditionCode.l,
        ConditionCode.le => ConditionCode.g, ConditionCode.g => ConditionCode.le,
        _ => ConditionCode.None,
    };

    private void Call()
    {
        if (_ins.Code == Code.Call_rel32_32) { CallLabel(); return; }
        if (_ins.Code == Code.Call_rm32 && IsMem(0)) { CallImport(); return; }
        throw new Reject(Rules.IndirectTransfer, "expected call label or call [import slot]");
    }

    /// <summary>
    /// call L: L's annotation must start its stack with a return address ret K. The state with the pushed
    /// return address must match L's annotation, and the state after the call is K, instantiated.
    /// </summary>
    private void CallLabel()
    {
        var label = TargetLabel("call");
        if (label.Type.Slots.Length == 0 || label.Type.Slots[0] is not RetType ret)
            throw new Reject(Rules.CallTargetNotFunction, $"expected ret {{...}} at [esp] of {LabelName(label)}, found {(label.Type.Slots.Length == 0 ? "no slot" : label.Type.Slots[0].ToString())}");
        GrowStack(1);
        S.Push(JunkType.Instance);
        S.Unprobed = 0;
        var problem = Instantiation.Match(S.Regs, S, label.Type, true, out var inst);
        if (problem is not null) throw new Reject(Rules.TransferMismatch, $"call to {LabelName(label)}: {problem}");
        var continuation = inst.SubstCode(ret.Continuation); // reads ρ from the current state before it is reset
        _state.Reset(continuation);
        _s = _state;
    }

    /// <summary>call [slot]: the operand must be exactly import slot k; the arguments on the stack must have the import's types.</summary>
    private void CallImport()
    {
        var table = _ctx.Annotations.ImportTable;
        var address = _ins.MemoryDisplacement32;
        var k = (address - table) / 4;
        if (_ins.MemoryBase != Register.None || _ins.MemoryIndex != Register.None || _ctx.Imports.Count == 0
            || address < table || (address - table) % 4 != 0 || k >= (uint)_ctx.Imports.Count)
            throw new Reject(Rules.BadImportCall, $"expected [import slot], found {Format()[5..]}");
        var sig = _ctx.Imports[(int)k] ?? throw new Reject(Rules.BadImportCall, $"slot {k} names no valid import");
        var parameters = sig.Parameters;
        if (S.Depth < parameters.Length)
            throw new Reject(Rules.ImportArgument, $"{sig.Name}: expected {parameters.Length} arguments on the stack, found {S.Depth} slots");
        for (var j = 0; j < parameters.Length; j++)
            if (!Subtyping.Sub(S.Slot(j), parameters[j]))
                throw new Reject(Rules.ImportArgument, $"{sig.Name} argument {j + 1} at [esp+{4 * j}]: expected {parameters[j]}, found {S.Slot(j)}");
        if (sig.NoReturn) { _s = null; return; }
        S.Set(Gpr.Eax, _ctx.ImportResult((int)k) ?? JunkType.Instance);
        S.Set(Gpr.Ecx, JunkType.Instance);
        S.Set(Gpr.Edx, JunkType.Instance);
        S.Flags = null;
        S.Unprobed = 0; // the call wrote its return address below esp
    }

    /// <summary>ret [n]: [esp] must be ret K; after popping it and n bytes the state must match K exactly.</summary>
    private void Return()
    {
        if (_ins.Code is not (Code.Retnd or Code.Retnd_imm16)) throw new Reject(Rules.RetImmediate, "expected a 32-bit near ret");
        if (S.Depth == 0 || S.Slot(0) is not RetType ret)
            throw new Reject(Rules.NotReturnAddress, $"expected ret {{...}} at [esp], found {(S.Depth == 0 ? "the caller's stack" : S.Slot(0).ToString())}");
        var n = _ins.Code == Code.Retnd_imm16 ? _ins.Immediate16 : 0;
        if (n % 4 != 0) throw new Reject(Rules.RetImmediate, $"expected a multiple of 4, found {n}");
        if (1 + n / 4 > S.Depth) throw new Reject(Rules.StackUnderflow, $"expected at most {4 * (S.Depth - 1)} bytes of arguments, found {n}");
        S.Pop();
        for (var i = 0; i < n / 4; i++) S.Pop();
        var problem = Instantiation.MatchReturn(S, ret.Continuation);
        if (problem is not null) throw new Reject(Rules.ReturnMismatch, problem);
        _s = null;
    }
}
