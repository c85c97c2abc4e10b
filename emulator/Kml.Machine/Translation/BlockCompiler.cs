using System.Reflection;
using System.Reflection.Emit;
using Iced.Intel;
using Kml.Machine.Decoding;
using Kml.Machine.Memory;
using Label = System.Reflection.Emit.Label;
using static Kml.Machine.Translation.TranslatedForms;

namespace Kml.Machine.Translation;

/// <summary>
/// Translates a hot decoded block into one IL method (<c>int Block(Cpu)</c>) that the .NET JIT compiles: common
/// 32-bit register and [base+disp] memory forms are emitted inline with their operands as constants (no dispatch,
/// no operand loads from the <see cref="Op"/>); every other instruction, and the slow path of every inline memory
/// access, calls the op's interpreter handler exactly as the interpreter loop would (same exit protocol, same
/// <see cref="Cpu.CurrentOp"/> bookkeeping for faults and accounting). Semantics therefore stay in one place
/// (the executors); the translation only removes interpretation overhead.
/// </summary>
internal static unsafe class BlockCompiler
{
    private static readonly FieldInfo FR = Field(nameof(Cpu.R));
    private static readonly FieldInfo FCurrentOp = Field(nameof(Cpu.CurrentOp));
    private static readonly FieldInfo FEip = Field(nameof(Cpu.EipField));
    private static readonly FieldInfo FFlagOp = Field(nameof(Cpu.FlagOp));
    private static readonly FieldInfo FFlagRes = Field(nameof(Cpu.FlagRes));
    private static readonly FieldInfo FFlagA = Field(nameof(Cpu.FlagA));
    private static readonly FieldInfo FFlagB = Field(nameof(Cpu.FlagB));
    private static readonly FieldInfo FSegEndRead = Field(nameof(Cpu.SegEndRead));
    private static readonly FieldInfo FSegEndWrite = Field(nameof(Cpu.SegEndWrite));
    private static readonly FieldInfo FSegBase = Field(nameof(Cpu.SegBase));
    private static readonly FieldInfo FTlbR = Field(nameof(Cpu.TlbR));
    private static readonly FieldInfo FTlbW = Field(nameof(Cpu.TlbW));
    private static readonly FieldInfo FFlagAux = Field(nameof(Cpu.FlagAux));
    private static readonly FieldInfo FCycles = Field(nameof(Cpu.CyclesField));
    private static readonly FieldInfo FPendingExit = Field(nameof(Cpu.PendingExit));
    private static readonly FieldInfo FRetired = Field(nameof(Cpu.RetiredField));
    private static readonly FieldInfo FNextEvent = Field(nameof(Cpu.NextEvent));
    private static readonly FieldInfo FLinksOwner = typeof(BlockLinks).GetField(nameof(BlockLinks.Owner))!;
    private static readonly FieldInfo FBlockValid = typeof(Block).GetField(nameof(Block.Valid))!;
    private static readonly MethodInfo MGetCF = typeof(Cpu).GetMethod(nameof(Cpu.GetCF), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly MethodInfo MInvoke = typeof(Func<Cpu, int>).GetMethod("Invoke")!;
    private static readonly MethodInfo MLeave = typeof(TranslatedExits).GetMethod(nameof(TranslatedExits.Leave))!;
    private static readonly MethodInfo MLeaveComputed = typeof(TranslatedExits).GetMethod(nameof(TranslatedExits.LeaveComputed))!;
    private static readonly MethodInfo MConditionSlow = typeof(Cpu).GetMethod(nameof(Cpu.ConditionSlow), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly MethodInfo MHandler = typeof(TranslatedExits).GetMethod(nameof(TranslatedExits.Handler))!;

    private static FieldInfo Field(string name) =>
        typeof(Cpu).GetField(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) ?? throw new MissingFieldException(nameof(Cpu), name);

    public static Func<Cpu, int>? Compile(Block b)
    {
        if (b.Instructions == null || b.LiveOut == null) return null;
        var dm = new DynamicMethod($"block_{b.Linear:x8}", typeof(int), [typeof(BlockLinks), typeof(Cpu)], typeof(Cpu).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        var e = new Emitter(il, InternalTargets(b, il));
        for (int i = 0; i < b.Count; i++)
        {
            Op* op = b.First + i;
            var ins = b.Instructions[i];
            e.MarkInternalTarget(i);
            if (e.TryInline(op, ins, b.LiveOut[i], last: i == b.Count - 1)) continue;
            if (i == b.Count - 1 && IsNearTransfer(ins)) e.CallHandlerThenLeave(op);
            else e.CallHandler(op);
        }
        // Falling off the end: continue at the sentinel's EIP (unreachable when the last op always leaves the block).
        Op* sentinel = b.First + b.Count;
        e.SetEipAndLeave(sentinel, sentinel->Eip, 0);
        e.Finish();
        var links = new BlockLinks(e.ExitTargets()) { Owner = b };
        b.Links = links;
        return (Func<Cpu, int>)dm.CreateDelegate(typeof(Func<Cpu, int>), links);
    }

    /// <summary>A label per loop target of <paramref name="b"/> (<see cref="TranslatedForms.LoopTargets"/>); null entries elsewhere.</summary>
    private static Label?[] InternalTargets(Block b, ILGenerator il)
    {
        var labels = new Label?[b.Count];
        if (TranslatedForms.LoopTargets(b) is { } targets)
            for (int i = 0; i < b.Count; i++)
                if (targets[i]) labels[i] = il.DefineLabel();
        return labels;
    }

    /// <summary>Jumps, calls and returns (indirect ones, loop/jecxz, and forms not inlined): their handler sets EIP and
    /// returns <see cref="Exit.Jump"/> and nothing else changes mode, so the block may continue into its successor's
    /// translation like an inline exit.</summary>
    private static bool IsNearTransfer(in Instruction ins) => ins.FlowControl is Iced.Intel.FlowControl.UnconditionalBranch
        or Iced.Intel.FlowControl.IndirectBranch or Iced.Intel.FlowControl.ConditionalBranch or Iced.Intel.FlowControl.Call
        or Iced.Intel.FlowControl.IndirectCall or Iced.Intel.FlowControl.Return;

    private sealed class Emitter(ILGenerator il, Label?[] internalTargets)
    {
        // The constant EIPs the block's exits go to, one link slot each (an array: List<uint> was JIT-compiled at start-up).
        private uint[] _targets = new uint[4];
        private int _targetCount;

        /// <summary>The slot of exit target <paramref name="target"/>, added on first use.</summary>
        private int TargetSlot(uint target)
        {
            for (int i = 0; i < _targetCount; i++)
                if (_targets[i] == target) return i;
            if (_targetCount == _targets.Length) Array.Resize(ref _targets, _targets.Length * 2);
            _targets[_targetCount] = target;
            return _targetCount++;
        }

        /// <summary>The exit targets in slot order (for <see cref="BlockLinks"/>).</summary>
        public uint[] ExitTargets()
        {
            var result = new uint[_targetCount];
            Array.Copy(_targets, result, _targetCount);
            return result;
        }

        private readonly LocalBuilder _ea = il.DeclareLocal(typeof(uint));
        private readonly LocalBuilder _lin = il.DeclareLocal(typeof(uint));
        private readonly LocalBuilder _e = il.DeclareLocal(typeof(TlbEntry*));
        private readonly LocalBuilder _a = il.DeclareLocal(typeof(uint));
        private readonly LocalBuilder _b = il.DeclareLocal(typeof(uint));
        private readonly LocalBuilder _res = il.DeclareLocal(typeof(uint));

        private static readonly Type[] HandlerArgs = [typeof(Cpu), typeof(Op).MakePointerType()];

        /// <summary>Every early return goes through one <c>ret</c> (with the exit code on the stack), emitted by <see cref="Finish"/>.</summary>
        private readonly Label _return = il.DefineLabel();

        /// <summary>Marks the label of instruction <paramref name="index"/> when a jump of the block targets it.</summary>
        public void MarkInternalTarget(int index)
        {
            if (internalTargets[index] is { } label) il.MarkLabel(label);
        }

        /// <summary>The op at <paramref name="eip"/> in <paramref name="from"/>'s block and its label, when jumps may continue
        /// there; else false.</summary>
        private bool TryInternalTarget(Op* from, uint eip, out Op* target, out Label label)
        {
            Op* first = from - from->Index;
            for (int i = 0; i < internalTargets.Length; i++)
            {
                if (first[i].Eip != eip) continue;
                target = first + i;
                label = internalTargets[i].GetValueOrDefault();
                return internalTargets[i].HasValue;
            }
            target = null;
            label = default;
            return false;
        }

        /// <summary>
        /// A taken jump from <paramref name="op"/> to the block's own instruction <paramref name="target"/>: accounts the
        /// instructions up to the jump as an exit would, then, unless an event is due (or an observer is attached) or the block
        /// was invalidated (exactly when the dispatch loop would not enter the next block directly), pre-subtracts the
        /// cycles and instructions before the target (later exits add the cumulative figures from the block start) and
        /// branches there. Otherwise it leaves with EIP = target like any exit.
        /// </summary>
        private void InternalJump(Op* op, Op* target, Label label, uint extraCycles)
        {
            var leave = il.DefineLabel();
            AddToCounter(FCycles, op->CumCost + (ulong)extraCycles);
            AddToCounter(FRetired, op->Index + 1UL);
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, FCycles);
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, FNextEvent);
            il.Emit(OpCodes.Bge_Un, leave);   // also taken whenever an observer is attached (NextEvent is then 0)
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, FLinksOwner); il.Emit(OpCodes.Ldfld, FBlockValid);
            il.Emit(OpCodes.Brfalse, leave);
            AddToCounter(FCycles, unchecked(0UL - (target->CumCost - target->Cost)));
            AddToCounter(FRetired, unchecked(0UL - target->Index));
            il.Emit(OpCodes.Br, label);
            il.MarkLabel(leave);
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldc_I4, (int)target->Eip); il.Emit(OpCodes.Stfld, FEip);
            il.Emit(OpCodes.Ldarg_1); Ptr(op); il.Emit(OpCodes.Stfld, FCurrentOp);
            il.Emit(OpCodes.Ldc_I4, Exit.JumpAccounted);
            il.Emit(OpCodes.Ret);
        }

        /// <summary>c.<paramref name="counter"/> += <paramref name="delta"/> (a 64-bit field; wraps, so a "negative" delta subtracts).</summary>
        private void AddToCounter(FieldInfo counter, ulong delta)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldfld, counter);
            il.Emit(OpCodes.Ldc_I8, unchecked((long)delta));
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stfld, counter);
        }

        /// <summary>A direct jump's taken path: continues inside the block when the target is one of its instructions,
        /// else leaves (<see cref="SetEipAndLeave"/>).</summary>
        private void Jump(Op* op, uint target, uint extraCycles)
        {
            if (TryInternalTarget(op, target, out Op* to, out var label)) InternalJump(op, to, label, extraCycles);
            else SetEipAndLeave(op, target, extraCycles);
        }

        /// <summary>c.CurrentOp = op; r = op->H(c, op); if (r != 0) return r;</summary>
        public void CallHandler(Op* op)
        {
            EmitHandlerCall(op);
            ReturnIfNonZero();
        }

        /// <summary>c.CurrentOp = op; then pushes op->H(c, op) (the handler called through its pointer, a constant here).</summary>
        private void EmitHandlerCall(Op* op)
        {
            il.Emit(OpCodes.Ldarg_1);
            Ptr(op);
            il.Emit(OpCodes.Stfld, FCurrentOp);
            il.Emit(OpCodes.Ldarg_1);
            Ptr(op);
            il.Emit(OpCodes.Ldc_I8, (long)op->H);
            il.Emit(OpCodes.Conv_I);
            il.EmitCalli(OpCodes.Calli, System.Reflection.CallingConventions.Standard, typeof(int), HandlerArgs, null);
        }

        /// <summary>The block's last op, a jump, call or return run by its handler: when the handler returns
        /// <see cref="Exit.Jump"/> (EIP set), leave through <see cref="TranslatedExits.LeaveComputed"/> (accounting, and the
        /// successor's translation when linked or in the jump cache) instead of returning to the dispatch loop; any other
        /// exit code (a fault, a stop) is handled as after <see cref="CallHandler"/>.</summary>
        public void CallHandlerThenLeave(Op* op)
        {
            var jumped = il.DefineLabel();
            var next = il.DefineLabel();
            EmitHandlerCall(op);
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, Exit.Jump);
            il.Emit(OpCodes.Beq, jumped);
            ReturnIfNonZero();
            il.Emit(OpCodes.Br, next);
            il.MarkLabel(jumped);
            il.Emit(OpCodes.Pop);
            // The dispatch loop clears a store's pending-exit request after every exit; so does this one.
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Stfld, FPendingExit);
            LeaveComputed(op);
            il.MarkLabel(next);
        }

        /// <summary>The slow path of an inline memory access (a TLB miss, a fault, a page holding code): the op's handler
        /// through <see cref="TranslatedExits.Handler"/>, which costs a call but much less IL than a direct call.</summary>
        private void SlowPath(Op* op)
        {
            il.Emit(OpCodes.Ldarg_1);
            Ptr(op);
            il.Emit(OpCodes.Call, MHandler);
            ReturnIfNonZero();
        }

        private void ReturnIfNonZero()
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Brtrue, _return);
            il.Emit(OpCodes.Pop);
        }

        /// <summary>Emits the shared return (after the block's last exit, so only branches reach it).</summary>
        public void Finish()
        {
            il.MarkLabel(_return);
            il.Emit(OpCodes.Ret);
        }

        /// <summary>Pushes condition <paramref name="cc"/> (0/1) in compact IL: the common producers (cmp/sub on 32 bits for
        /// the ordered conditions, any non-materialized result for ZF and SF) are tested inline, the rest calls the
        /// interpreter's out-of-line evaluation. (Inlining <c>Cpu.Condition</c> instead costs the JIT far more.)</summary>
        private void Condition(int cc)
        {
            var slow = il.DefineLabel();
            var done = il.DefineLabel();
            bool negate = (cc & 1) != 0;
            switch (cc)
            {
                case 4: case 5: // e / ne: ZF = (result == 0) for every lazily recorded operation
                    il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, FFlagOp); il.Emit(OpCodes.Ldc_I4, FlagKind.Materialized); il.Emit(OpCodes.Beq, slow);
                    il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, FFlagRes); il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Ceq);
                    break;
                case 8: case 9: // s / ns: the result's sign bit at the recorded operand size
                    il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, FFlagOp); il.Emit(OpCodes.Ldc_I4, FlagKind.Materialized); il.Emit(OpCodes.Beq, slow);
                    il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, FFlagRes);
                    il.Emit(OpCodes.Ldc_I4_8); il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, FFlagOp); il.Emit(OpCodes.Ldc_I4_3); il.Emit(OpCodes.And); il.Emit(OpCodes.Shl);
                    il.Emit(OpCodes.Ldc_I4_1); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Shr_Un); il.Emit(OpCodes.Ldc_I4_1); il.Emit(OpCodes.And);
                    break;
                case 2: case 3: case 6: case 7: case 12: case 13: case 14: case 15: // ordered: a cmp/sub of 32-bit values
                    il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, FFlagOp); il.Emit(OpCodes.Ldc_I4, FlagKind.Sub32); il.Emit(OpCodes.Bne_Un, slow);
                    il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, FFlagA); il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, FFlagB);
                    // b/ae: a < b unsigned; be/a: a > b unsigned (negated); l/ge, le/g: the signed twins.
                    il.Emit(cc switch { 2 or 3 => OpCodes.Clt_Un, 6 or 7 => OpCodes.Cgt_Un, 12 or 13 => OpCodes.Clt, _ => OpCodes.Cgt });
                    if (cc is 6 or 14) negate = true;       // be = !(a > b), le = !(a > b)
                    else if (cc is 7 or 15) negate = false; // a = a > b, g = a > b
                    break;
                default: // o, no, p, np: rare
                    il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldc_I4, cc); il.Emit(OpCodes.Call, MConditionSlow);
                    return;
            }
            if (negate) { il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Ceq); }
            il.Emit(OpCodes.Br, done);
            il.MarkLabel(slow);
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldc_I4, cc); il.Emit(OpCodes.Call, MConditionSlow);
            il.MarkLabel(done);
        }

        private void Ptr(Op* op)
        {
            il.Emit(OpCodes.Ldc_I8, (long)op);
            il.Emit(OpCodes.Conv_I);
        }

        private void RegAddr(int r)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldflda, FR);
            if (r != 0) { il.Emit(OpCodes.Ldc_I4, r * 4); il.Emit(OpCodes.Add); }
        }

        private void LoadReg(int r)
        {
            RegAddr(r);
            il.Emit(OpCodes.Ldind_U4);
        }

        /// <summary>Pushes register <paramref name="r"/> of <paramref name="size"/> bytes, zero-extended (8-bit: AL..BH numbering).</summary>
        private void LoadReg(int r, int size)
        {
            if (size == 4) { LoadReg(r); return; }
            if (size == 2) { LoadReg(r); il.Emit(OpCodes.Conv_U2); return; }
            LoadReg(r & 3);
            if ((r & 4) != 0) { il.Emit(OpCodes.Ldc_I4_8); il.Emit(OpCodes.Shr_Un); }
            il.Emit(OpCodes.Conv_U1);
        }

        /// <summary>Stores local <paramref name="value"/> into register <paramref name="r"/> of <paramref name="size"/> bytes (partial writes keep the rest).</summary>
        private void StoreReg(int r, int size, LocalBuilder value)
        {
            if (size == 4) { RegAddr(r); il.Emit(OpCodes.Ldloc, value); il.Emit(OpCodes.Stind_I4); return; }
            int reg = size == 1 ? r & 3 : r;
            int shift = size == 1 && (r & 4) != 0 ? 8 : 0;
            uint keep = size == 2 ? 0xFFFF_0000u : ~(0xFFu << shift);
            RegAddr(reg);
            LoadReg(reg);
            il.Emit(OpCodes.Ldc_I4, unchecked((int)keep));
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Ldloc, value);
            il.Emit(OpCodes.Ldc_I4, size == 2 ? 0xFFFF : 0xFF);
            il.Emit(OpCodes.And);
            if (shift != 0) { il.Emit(OpCodes.Ldc_I4, shift); il.Emit(OpCodes.Shl); }
            il.Emit(OpCodes.Or);
            il.Emit(OpCodes.Stind_I4);
        }

        private void LoadMem(int size) => il.Emit(size == 4 ? OpCodes.Ldind_U4 : size == 2 ? OpCodes.Ldind_U2 : OpCodes.Ldind_U1);
        private void StoreMem(int size) => il.Emit(size == 4 ? OpCodes.Stind_I4 : size == 2 ? OpCodes.Stind_I2 : OpCodes.Stind_I1);

        private void StoreField(FieldInfo f, LocalBuilder value)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldloc, value);
            il.Emit(OpCodes.Stfld, f);
        }

        private void StoreFieldConst(FieldInfo f, int value)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, value);
            il.Emit(OpCodes.Stfld, f);
        }


        /// <summary>Emits the op inline when its form is covered; false otherwise (the caller emits a handler call).</summary>
        public bool TryInline(Op* op, in Instruction ins, uint liveOut, bool last)
        {
            if (ins.HasLockPrefix || ins.HasRepPrefix || ins.HasRepnePrefix) return false;
            bool flagsLive = (liveOut & Cpu.ArithMask) != 0;
            switch (ins.Mnemonic)
            {
                case Mnemonic.Mov:
                    return Mov(op, ins);

                case Mnemonic.Lea:
                    if (!IsReg32(ins, 0)) return false;
                    RegAddr(op->R0);
                    EffectiveAddress(op);
                    il.Emit(OpCodes.Stind_I4);
                    return true;

                case Mnemonic.Add: case Mnemonic.Sub: case Mnemonic.And: case Mnemonic.Or: case Mnemonic.Xor:
                case Mnemonic.Cmp: case Mnemonic.Test:
                    return Binary(op, ins, flagsLive);

                case Mnemonic.Movzx: case Mnemonic.Movsx:
                    return Extend(op, ins);

                case Mnemonic.Inc: case Mnemonic.Dec:
                {
                    bool memForm = ins.Op0Kind == OpKind.Memory && ins.MemorySize.GetSize() == 4;
                    if (!IsReg32(ins, 0) && !memForm) return false;
                    if (!flagsLive && !memForm) goto case Mnemonic.Not;
                    var slow = il.DefineLabel(); var done = il.DefineLabel();
                    if (memForm) FastAccess(op, write: true, slow);
                    // The preserved CF (only when someone may read it), taken before the result replaces the flag state.
                    bool cfLive = (liveOut & Cpu.CF) != 0;
                    if (flagsLive && cfLive)
                    {
                        il.Emit(OpCodes.Ldarg_1);
                        il.Emit(OpCodes.Call, MGetCF);
                        il.Emit(OpCodes.Stloc, _b);
                    }
                    if (memForm) { LoadTarget(); LoadTarget(); il.Emit(OpCodes.Ldind_U4); }
                    else { RegAddr(op->R0); LoadReg(op->R0); }
                    il.Emit(OpCodes.Ldc_I4_1);
                    il.Emit(ins.Mnemonic == Mnemonic.Inc ? OpCodes.Add : OpCodes.Sub);
                    il.Emit(OpCodes.Dup);
                    il.Emit(OpCodes.Stloc, _res);
                    il.Emit(OpCodes.Stind_I4);
                    if (flagsLive)
                    {
                        StoreFieldConst(FFlagOp, (ins.Mnemonic == Mnemonic.Inc ? FlagKind.Inc : FlagKind.Dec) | 2);
                        StoreField(FFlagRes, _res);
                        if (cfLive) StoreField(FFlagAux, _b); else StoreFieldConst(FFlagAux, 0);
                    }
                    if (memForm)
                    {
                        il.Emit(OpCodes.Br, done);
                        il.MarkLabel(slow);
                        SlowPath(op);
                        il.MarkLabel(done);
                    }
                    return true;
                }

                case Mnemonic.Not: case Mnemonic.Neg:
                    if (!IsReg32(ins, 0)) return false;
                    if (ins.Mnemonic == Mnemonic.Neg && flagsLive) return false;
                    RegAddr(op->R0);
                    LoadReg(op->R0);
                    switch (ins.Mnemonic)
                    {
                        case Mnemonic.Inc: il.Emit(OpCodes.Ldc_I4_1); il.Emit(OpCodes.Add); break;
                        case Mnemonic.Dec: il.Emit(OpCodes.Ldc_I4_1); il.Emit(OpCodes.Sub); break;
                        case Mnemonic.Not: il.Emit(OpCodes.Not); break;
                        default: il.Emit(OpCodes.Neg); break;
                    }
                    il.Emit(OpCodes.Stind_I4);
                    return true;

                case Mnemonic.Rol: case Mnemonic.Ror: case Mnemonic.Shl: case Mnemonic.Sal: case Mnemonic.Shr: case Mnemonic.Sar:
                {
                    if (flagsLive || !IsReg32(ins, 0)) return false;
                    if (ins.Op1Kind == OpKind.Register) return ShiftByCl(op, ins.Mnemonic);
                    if (!IsImm(ins, 1)) return false;
                    int n = (int)(ins.GetImmediate(1) & 31);
                    if (n == 0) return true;
                    RegAddr(op->R0);
                    LoadReg(op->R0);
                    switch (ins.Mnemonic)
                    {
                        case Mnemonic.Rol: case Mnemonic.Ror:
                        {
                            int left = ins.Mnemonic == Mnemonic.Rol ? n : 32 - n;
                            il.Emit(OpCodes.Stloc, _a);
                            il.Emit(OpCodes.Ldloc, _a); il.Emit(OpCodes.Ldc_I4, left); il.Emit(OpCodes.Shl);
                            il.Emit(OpCodes.Ldloc, _a); il.Emit(OpCodes.Ldc_I4, 32 - left); il.Emit(OpCodes.Shr_Un);
                            il.Emit(OpCodes.Or);
                            break;
                        }
                        case Mnemonic.Shr: il.Emit(OpCodes.Ldc_I4, n); il.Emit(OpCodes.Shr_Un); break;
                        case Mnemonic.Sar: il.Emit(OpCodes.Ldc_I4, n); il.Emit(OpCodes.Shr); break;
                        default: il.Emit(OpCodes.Ldc_I4, n); il.Emit(OpCodes.Shl); break;
                    }
                    il.Emit(OpCodes.Stind_I4);
                    return true;
                }

                case Mnemonic.Jo: case Mnemonic.Jno: case Mnemonic.Jb: case Mnemonic.Jae: case Mnemonic.Je: case Mnemonic.Jne:
                case Mnemonic.Jbe: case Mnemonic.Ja: case Mnemonic.Js: case Mnemonic.Jns: case Mnemonic.Jp: case Mnemonic.Jnp:
                case Mnemonic.Jl: case Mnemonic.Jge: case Mnemonic.Jle: case Mnemonic.Jg:
                {
                    if (ins.Op0Kind != OpKind.NearBranch32) return false;
                    var notTaken = il.DefineLabel();
                    Condition(op->Aux);
                    il.Emit(OpCodes.Brfalse, notTaken);
                    Jump(op, op->Imm, op->Imm2);
                    il.MarkLabel(notTaken);
                    if (last) SetEipAndLeave(op, op->Next, 0); // else a side exit: the block goes on
                    return true;
                }

                case Mnemonic.Jmp:
                    if (ins.Op0Kind != OpKind.NearBranch32) return false;
                    Jump(op, op->Imm, 0);
                    return true;

                case Mnemonic.Push:
                {
                    bool reg = IsReg32(ins, 0), imm = IsImm(ins, 0);
                    if (!(reg || imm) || ins.Code is Code.Push_r16 or Code.Pushw_imm8 or Code.Push_imm16) return false;
                    if (reg) LoadReg(op->R0); else il.Emit(OpCodes.Ldc_I4, (int)op->Imm);
                    il.Emit(OpCodes.Stloc, _b);
                    var slow = il.DefineLabel(); var done = il.DefineLabel();
                    Push(_b, slow);
                    il.Emit(OpCodes.Br, done);
                    il.MarkLabel(slow);
                    SlowPath(op);
                    il.MarkLabel(done);
                    return true;
                }

                case Mnemonic.Pop:
                {
                    if (!IsReg32(ins, 0)) return false;
                    var slow = il.DefineLabel(); var done = il.DefineLabel();
                    Pop(slow);
                    il.Emit(OpCodes.Stloc, _res);
                    RegAddr(op->R0);
                    il.Emit(OpCodes.Ldloc, _res);
                    il.Emit(OpCodes.Stind_I4);
                    il.Emit(OpCodes.Br, done);
                    il.MarkLabel(slow);
                    SlowPath(op);
                    il.MarkLabel(done);
                    return true;
                }

                case Mnemonic.Call:
                {
                    if (ins.Op0Kind != OpKind.NearBranch32) return false;
                    var slow = il.DefineLabel();
                    il.Emit(OpCodes.Ldc_I4, (int)op->Next);
                    il.Emit(OpCodes.Stloc, _b);
                    Push(_b, slow);
                    SetEipAndLeave(op, op->Imm, 0);
                    il.MarkLabel(slow);
                    SlowPath(op);
                    return true;
                }

                case Mnemonic.Ret:
                {
                    if (ins.Code is not (Code.Retnd or Code.Retnd_imm16)) return false;
                    var slow = il.DefineLabel();
                    Pop(slow);
                    il.Emit(OpCodes.Stloc, _res);
                    if (op->Imm != 0)
                    {
                        RegAddr(4); LoadReg(4); il.Emit(OpCodes.Ldc_I4, (int)op->Imm); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stind_I4);
                    }
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Ldloc, _res);
                    il.Emit(OpCodes.Stfld, FEip);
                    LeaveComputed(op);
                    il.MarkLabel(slow);
                    SlowPath(op);
                    return true;
                }

                case Mnemonic.Seto: case Mnemonic.Setno: case Mnemonic.Setb: case Mnemonic.Setae: case Mnemonic.Sete: case Mnemonic.Setne:
                case Mnemonic.Setbe: case Mnemonic.Seta: case Mnemonic.Sets: case Mnemonic.Setns: case Mnemonic.Setp: case Mnemonic.Setnp:
                case Mnemonic.Setl: case Mnemonic.Setge: case Mnemonic.Setle: case Mnemonic.Setg:
                {
                    if (!IsGpr(ins, 0, out int size) || size != 1) return false;
                    Condition(op->Aux);
                    il.Emit(OpCodes.Stloc, _res);
                    StoreReg(op->R0, 1, _res);
                    return true;
                }

                case Mnemonic.Cmovo: case Mnemonic.Cmovno: case Mnemonic.Cmovb: case Mnemonic.Cmovae: case Mnemonic.Cmove: case Mnemonic.Cmovne:
                case Mnemonic.Cmovbe: case Mnemonic.Cmova: case Mnemonic.Cmovs: case Mnemonic.Cmovns: case Mnemonic.Cmovp: case Mnemonic.Cmovnp:
                case Mnemonic.Cmovl: case Mnemonic.Cmovge: case Mnemonic.Cmovle: case Mnemonic.Cmovg:
                {
                    if (!IsReg32(ins, 0) || !IsReg32(ins, 1)) return false;
                    var skip = il.DefineLabel();
                    Condition(op->Aux);
                    il.Emit(OpCodes.Brfalse, skip);
                    RegAddr(op->R0);
                    LoadReg(op->R1);
                    il.Emit(OpCodes.Stind_I4);
                    il.MarkLabel(skip);
                    return true;
                }

                case Mnemonic.Imul:
                {
                    // Two- and three-operand forms on registers, with dead flags: the truncated product.
                    if (flagsLive || ins.OpCount < 2 || !IsReg32(ins, 0) || !IsReg32(ins, 1)) return false;
                    RegAddr(op->R0);
                    LoadReg(op->R1);
                    if (ins.OpCount == 3) il.Emit(OpCodes.Ldc_I4, (int)op->Imm); else LoadReg(op->R0);
                    il.Emit(OpCodes.Mul);
                    il.Emit(OpCodes.Stind_I4);
                    return true;
                }

                case Mnemonic.Bswap:
                    if (!IsReg32(ins, 0)) return false;
                    RegAddr(op->R0);
                    LoadReg(op->R0);
                    il.Emit(OpCodes.Call, typeof(System.Buffers.Binary.BinaryPrimitives).GetMethod(nameof(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness), [typeof(uint)])!);
                    il.Emit(OpCodes.Stind_I4);
                    return true;

                default:
                    return false;
            }
        }

        /// <summary>A 32-bit shift or rotate by CL with dead flags (a count of 0 leaves the register unchanged).</summary>
        private bool ShiftByCl(Op* op, Mnemonic m)
        {
            // n = ecx & 31
            LoadReg(1);
            il.Emit(OpCodes.Ldc_I4, 31);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Stloc, _b);
            RegAddr(op->R0);
            LoadReg(op->R0);
            il.Emit(OpCodes.Stloc, _a);
            switch (m)
            {
                case Mnemonic.Rol: case Mnemonic.Ror:
                    // rotate left by k = n (rol) or (32 - n) & 31 (ror): (a << k) | (a >> ((32 - k) & 31)), k = 0 gives a
                    if (m == Mnemonic.Ror) { il.Emit(OpCodes.Ldc_I4, 32); il.Emit(OpCodes.Ldloc, _b); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Ldc_I4, 31); il.Emit(OpCodes.And); il.Emit(OpCodes.Stloc, _b); }
                    il.Emit(OpCodes.Ldloc, _a); il.Emit(OpCodes.Ldloc, _b); il.Emit(OpCodes.Shl);
                    il.Emit(OpCodes.Ldloc, _a);
                    il.Emit(OpCodes.Ldc_I4, 32); il.Emit(OpCodes.Ldloc, _b); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Ldc_I4, 31); il.Emit(OpCodes.And);
                    il.Emit(OpCodes.Shr_Un);
                    il.Emit(OpCodes.Ldloc, _b);
                    var rotated = il.DefineLabel(); var end = il.DefineLabel();
                    il.Emit(OpCodes.Brtrue, rotated);
                    il.Emit(OpCodes.Pop); il.Emit(OpCodes.Pop); il.Emit(OpCodes.Ldloc, _a); il.Emit(OpCodes.Br, end);
                    il.MarkLabel(rotated);
                    il.Emit(OpCodes.Or);
                    il.MarkLabel(end);
                    break;
                case Mnemonic.Shr: il.Emit(OpCodes.Ldloc, _a); il.Emit(OpCodes.Ldloc, _b); il.Emit(OpCodes.Shr_Un); break;
                case Mnemonic.Sar: il.Emit(OpCodes.Ldloc, _a); il.Emit(OpCodes.Ldloc, _b); il.Emit(OpCodes.Shr); break;
                default: il.Emit(OpCodes.Ldloc, _a); il.Emit(OpCodes.Ldloc, _b); il.Emit(OpCodes.Shl); break;
            }
            il.Emit(OpCodes.Stind_I4);
            return true;
        }

        /// <summary>mov between general registers, immediates and memory (8/16/32 bits).</summary>
        private bool Mov(Op* op, in Instruction ins)
        {
            bool r0 = IsGpr(ins, 0, out int s0), r1 = IsGpr(ins, 1, out int s1);
            bool m0 = ins.Op0Kind == OpKind.Memory, m1 = ins.Op1Kind == OpKind.Memory, i1 = IsImm(ins, 1);
            if (r0 && (r1 || i1))
            {
                if (r1) LoadReg(op->R1, s1); else il.Emit(OpCodes.Ldc_I4, (int)op->Imm);
                il.Emit(OpCodes.Stloc, _res);
                StoreReg(op->R0, s0, _res);
                return true;
            }
            if (r0 && m1)
            {
                var slow = il.DefineLabel(); var done = il.DefineLabel();
                FastAccess(op, write: false, slow, s0);
                LoadTarget();
                LoadMem(s0);
                il.Emit(OpCodes.Stloc, _res);
                StoreReg(op->R0, s0, _res);
                il.Emit(OpCodes.Br, done);
                il.MarkLabel(slow);
                SlowPath(op);
                il.MarkLabel(done);
                return true;
            }
            if (m0 && (r1 || i1))
            {
                int size = ins.MemorySize.GetSize();
                if (size is not (1 or 2 or 4)) return false;
                var slow = il.DefineLabel(); var done = il.DefineLabel();
                FastAccess(op, write: true, slow, size);
                LoadTarget();
                if (r1) LoadReg(op->R1, size); else il.Emit(OpCodes.Ldc_I4, (int)op->Imm);
                StoreMem(size);
                il.Emit(OpCodes.Br, done);
                il.MarkLabel(slow);
                SlowPath(op);
                il.MarkLabel(done);
                return true;
            }
            return false;
        }

        /// <summary>Writes local <paramref name="value"/> at SS:ESP−4 and decrements ESP; jumps to <paramref name="slow"/> (nothing changed) on a miss.</summary>
        private void Push(LocalBuilder value, Label slow)
        {
            FastAccess(() => { LoadReg(4); il.Emit(OpCodes.Ldc_I4_4); il.Emit(OpCodes.Sub); }, Cpu.SegSs, write: true, slow, 4);
            LoadTarget();
            il.Emit(OpCodes.Ldloc, value);
            il.Emit(OpCodes.Stind_I4);
            RegAddr(4);
            il.Emit(OpCodes.Ldloc, _ea);
            il.Emit(OpCodes.Stind_I4);
        }

        /// <summary>Pushes the doubleword at SS:ESP and increments ESP; jumps to <paramref name="slow"/> (nothing changed) on a miss.</summary>
        private void Pop(Label slow)
        {
            FastAccess(() => LoadReg(4), Cpu.SegSs, write: false, slow, 4);
            RegAddr(4);
            il.Emit(OpCodes.Ldloc, _ea);
            il.Emit(OpCodes.Ldc_I4_4);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stind_I4);
            LoadTarget();
            il.Emit(OpCodes.Ldind_U4);
        }

        /// <summary>EIP = target and the block accounted (<see cref="TranslatedExits.Leave"/>); with a valid link to the
        /// successor's translation and no event due, tail-calls it instead of returning to the dispatch loop.</summary>
        public void SetEipAndLeave(Op* op, uint target, uint extraCycles)
        {
            int slot = TargetSlot(target);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4, slot);
            Ptr(op);
            il.Emit(OpCodes.Ldc_I4, (int)target);
            il.Emit(OpCodes.Ldc_I4, (int)extraCycles);
            il.Emit(OpCodes.Call, MLeave);
            TailCallSuccessor();
        }

        /// <summary>The exit to a computed EIP (already set): <see cref="TranslatedExits.LeaveComputed"/>, tail-calling the
        /// successor it returns, else returning Exit.JumpAccounted.</summary>
        private void LeaveComputed(Op* op)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldarg_0);
            Ptr(op);
            il.Emit(OpCodes.Call, MLeaveComputed);
            TailCallSuccessor();
        }

        /// <summary>With the successor's translation (or null) on the stack: tail-calls it, else returns
        /// Exit.JumpAccounted (the exit helper has already accounted the block).</summary>
        private void TailCallSuccessor()
        {
            var noLink = il.DefineLabel();
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Brfalse, noLink);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Tailcall);
            il.Emit(OpCodes.Callvirt, MInvoke);
            il.Emit(OpCodes.Ret);
            il.MarkLabel(noLink);
            il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Ldc_I4, Exit.JumpAccounted);
            il.Emit(OpCodes.Ret);
        }

        /// <summary>movzx/movsx into a 32-bit register from an 8/16-bit register or memory.</summary>
        private bool Extend(Op* op, in Instruction ins)
        {
            if (!IsReg32(ins, 0)) return false;
            bool sign = ins.Mnemonic == Mnemonic.Movsx;
            if (ins.Op1Kind == OpKind.Register)
            {
                int size = Operands.RegSize(ins.Op1Register);
                if (size is not (1 or 2)) return false;
                RegAddr(op->R0);
                if (size == 1)
                {
                    int r = op->R1;
                    LoadReg(r & 3);
                    if ((r & 4) != 0) { il.Emit(OpCodes.Ldc_I4_8); il.Emit(OpCodes.Shr_Un); }
                    il.Emit(sign ? OpCodes.Conv_I1 : OpCodes.Conv_U1);
                }
                else
                {
                    LoadReg(op->R1);
                    il.Emit(sign ? OpCodes.Conv_I2 : OpCodes.Conv_U2);
                }
                il.Emit(OpCodes.Stind_I4);
                return true;
            }
            if (ins.Op1Kind != OpKind.Memory) return false;
            int msize = ins.MemorySize.GetSize();
            if (msize is not (1 or 2)) return false;
            var slow = il.DefineLabel(); var done = il.DefineLabel();
            FastAccess(op, write: false, slow, msize);
            RegAddr(op->R0);
            LoadTarget();
            il.Emit(msize == 1 ? (sign ? OpCodes.Ldind_I1 : OpCodes.Ldind_U1) : (sign ? OpCodes.Ldind_I2 : OpCodes.Ldind_U2));
            il.Emit(OpCodes.Stind_I4);
            il.Emit(OpCodes.Br, done);
            il.MarkLabel(slow);
            SlowPath(op);
            il.MarkLabel(done);
            return true;
        }

        /// <summary>add/sub/and/or/xor/cmp/test on 8/16/32-bit registers, immediates and memory.</summary>
        private bool Binary(Op* op, in Instruction ins, bool flagsLive)
        {
            var m = ins.Mnemonic;
            if (!TranslatedForms.TryBinary(ins, out var form)) return false;
            var (writes, _, mem0, reg1, _, mem1, size) = form;
            bool mem = form.Mem;
            if (!flagsLive && !writes && !mem) return true; // a register compare nobody reads
            uint mask = size == 4 ? 0xFFFF_FFFFu : size == 2 ? 0xFFFFu : 0xFFu;
            int sizeIdx = size == 4 ? 2 : size == 2 ? 1 : 0;
            var slow = il.DefineLabel(); var done = il.DefineLabel();
            if (mem) FastAccess(op, write: mem0 && writes, slow, size);
            if (mem0) { LoadTarget(); LoadMem(size); } else LoadReg(op->R0, size);
            il.Emit(OpCodes.Stloc, _a);
            if (mem1) { LoadTarget(); LoadMem(size); }
            else if (reg1) LoadReg(op->R1, size);
            else il.Emit(OpCodes.Ldc_I4, (int)(op->Imm & mask));
            il.Emit(OpCodes.Stloc, _b);
            il.Emit(OpCodes.Ldloc, _a);
            il.Emit(OpCodes.Ldloc, _b);
            int kind;
            switch (m)
            {
                case Mnemonic.Add: il.Emit(OpCodes.Add); kind = FlagKind.Add; break;
                case Mnemonic.Sub: case Mnemonic.Cmp: il.Emit(OpCodes.Sub); kind = FlagKind.Sub; break;
                case Mnemonic.And: case Mnemonic.Test: il.Emit(OpCodes.And); kind = FlagKind.Logic; break;
                case Mnemonic.Or: il.Emit(OpCodes.Or); kind = FlagKind.Logic; break;
                default: il.Emit(OpCodes.Xor); kind = FlagKind.Logic; break;
            }
            if (size != 4) { il.Emit(OpCodes.Ldc_I4, (int)mask); il.Emit(OpCodes.And); }
            il.Emit(OpCodes.Stloc, _res);
            if (writes)
            {
                if (mem0) { LoadTarget(); il.Emit(OpCodes.Ldloc, _res); StoreMem(size); }
                else StoreReg(op->R0, size, _res);
            }
            if (flagsLive)
            {
                StoreFieldConst(FFlagOp, kind | sizeIdx);
                StoreField(FFlagRes, _res);
                if (kind != FlagKind.Logic) { StoreField(FFlagA, _a); StoreField(FFlagB, _b); }
            }
            if (mem)
            {
                il.Emit(OpCodes.Br, done);
                il.MarkLabel(slow);
                SlowPath(op);
                il.MarkLabel(done);
            }
            return true;
        }

        /// <summary>ea = base + index &lt;&lt; scale + disp (on the stack).</summary>
        private void EffectiveAddress(Op* op)
        {
            LoadReg(op->Base);
            if (op->IndexReg != Operands.NoReg)
            {
                LoadReg(op->IndexReg);
                if (op->Scale != 0) { il.Emit(OpCodes.Ldc_I4, (int)op->Scale); il.Emit(OpCodes.Shl); }
                il.Emit(OpCodes.Add);
            }
            if (op->Disp != 0) { il.Emit(OpCodes.Ldc_I4, (int)op->Disp); il.Emit(OpCodes.Add); }
        }

        /// <summary>The inline segment check and TLB probe for a 4-byte access; on success _e and _lin locate the data,
        /// otherwise control goes to <paramref name="slow"/> (nothing has changed yet).</summary>
        private void FastAccess(Op* op, bool write, Label slow, int size = 4)
            => FastAccess(() => EffectiveAddress(op), op->Seg, write, slow, size);

        private void FastAccess(Action emitEa, int seg, bool write, Label slow, int size)
        {
            emitEa();
            il.Emit(OpCodes.Stloc, _ea);
            // (ulong)ea + 4 > segEnd[seg] → slow
            il.Emit(OpCodes.Ldloc, _ea);
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Ldc_I8, (long)size);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldflda, write ? FSegEndWrite : FSegEndRead);
            if (seg != 0) { il.Emit(OpCodes.Ldc_I4, seg * 8); il.Emit(OpCodes.Add); }
            il.Emit(OpCodes.Ldind_I8);
            il.Emit(OpCodes.Bgt_Un, slow);
            // lin = ea + segBase[seg]
            il.Emit(OpCodes.Ldloc, _ea);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldflda, FSegBase);
            if (seg != 0) { il.Emit(OpCodes.Ldc_I4, seg * 4); il.Emit(OpCodes.Add); }
            il.Emit(OpCodes.Ldind_U4);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc, _lin);
            // e = tlb + ((lin >> 12) & mask)
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldfld, write ? FTlbW : FTlbR);
            il.Emit(OpCodes.Ldloc, _lin);
            il.Emit(OpCodes.Ldc_I4, 12);
            il.Emit(OpCodes.Shr_Un);
            il.Emit(OpCodes.Ldc_I4, Tlb.Mask);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Ldc_I4, sizeof(TlbEntry));
            il.Emit(OpCodes.Mul);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc, _e);
            // e->Tag == (lin & 0xFFFFF003) else slow
            il.Emit(OpCodes.Ldloc, _e);
            il.Emit(OpCodes.Ldind_U4);
            il.Emit(OpCodes.Ldloc, _lin);
            il.Emit(OpCodes.Ldc_I4, unchecked((int)(0xFFFF_F000u | (uint)(size - 1))));
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Bne_Un, slow);
        }

        /// <summary>Pushes the host address e->Addend + lin.</summary>
        private void LoadTarget()
        {
            il.Emit(OpCodes.Ldloc, _e);
            il.Emit(OpCodes.Ldc_I4_8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldind_I8);
            il.Emit(OpCodes.Ldloc, _lin);
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Conv_U);
        }
    }
}
