using Iced.Intel;
using Kml.Compiler.Ir;
using Kml.Tal;
using Kml.Tal.Interface;
using Kml.Tal.Lines;
using Kml.Tal.Types;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Compiler.CodeGen;

// Loads, stores, element accesses with their bounds checks, calls, branches and returns.
internal sealed partial class FunctionEmitter
{
    private static bool MayBeNull(Opnd u) => u.IsReg && u.Reg!.Type is PtrType { Nullable: true } or NullType or IntType;

    private void NullCheck(Inst inst, Opnd baseOperand, int baseRegister)
    {
        var size = inst.Op is Op.LoadElem or Op.StoreElem or Op.LoadLength ? 4 : IrFacts.Size(inst.Kind);
        var needed = inst.NullCheck || inst.Offset + size > TalLayout.NullGuard;
        if (!needed || !MayBeNull(baseOperand)) return;
        _a.test(R(baseRegister), R(baseRegister));
        _a.je(_program.Stub(RuntimeError.NullReference, inst.Location));
    }

    private AssemblerMemoryOperand Memory(MemKind kind, AssemblerMemoryOperand m) => m;

    private AssemblerMemoryOperand Field(Opnd baseOperand, int offset, MemKind kind, Inst inst)
    {
        if (baseOperand.Kind == OperandKind.Data)
        {
            var address = baseOperand.Data!.Address + (uint)offset;
            return kind switch
            {
                MemKind.I8 or MemKind.U8 => __byte_ptr[address],
                MemKind.I16 or MemKind.U16 => __word_ptr[address],
                _ => __dword_ptr[address],
            };
        }
        var b = Use(baseOperand);
        NullCheck(inst, baseOperand, b);
        return kind switch
        {
            MemKind.I8 or MemKind.U8 => __byte_ptr[R(b) + offset],
            MemKind.I16 or MemKind.U16 => __word_ptr[R(b) + offset],
            _ => __dword_ptr[R(b) + offset],
        };
    }

    private void LoadInto(int d, MemKind kind, AssemblerMemoryOperand m)
    {
        switch (kind)
        {
            case MemKind.I8: _a.movsx(R(d), m); break;
            case MemKind.U8: _a.movzx(R(d), m); break;
            case MemKind.I16: _a.movsx(R(d), m); break;
            case MemKind.U16: _a.movzx(R(d), m); break;
            default: _a.mov(R(d), m); break;
        }
    }

    private void StoreFrom(AssemblerMemoryOperand m, MemKind kind, Loc value)
    {
        if (value.IsImm)
        {
            switch (kind)
            {
                case MemKind.I8 or MemKind.U8: _a.mov(m, (byte)value.Value); break;
                case MemKind.I16 or MemKind.U16: _a.mov(m, (short)value.Value); break;
                default: _a.mov(m, value.Value); break;
            }
            return;
        }
        switch (kind)
        {
            case MemKind.I8 or MemKind.U8: _a.mov(m, R8(value.Value)); break;
            case MemKind.I16 or MemKind.U16: _a.mov(m, R16(value.Value)); break;
            default: _a.mov(m, R(value.Value)); break;
        }
    }

    /// <summary>A stored value: a constant, or a register (a byte store needs al, cl, dl or bl).</summary>
    private Loc StoreValue(Opnd value, MemKind kind)
    {
        var loc = LocOf(value);
        if (loc.IsImm) return loc;
        var allowed = kind is MemKind.I8 or MemKind.U8 ? RegisterMasks.Byte : RegisterMasks.Allocatable;
        return Loc.Reg(Use(value, allowed));
    }

    private void EmitLoad(Inst inst)
    {
        var m = Field(inst.Uses[0], inst.Offset, inst.Kind, inst);
        LoadInto(Def(inst.Defs[0]), inst.Kind, m);
    }

    private void EmitStore(Inst inst)
    {
        var value = StoreValue(inst.Uses[1], inst.Kind);
        var m = Field(inst.Uses[0], inst.Offset, inst.Kind, inst);
        StoreFrom(m, inst.Kind, value);
    }

    private void EmitLoadLength(Inst inst)
    {
        var b = Use(inst.Uses[0]);
        NullCheck(inst, inst.Uses[0], b);
        var d = Def(inst.Defs[0]);
        _a.mov(R(d), __dword_ptr[R(b)]);
        _lengthRegisters |= 1 << d;
    }

    /// <summary>An element access: null check, the unsigned bounds check the checker proves index(arr) from, the access.</summary>
    private void EmitElement(Inst inst)
    {
        var store = inst.Op == Op.StoreElem;
        var value = store ? StoreValue(inst.Uses[2], inst.Kind) : default;
        var arr = Use(inst.Uses[0]);
        var idx = Use(inst.Uses[1]);
        NullCheck(inst, inst.Uses[0], arr);
        var arrayV = inst.Uses[0].IsReg && RegOf(inst.Uses[0].Reg!) == arr ? inst.Uses[0].Reg : null;
        var indexV = inst.Uses[1].IsReg && RegOf(inst.Uses[1].Reg!) == idx ? inst.Uses[1].Reg : null;
        if (arrayV is null || indexV is null || !_proven.Contains((arrayV, indexV)))
        {
            if ((_lengthRegisters & (1 << idx)) != 0)
            {
                // The checker proves index(arr) only from a plain int: an index that is another array's length (t[a.Length])
                // holds len(a), so it is turned into an int first (or r, r changes no bit).
                _a.or(R(idx), R(idx));
                _lengthRegisters &= ~(1 << idx);
            }
            _a.cmp(R(idx), __dword_ptr[R(arr)]);
            _a.jae(_program.Stub(RuntimeError.IndexOutOfRange, inst.Location));
            // The check makes idx an index of this array only (a refinement names one array): older facts about idx go.
            _proven.RemoveAll(p => p.Index == indexV || RegOf(p.Index) == idx);
            if (arrayV is not null && indexV is not null) _proven.Add((arrayV, indexV));
        }
        var displacement = TalLayout.ArrayHeader + inst.Offset;
        AssemblerMemoryOperand address;
        if (inst.ScratchDef)
        {
            var t = Def(inst.Defs[^1]);
            _a.imul(R(t), R(idx), inst.ElemSize);
            address = Sized(inst.Kind, R(arr) + R(t) + displacement);
        }
        else address = Sized(inst.Kind, R(arr) + R(idx) * inst.ElemSize + displacement);
        if (store) StoreFrom(address, inst.Kind, value);
        else if (_fusedTest is { } test)
        {
            // The element is only tested against zero by the branch that follows: compare it in memory.
            if (_evicted.Count > 0) throw new InvalidOperationException($"{_f.Name}: a fused element test needs no scratch register");
            switch (inst.Kind)
            {
                case MemKind.I8 or MemKind.U8: _a.cmp(address, (byte)0); break;
                case MemKind.I16 or MemKind.U16: _a.cmp(address, (short)0); break;
                default: _a.cmp(address, 0); break;
            }
            Goto(test.Cond, test.Target!, test.Else!);
        }
        else LoadInto(Def(inst.Defs[0]), inst.Kind, address);
    }

    // The branch fused into the element load before it (see FusesElementTest), while that load is emitted.
    private Inst? _fusedTest;

    /// <summary>
    /// <c>t = a[i]; if (t ==/!= 0)</c> with t dying at the branch (a sieve's <c>if (!composite[i])</c>) becomes
    /// <c>cmp byte [a + i + 4], 0</c>: no register for t, no movzx and test. Only with the array and the index in
    /// registers (no scratch register, so nothing is restored between the compare and the jump).
    /// </summary>
    private bool FusesElementTest(Inst inst, Inst next)
    {
        if (inst.Op != Op.LoadElem || inst.ScratchDef || inst.Kind == MemKind.Ptr) return false;
        if (!inst.Uses[0].IsReg || RegOf(inst.Uses[0].Reg!) < 0 || !inst.Uses[1].IsReg || RegOf(inst.Uses[1].Reg!) < 0) return false;
        if (next.Op != Op.Branch || next.Cond is not (Cond.Eq or Cond.Ne) || !next.Uses[0].IsReg || next.Uses[0].Reg != inst.Defs[0]
            || next.Uses[1] is not { IsImm: true, Imm: 0 }) return false;
        var iv = _alloc.Intervals[inst.Defs[0].Id];
        var n = _alloc.Number[inst];
        return _alloc.Number[next] == n + 1 && iv.Ranges.Any(r => r.Start <= 2 * n + 1 && r.End == 2 * n + 3);
    }

    private static AssemblerMemoryOperand Sized(MemKind kind, AssemblerMemoryOperand m) => kind switch
    {
        MemKind.I8 or MemKind.U8 => __byte_ptr[m],
        MemKind.I16 or MemKind.U16 => __word_ptr[m],
        _ => __dword_ptr[m],
    };

    private void EmitPanicIf(Inst inst)
    {
        Compare(LocOf(inst.Uses[0]), LocOf(inst.Uses[1]), zeroTest: true);
        Jcc(inst.Cond, _program.Stub(inst.PanicKind, inst.Location));
    }

    private void EmitCall(Inst inst)
    {
        ValType[] parameters;
        if (inst.Op == Op.Call) parameters = inst.Callee!.ParameterTypes;
        else
        {
            var entry = KernelInterface.Entries[inst.Import!.Entry];
            parameters = entry.Generic == ImportGeneric.AllocArray ? [IntType.Instance] : entry.Parameters;
        }
        var spilled = new List<int>();
        for (var i = 0; i < inst.Uses.Length; i++)
        {
            var u = inst.Uses[i];
            var loc = LocOf(u);
            var check = parameters[i] is PtrType { Nullable: false } && !(u.Type is PtrType { Nullable: false }) && (inst.NonNullArgs & (1L << i)) == 0;
            if (loc.IsMem) { spilled.Add(i); continue; }
            if (loc.IsImm)
            {
                if (check && loc.Value == 0) { _a.jmp(_program.Stub(RuntimeError.NullReference, inst.Location)); return; }
                _a.mov(Slot(4 * i), loc.Value);
                continue;
            }
            if (check)
            {
                _a.test(R(loc.Value), R(loc.Value));
                _a.je(_program.Stub(RuntimeError.NullReference, inst.Location));
            }
            _a.mov(Slot(4 * i), R(loc.Value));
        }
        // Register arguments are stored: eax, clobbered by the call anyway, carries the spilled ones.
        foreach (var i in spilled)
        {
            _a.mov(eax, Slot(LocOf(inst.Uses[i]).Value));
            if (parameters[i] is PtrType { Nullable: false } && !(inst.Uses[i].Type is PtrType { Nullable: false }))
            {
                _a.test(eax, eax);
                _a.je(_program.Stub(RuntimeError.NullReference, inst.Location));
            }
            _a.mov(Slot(4 * i), eax);
        }
        if (inst.Op == Op.Call) _a.call(_program.LabelOf(inst.Callee!));
        else _a.call(__dword_ptr[_program.ImportAddress(inst.Import!)]);
        if (inst.Op == Op.Call && !inst.Callee!.ResultsInRegisters)
        {
            for (var j = 0; j < inst.Defs.Length; j++)
            {
                var d = inst.Defs[j];
                var from = Slot(4 * (inst.Uses.Length + j));
                var r = RegOf(d);
                if (r >= 0) _a.mov(R(r), from);
                else
                {
                    _a.mov(eax, from);
                    _a.mov(Slot(HomeOf(d)), eax);
                }
            }
        }
    }

    private void EmitBranch(Inst inst)
    {
        var b = LocOf(inst.Uses[1]);
        Compare(LocOf(inst.Uses[0]), b, zeroTest: true);
        Restore();
        Goto(inst.Cond, inst.Target!, inst.Else!);
    }

    /// <summary>Jumps to ifTrue when the flags say cond, else to ifFalse, falling through where the layout allows.</summary>
    private void Goto(Cond cond, IrBlock ifTrue, IrBlock ifFalse)
    {
        if (ifTrue == _next) Jcc(IrFacts.Negate(cond), LabelOf(ifFalse));
        else if (ifFalse == _next) Jcc(cond, LabelOf(ifTrue));
        else
        {
            Jcc(cond, LabelOf(ifTrue));
            _a.jmp(LabelOf(ifFalse));
        }
    }

    /// <summary>Compares one 32-bit half; returns whether the operands were swapped (a constant on the left).</summary>
    private bool CompareHalf(Loc a, Loc b)
    {
        var swapped = false;
        if (a.IsImm && !b.IsImm) { (a, b) = (b, a); swapped = true; }
        Compare(a, b, zeroTest: false);
        Restore();
        return swapped;
    }

    private void EmitBranch64(Inst inst)
    {
        var (alo, ahi, blo, bhi) = (LocOf(inst.Uses[0]), LocOf(inst.Uses[1]), LocOf(inst.Uses[2]), LocOf(inst.Uses[3]));
        var t = LabelOf(inst.Target!);
        var f = LabelOf(inst.Else!);
        var cond = inst.Cond;
        Cond Fix(Cond c, bool swapped) => swapped ? IrFacts.Swap(c) : c;
        switch (cond)
        {
            case Cond.Eq:
            {
                var s = CompareHalf(alo, blo);
                Jcc(Cond.Ne, f);
                s = CompareHalf(ahi, bhi);
                Goto(Cond.Eq, inst.Target!, inst.Else!);
                _ = s;
                return;
            }
            case Cond.Ne:
            {
                CompareHalf(alo, blo);
                Jcc(Cond.Ne, t);
                CompareHalf(ahi, bhi);
                Goto(Cond.Ne, inst.Target!, inst.Else!);
                return;
            }
        }
        var unsigned = IrFacts.IsUnsigned(cond);
        var less = cond is Cond.Lt or Cond.Le or Cond.Ltu or Cond.Leu;
        var strictTrue = less ? (unsigned ? Cond.Ltu : Cond.Lt) : (unsigned ? Cond.Gtu : Cond.Gt);
        var strictFalse = less ? (unsigned ? Cond.Gtu : Cond.Gt) : (unsigned ? Cond.Ltu : Cond.Lt);
        var low = cond switch
        {
            Cond.Lt or Cond.Ltu => Cond.Ltu,
            Cond.Le or Cond.Leu => Cond.Leu,
            Cond.Gt or Cond.Gtu => Cond.Gtu,
            _ => Cond.Geu,
        };
        var sw = CompareHalf(ahi, bhi);
        Jcc(Fix(strictTrue, sw), t);
        Jcc(Fix(strictFalse, sw), f);
        sw = CompareHalf(alo, blo);
        Goto(Fix(low, sw), inst.Target!, inst.Else!);
    }

    private void EmitReturn(Inst inst)
    {
        var values = inst.Uses.Select(LocOf).ToArray();
        if (_f.ResultsInRegisters)
        {
            if (values.Length == 2)
            {
                var (s0, s1) = (values[0], values[1]);
                if (s0.IsReg && s0.Value == Gpr.Edx && s1.IsReg && s1.Value == Gpr.Eax) _a.xchg(eax, edx);
                else if (s1.IsReg && s1.Value == Gpr.Eax) { Load(Gpr.Edx, s1); Load(Gpr.Eax, s0); }
                else { Load(Gpr.Eax, s0); Load(Gpr.Edx, s1); }
            }
            else if (values.Length == 1) Load(Gpr.Eax, values[0]);
        }
        else
        {
            for (var j = 0; j < values.Length; j++)
            {
                if (values[j].IsReg) _a.mov(Slot(_frame.Result(j)), R(values[j].Value));
                else if (values[j].IsImm) _a.mov(Slot(_frame.Result(j)), values[j].Value);
            }
            for (var j = 0; j < values.Length; j++)
            {
                if (!values[j].IsMem) continue;
                _a.mov(eax, Slot(values[j].Value));
                _a.mov(Slot(_frame.Result(j)), eax);
            }
        }
        if (_frame.Body > 0) _a.add(esp, 4 * _frame.Body);
        for (var i = _frame.Saved.Length - 1; i >= 0; i--) _a.pop(R(_frame.Saved[i]));
        _a.ret();
    }

    private void EmitExit(Inst inst)
    {
        var status = LocOf(inst.Uses[0]);
        switch (status.Kind)
        {
            case LocKind.Reg: _a.mov(Slot(0), R(status.Value)); break;
            case LocKind.Imm: _a.mov(Slot(0), status.Value); break;
            default: _a.mov(eax, Slot(status.Value)); _a.mov(Slot(0), eax); break;
        }
        _a.call(__dword_ptr[_program.ImportAddress(_program.Import("exit"))]);
    }
}
