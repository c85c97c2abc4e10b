using Iced.Intel;
using Kml.Compiler.Ir;
using Kml.Tal;
using Kml.Tal.Interface;
using Kml.Tal.Lines;
using Kml.Tal.Types;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Compiler.CodeGen;

/// <summary>
/// Emits one function's IA-32 code through Iced's assembler, with a TAL code type at every label: the prologue
/// (push the callee-saved registers it uses, allocate the frame), each block (a label only where a jump lands),
/// each IR instruction with the registers the allocator chose (a spilled register is reloaded into a scratch
/// register, evicting one around the instruction when none is free), the epilogue and the run-time checks
/// (jumps to the program's shared panic stubs). The types at a label come from the allocator: each live
/// virtual register's type in its register or spill slot, the caller's callee-saved registers as type
/// variables, the return address, the arguments.
/// </summary>
internal sealed partial class FunctionEmitter
{
    private enum LocKind { Reg, Mem, Imm, Length }

    private readonly record struct Loc(LocKind Kind, int Value)
    {
        public static Loc Reg(int r) => new(LocKind.Reg, r);
        public static Loc Mem(int offset) => new(LocKind.Mem, offset);
        public static Loc Imm(int v) => new(LocKind.Imm, v);
        /// <summary>The length header of the array in a register: [r].</summary>
        public static Loc LengthOf(int r) => new(LocKind.Length, r);
        public bool IsReg => Kind == LocKind.Reg;
        public bool IsMem => Kind == LocKind.Mem;
        public bool IsImm => Kind == LocKind.Imm;
    }

    private readonly ProgramEmitter _program;
    private readonly Assembler _a;
    private readonly IrFunction _f;
    private readonly LinearScan _alloc;
    private readonly Frame _frame;
    private readonly int _usable;          // registers this function may write: caller-saved and the ones it pushed
    private readonly int[] _busy;          // per instruction: machine registers holding live values
    private readonly Dictionary<IrBlock, Label> _labels = [];
    private readonly HashSet<IrBlock> _targeted = [];
    private readonly HashSet<VReg> _parameters;
    private readonly int[] _parameterIndex;
    private readonly int _unprobed;
    private IrBlock? _next;

    // Per instruction: scratch registers in use and the registers evicted to make room.
    private int _taken;
    private readonly List<(int Register, int Slot)> _evicted = [];
    private readonly List<(VReg V, int Register)> _pendingStores = [];

    public FunctionEmitter(ProgramEmitter program, Assembler assembler, IrFunction f, LinearScan alloc, int outgoing)
    {
        _program = program;
        _a = assembler;
        _f = f;
        _alloc = alloc;
        var saved = new List<int>();
        if (!f.IsEntry)
        {
            // A function with spilled registers needs scratch registers anywhere: it saves every callee-saved register.
            var mask = alloc.AnySpilled ? RegisterMasks.CalleeSaved : alloc.UsedRegisters & RegisterMasks.CalleeSaved;
            foreach (var r in new[] { Gpr.Ebx, Gpr.Esi, Gpr.Edi, Gpr.Ebp }) if ((mask & (1 << r)) != 0) saved.Add(r);
        }
        _usable = f.IsEntry ? RegisterMasks.Allocatable : RegisterMasks.CallerSaved | saved.Aggregate(0, (m, r) => m | (1 << r));
        _busy = ComputeBusy();
        // Scratch registers are needed for spilled values (and the constant operand of a 64-bit comparison): only then
        // may an instruction have to evict a register, and only then does the frame reserve eviction slots.
        var tight = alloc.AnySpilled || f.Blocks.Any(b => b.Instructions.Any(i => i.Op == Op.SetCond64));
        _frame = new Frame(f, outgoing, alloc.SpillSlots, [.. saved], tight ? Frame.EvictionSlots : 0);
        _parameters = [.. f.Parameters];
        _parameterIndex = new int[f.VRegs.Count];
        Array.Fill(_parameterIndex, -1);
        for (var i = 0; i < f.Parameters.Count; i++) _parameterIndex[f.Parameters[i].Id] = i;
        _unprobed = Math.Min(4 * _frame.Body, TalLayout.MaxUnprobed);
        if (4 * _frame.Body > TalLayout.MaxUnprobed) _unprobed = (4 * _frame.Body) % TalLayout.MaxUnprobed;
    }

    private int[] ComputeBusy()
    {
        var count = _alloc.Number.Count;
        var busy = new int[count + 1];
        void Mark(LiveInterval iv, int reg)
        {
            foreach (var (s, e) in iv.Ranges)
                for (var p = s; p < e; p++) busy[Math.Min(p / 2, count)] |= 1 << reg;
        }
        foreach (var iv in _alloc.Intervals) if (iv.Register >= 0) Mark(iv, iv.Register);
        for (var r = 0; r < Gpr.Count; r++) Mark(_alloc.Fixed[r], r);
        return busy;
    }

    // ---- the function ------------------------------------------------------------------------------------

    public void Emit()
    {
        FindTargets();
        var entry = _program.LabelOf(_f);
        _program.PlaceLabel(ref entry, _f.Name, Frame.EntryType(_f), function: true);
        _program.MarkLocation(-1);
        foreach (var r in _frame.Saved) _a.push(R(r));
        var bytes = 4 * _frame.Body;
        // Frames beyond a page are probed page by page, so esp never runs more than a page below mapped stack.
        while (bytes > TalLayout.MaxUnprobed)
        {
            _a.sub(esp, TalLayout.MaxUnprobed - 4);
            _a.push(0);
            bytes -= TalLayout.MaxUnprobed;
        }
        if (bytes > 0) _a.sub(esp, bytes);

        for (var b = 0; b < _f.Blocks.Count; b++)
        {
            var block = _f.Blocks[b];
            _next = b + 1 < _f.Blocks.Count ? _f.Blocks[b + 1] : null;
            _proven.Clear();
            if (_targeted.Contains(block))
            {
                var label = LabelOf(block);
                _program.PlaceLabel(ref label, _f.Name + "." + block.Name, BlockType(b));
                _lengthRegisters = 0;   // a label's annotation types every register as a plain int
                _proven.Clear();
            }
            for (var k = 0; k < block.Instructions.Count; k++)
            {
                var inst = block.Instructions[k];
                _program.MarkLocation(inst.Location);
                if (k + 1 < block.Instructions.Count && FusesWithNext(inst, block.Instructions[k + 1]))
                {
                    // t = length(a); compare i, t  →  cmp i, [a]
                    _fused = (inst.Defs[0], RegOf(inst.Uses[0].Reg!));
                    continue;
                }
                if (k + 1 < block.Instructions.Count && FusesElementTest(inst, block.Instructions[k + 1]))
                {
                    _fusedTest = block.Instructions[++k];
                    Instruction(inst, _alloc.Number[inst]);
                    _fusedTest = null;
                    continue;
                }
                Instruction(inst, _alloc.Number[inst]);
                _fused = default;
            }
        }
    }

    private Label LabelOf(IrBlock b)
    {
        if (!_labels.TryGetValue(b, out var l)) _labels[b] = l = _a.CreateLabel();
        return l;
    }

    /// <summary>Blocks reached by an explicit jump (the others are entered only by falling through: no label).</summary>
    private void FindTargets()
    {
        for (var b = 0; b < _f.Blocks.Count; b++)
        {
            var t = _f.Blocks[b].Terminator;
            if (t is null) continue;
            var next = b + 1 < _f.Blocks.Count ? _f.Blocks[b + 1] : null;
            switch (t.Op)
            {
                case Op.Jump:
                    if (t.Target != next) _targeted.Add(t.Target!);
                    break;
                case Op.Branch:
                    if (t.Target == next) _targeted.Add(t.Else!);
                    else if (t.Else == next) _targeted.Add(t.Target!);
                    else { _targeted.Add(t.Target!); _targeted.Add(t.Else!); }
                    break;
                case Op.Branch64:
                    _targeted.Add(t.Target!);
                    _targeted.Add(t.Else!);
                    break;
            }
        }
    }

    /// <summary>The code type at the start of block b: live registers and spill slots with their types.</summary>
    private CodeType BlockType(int b)
    {
        var block = _f.Blocks[b];
        var regs = new ValType[Gpr.Count];
        Array.Fill(regs, JunkType.Instance);
        var slots = new ValType[_frame.Body + _frame.Saved.Length + (_f.IsEntry ? 0 : 1 + _f.ParameterTypes.Length + (_f.ResultsInRegisters ? 0 : _f.ResultTypes.Length))];
        Array.Fill(slots, JunkType.Instance);
        if (!_f.IsEntry)
        {
            foreach (var r in new[] { Gpr.Ebx, Gpr.Esi, Gpr.Edi, Gpr.Ebp })
                if (!_frame.Saved.Contains(r)) regs[r] = new VarType(Gpr.Name(r));
            for (var i = 0; i < _frame.Saved.Length; i++)
                slots[_frame.Body + _frame.Saved.Length - 1 - i] = new VarType(Gpr.Name(_frame.Saved[i]));
            slots[_frame.ReturnAddress / 4] = new RetType(Frame.ReturnType(_f));
            for (var i = 0; i < _f.ParameterTypes.Length; i++) slots[_frame.Argument(i) / 4] = _f.ParameterTypes[i];
        }
        var live = _alloc.LiveIn(block);
        for (var v = 0; v < live.Length; v++)
        {
            if (!live[v]) continue;
            var vreg = _f.VRegs[v];
            var iv = _alloc.Intervals[v];
            if (iv.Register >= 0)
                regs[iv.Register] = block.NonNullIn is { } known && known[v] && vreg.Type is PtrType p ? p with { Nullable = false } : vreg.Type;
            else if (_alloc.Home[v] >= 0) slots[_frame.Spill(_alloc.Home[v]) / 4] = vreg.Type;
            // A spilled parameter lives in its argument slot, already typed.
        }
        return new CodeType(regs, slots, _unprobed);
    }

    // ---- registers and operands ------------------------------------------------------------------------------

    private static AssemblerRegister32 R(int r) => new(Register.EAX + r);
    private static AssemblerRegister16 R16(int r) => new(Register.AX + r);
    private static AssemblerRegister8 R8(int r) => new(Register.AL + r);
    private static AssemblerMemoryOperand Slot(int offset) => __dword_ptr[esp + offset];

    private int RegOf(VReg v) => _alloc.Intervals[v.Id].Register;

    private int HomeOf(VReg v)
    {
        if (_alloc.Home[v.Id] >= 0) return _frame.Spill(_alloc.Home[v.Id]);
        if (_parameterIndex[v.Id] >= 0) return _frame.Argument(_parameterIndex[v.Id]);
        throw new InvalidOperationException($"{v} in {_f.Name} has neither a register nor a slot");
    }

    private (VReg? V, int Array) _fused;

    // Registers that may hold a len(a) refinement in the checker's view (written by a length load, or copied from one,
    // since the last label). A conservative over-approximation: a bit is only cleared at labels and by EmitElement.
    private int _lengthRegisters;

    // The bounds checks of this straight-line code: index register `Index` holds index(`Array`) in the checker's
    // view until either is written, a label is placed, a register is evicted or a call is made. A second access with
    // the same array and index (the store of a[i] += x) then needs no check.
    private readonly List<(VReg Array, VReg Index)> _proven = [];

    /// <summary>A length read only by the next compare (as its right operand) becomes that compare's memory operand.</summary>
    private bool FusesWithNext(Inst inst, Inst next)
    {
        if (inst.Op != Op.LoadLength || inst.NullCheck || !inst.Uses[0].IsReg || RegOf(inst.Uses[0].Reg!) < 0) return false;
        if (next.Op is not (Op.Branch or Op.PanicIf) || !next.Uses[1].IsReg || next.Uses[1].Reg != inst.Defs[0] || next.Uses[0].IsReg && next.Uses[0].Reg == inst.Defs[0]) return false;
        var iv = _alloc.Intervals[inst.Defs[0].Id];
        var n = _alloc.Number[inst];
        // The value dies at the compare (another definition of it elsewhere, after loop rotation, is fine).
        return _alloc.Number[next] == n + 1 && iv.Ranges.Any(r => r.Start <= 2 * n + 1 && r.End == 2 * n + 3);
    }

    private Loc LocOf(Opnd u) => u.IsReg && _fused.V is { } f && u.Reg == f ? Loc.LengthOf(_fused.Array) : u.Kind switch
    {
        OperandKind.Imm => Loc.Imm(u.Imm),
        OperandKind.Data => Loc.Imm((int)u.Data!.Address),
        _ => RegOf(u.Reg!) >= 0 ? Loc.Reg(RegOf(u.Reg!)) : Loc.Mem(HomeOf(u.Reg!)),
    };

    /// <summary>Starts an instruction: the registers it must not disturb are the live ones and its operands'.</summary>
    private void Begin(Inst inst, int n)
    {
        _taken = _busy[n] | (n + 1 < _busy.Length ? 0 : 0);
        foreach (var u in inst.Uses) if (u.IsReg && RegOf(u.Reg!) >= 0) _taken |= 1 << RegOf(u.Reg!);
        foreach (var d in inst.Defs) if (RegOf(d) >= 0) _taken |= 1 << RegOf(d);
        _evicted.Clear();
        _pendingStores.Clear();
    }

    /// <summary>A register for temporary use in this instruction, evicting a live one around it if none is free.</summary>
    private int Scratch(int allowed = RegisterMasks.Allocatable)
    {
        var candidates = _usable & allowed;
        foreach (var r in new[] { Gpr.Eax, Gpr.Ecx, Gpr.Edx, Gpr.Ebx, Gpr.Esi, Gpr.Edi, Gpr.Ebp })
            if ((candidates & (1 << r)) != 0 && (_taken & (1 << r)) == 0)
            {
                _taken |= 1 << r;
                return r;
            }
        // Evict: save a register that this instruction does not use (it may hold a value live across it).
        foreach (var r in new[] { Gpr.Ebx, Gpr.Esi, Gpr.Edi, Gpr.Ebp, Gpr.Eax, Gpr.Ecx, Gpr.Edx })
        {
            if ((candidates & (1 << r)) == 0 || _operandRegisters.Contains(r) || _evicted.Any(e => e.Register == r)) continue;
            if (_alloc.Fixed[r].Covers(2 * _current) || _alloc.Fixed[r].Covers(2 * _current + 1)) continue;
            var slot = _evicted.Count;
            if (slot >= _frame.Evictions) break;
            _proven.Clear();   // the evicted register comes back from memory as a plain int
            _a.mov(Slot(_frame.Eviction(slot)), R(r));
            _evicted.Add((r, slot));
            _taken |= 1 << r;
            return r;
        }
        throw new InvalidOperationException($"{_f.Name}: no scratch register for instruction {_current}");
    }

    private readonly HashSet<int> _operandRegisters = [];
    private int _current;

    /// <summary>Restores evicted registers (call before the instruction's jump, or at its end).</summary>
    private void Restore()
    {
        foreach (var (r, slot) in _evicted) _a.mov(R(r), Slot(_frame.Eviction(slot)));
        _evicted.Clear();
    }

    /// <summary>The register holding a use (a spilled value or a constant is loaded into a scratch register).</summary>
    private int Use(Opnd u, int allowed = RegisterMasks.Allocatable)
    {
        var loc = LocOf(u);
        if (loc.IsReg && (allowed & (1 << loc.Value)) != 0) return loc.Value;
        var s = Scratch(allowed);
        Load(s, loc);
        return s;
    }

    private void Load(int dst, Loc src)
    {
        switch (src.Kind)
        {
            case LocKind.Reg:
                if (src.Value == dst) break;
                _a.mov(R(dst), R(src.Value));
                if ((_lengthRegisters & (1 << src.Value)) != 0) _lengthRegisters |= 1 << dst;
                break;
            case LocKind.Mem: _a.mov(R(dst), Slot(src.Value)); break;
            default:
                if (src.Value == 0) _a.xor(R(dst), R(dst));
                else _a.mov(R(dst), src.Value);
                break;
        }
    }

    /// <summary>The register to compute a definition in (a scratch register for a spilled one, stored by <see cref="End"/>).</summary>
    private int Def(VReg d)
    {
        var r = RegOf(d);
        if (r >= 0) return r;
        var s = Scratch(d.Mask);
        _pendingStores.Add((d, s));
        return s;
    }

    /// <summary>Ends an instruction: spilled definitions go to their slots, evicted registers come back.</summary>
    private void End()
    {
        foreach (var (v, r) in _pendingStores) _a.mov(Slot(HomeOf(v)), R(r));
        _pendingStores.Clear();
        Restore();
    }

    private void Instruction(Inst inst, int n)
    {
        _current = n;
        _operandRegisters.Clear();
        foreach (var u in inst.Uses) if (u.IsReg && RegOf(u.Reg!) >= 0) _operandRegisters.Add(RegOf(u.Reg!));
        foreach (var d in inst.Defs) if (RegOf(d) >= 0) _operandRegisters.Add(RegOf(d));
        Begin(inst, n);
        // A definition of the array or the index, or a call (callee-saved registers come back as plain values), ends
        // what the last bounds check proved.
        // So does a compare that may refine a register itself (an unsigned compare with a length proves index(another)).
        if (inst.Op is Op.Call or Op.CallImport or Op.PanicIf or Op.Branch or Op.Branch64 or Op.SetCond or Op.Select) _proven.Clear();
        else if (inst.Defs.Length > 0) _proven.RemoveAll(p => inst.Defs.Contains(p.Array) || inst.Defs.Contains(p.Index));
        switch (inst.Op)
        {
            case Op.Arg: EmitArg(inst); break;
            case Op.Mov: EmitMov(inst); break;
            case Op.Add or Op.Sub or Op.And or Op.Or or Op.Xor or Op.Imul: EmitBinary(inst); break;
            case Op.Shl or Op.Shr or Op.Sar: EmitShift(inst); break;
            case Op.Neg or Op.Not: EmitUnary(inst); break;
            case Op.SignExtend8 or Op.ZeroExtend8 or Op.SignExtend16 or Op.ZeroExtend16: EmitExtend(inst); break;
            case Op.SetCond: EmitSetCond(inst); break;
            case Op.SetCond64: EmitSetCond64(inst); break;
            case Op.Select: EmitSelect(inst); break;
            case Op.Cdq: _a.cdq(); break;
            case Op.Div or Op.IDiv or Op.MulWide: EmitWide(inst); break;
            case Op.AddPair or Op.SubPair or Op.NegPair: EmitPair(inst); break;
            case Op.ShlPair or Op.ShrPair or Op.SarPair: EmitPairShift(inst); break;
            case Op.Load: EmitLoad(inst); break;
            case Op.Store: EmitStore(inst); break;
            case Op.LoadLength: EmitLoadLength(inst); break;
            case Op.LoadElem or Op.StoreElem: EmitElement(inst); break;
            case Op.PanicIf: EmitPanicIf(inst); break;
            case Op.Call or Op.CallImport: EmitCall(inst); break;
            case Op.Jump: Restore(); if (inst.Target != _next) _a.jmp(LabelOf(inst.Target!)); return;
            case Op.Branch: EmitBranch(inst); return;
            case Op.Branch64: EmitBranch64(inst); return;
            case Op.Return: EmitReturn(inst); return;
            case Op.Exit: EmitExit(inst); return;
            case Op.Panic: _a.jmp(_program.Stub(inst.PanicKind, inst.Location)); return;
            default: throw new InvalidOperationException($"no code for {inst.Op}");
        }
        End();
    }
}
