using Iced.Intel;
using Kml.Machine.Decoding;
using Kml.Machine.Memory;
using static Kml.Machine.Translation.Native.X64Registers;
using static Kml.Machine.Translation.TranslatedForms;

namespace Kml.Machine.Translation.Native;

/// <summary>
/// Translates a hot decoded block straight to x86-64 machine code (<see cref="X64Assembler"/>; no .NET JIT), covering the
/// same forms as the IL translator (<see cref="BlockCompiler"/>) and a few more, with the same semantics, accounting and
/// exits (docs/machine.md, "Native translation of hot blocks"):
/// <list type="bullet">
/// <item>RBX points at the CPU's register file and every other field is addressed at its offset from it
/// (<see cref="NativeState"/>); guest EAX…EDI live in host R8D…R15D between the entry and the exit stub, so every
/// instruction boundary is a consistent CPU state once the exit stub has stored them back.</item>
/// <item>Native code never calls managed code. An instruction it does not cover, and the slow path of an inline memory
/// access (TLB miss, segment limit, a page holding code), returns <see cref="NativeExit.Handler"/> with
/// <see cref="Cpu.CurrentOp"/> set and <see cref="Cpu.NativeResume"/> pointing after the instruction: the dispatch loop
/// runs the op's interpreter handler — faults, accounting and restartability exactly as when interpreted — and, when it
/// returns <see cref="Exit.Next"/>, re-enters the code there.</item>
/// <item>Exits add the block's cycles and instructions, then jump straight into the linked successor's code when its
/// link slot was made in the current chain epoch and no event is due; a <c>ret</c> or indirect jump looks its target up in
/// the native jump cache. Every block checks its validity flag on entry. Otherwise they return
/// <see cref="Exit.JumpAccounted"/> naming the exiting block.</item>
/// </list>
/// The code holds no RIP-relative reference outside itself, so it is assembled at address 0 and copied anywhere.
/// </summary>
internal static unsafe class NativeBlockCompiler
{
    /// <summary>Translates <paramref name="b"/> for <paramref name="cpu"/>; false when the block cannot be translated
    /// (no decoded instructions kept, or the code arena is full).</summary>
    public static bool Compile(Block b, Cpu cpu)
    {
        // The inline TLB probe scales the index by shifting (see FastAccess).
        if (sizeof(TlbEntry) != 16) throw new NotSupportedException($"a TLB entry of {sizeof(TlbEntry)} bytes");
        if (b.Instructions == null || b.LiveOut == null) return false;
        var state = cpu.NativeStateOrCreate();
        int id = state.Register(b);
        var data = NativeBlock.AllocateData(2 * b.Count + 2);
        var e = new Emitter(b, state, id, data);
        var code = e.Emit();
        byte* at = ExecutableMemory.Place(code);
        if (at == null) return false;
        b.Native = new NativeBlock((nint)at, id, e.ExitTargets(), data);
        PerfMap.Add((nint)at, code.Length, b.Linear);
        return true;
    }

    private sealed class Emitter
    {
        private readonly X64Assembler a = new();
        private readonly Block _b;
        private readonly NativeState L;
        private readonly int _id;
        private readonly long[] _data;
        private readonly Label?[] _internal;
        // Slow paths to emit after the block. Arrays of our own structs, not a List of tuples: ReadyToRun cannot precompile
        // framework generics over our types, so each such instantiation was JIT-compiled at every start.
        private SlowPath[] _slowPaths = new SlowPath[16];
        private int _slowPathCount;
        private uint[] _targets = new uint[4];
        private int _targetCount;
        /// <summary>The <see cref="FlagKind"/> the lazy flag state in memory certainly has here (the last inline flag
        /// producer of the block, whose interpreter handler records the same kind on its slow path), or −1.</summary>
        private int _knownFlags = -1;

        public Emitter(Block b, NativeState state, int id, long[] data)
        {
            _b = b;
            L = state;
            _id = id;
            _data = data;
            _internal = InternalTargets(b);
        }

        public byte[] Emit()
        {
            // Entry: leave at once when the block was invalidated (a linked predecessor jumps here without looking).
            var body = a.CreateLabel();
            a.mov(rax, (ulong)NativeBlock.Address(_data, 0));
            a.cmp(__qword_ptr[rax], 0);
            a.jne(body);
            a.mov(__dword_ptr[rbx + L.Eip], unchecked((int)_b.Linear));   // a linked predecessor leaves EIP to its successor
            a.mov(__dword_ptr[rbx + L.ExitBlock], -1);
            a.mov(eax, Exit.JumpAccounted);
            Return();
            Mark(ref body);
            for (int i = 0; i < _b.Count; i++)
            {
                Op* op = _b.First + i;
                var ins = _b.Instructions![i];
                if (_internal[i] is { } target) { var l = target; Mark(ref l); _knownFlags = -1; }
                if (!TryInline(op, ins, _b.LiveOut![i], last: i == _b.Count - 1)) HandlerInline(op);
            }
            Op* sentinel = _b.First + _b.Count;
            SetEipAndLeave(sentinel, sentinel->Eip, 0);
            for (int i = 0; i < _slowPathCount; i++)
            {
                var path = _slowPaths[i];
                Mark(ref path.Slow);
                HandlerExit(path.Op, path.Resume);
            }
            return a.ToArray();
        }

        public uint[] ExitTargets()
        {
            var result = new uint[_targetCount];
            Array.Copy(_targets, result, _targetCount);
            return result;
        }

        private int TargetSlot(uint target)
        {
            for (int i = 0; i < _targetCount; i++)
                if (_targets[i] == target) return i;
            if (_targetCount == _targets.Length)
            {
                var larger = new uint[_targets.Length * 2];
                Array.Copy(_targets, larger, _targetCount);
                _targets = larger;
            }
            _targets[_targetCount] = target;
            return _targetCount++;
        }

        /// <summary>A label per loop target of <paramref name="b"/> (<see cref="TranslatedForms.LoopTargets"/>).</summary>
        private Label?[] InternalTargets(Block b)
        {
            var labels = new Label?[b.Count];
            if (TranslatedForms.LoopTargets(b) is { } targets)
                for (int i = 0; i < b.Count; i++)
                    if (targets[i]) labels[i] = a.CreateLabel();
            return labels;
        }

        /// <summary>Places <paramref name="label"/> here.</summary>
        private void Mark(ref Label label) => a.Label(ref label);

        // ---- exits ----

        /// <summary>Leaves native code with the exit code in EAX: through the shared exit stub, which stores the guest
        /// registers back into the register file and restores the host's.</summary>
        private void Return()
        {
            a.mov(rcx, (ulong)NativeState.ExitStub);
            a.jmp(rcx);
        }

        /// <summary>Returns <see cref="NativeExit.Handler"/> for <paramref name="op"/>, to resume at <paramref name="resume"/>.</summary>
        private void HandlerExit(Op* op, Label resume)
        {
            a.mov(rax, (ulong)op);
            a.mov(__qword_ptr[rbx + L.CurrentOp], rax);
            a.lea(rax, resume);
            a.mov(__qword_ptr[rbx + L.Resume], rax);
            a.mov(__dword_ptr[rbx + L.ExitBlock], _id);
            a.mov(eax, NativeExit.Handler);
            Return();
        }

        /// <summary>An op run by its interpreter handler; the code continues after it.</summary>
        private void HandlerInline(Op* op)
        {
            var resume = a.CreateLabel();
            HandlerExit(op, resume);
            Mark(ref resume);
            _knownFlags = -1;
        }

        /// <summary>A slow path (emitted after the block) that runs <paramref name="op"/>'s handler and resumes at
        /// <paramref name="resume"/>.</summary>
        private Label Slow(Op* op, Label resume)
        {
            var slow = a.CreateLabel();
            if (_slowPathCount == _slowPaths.Length)
            {
                var larger = new SlowPath[_slowPaths.Length * 2];
                Array.Copy(_slowPaths, larger, _slowPathCount);
                _slowPaths = larger;
            }
            _slowPaths[_slowPathCount++] = new SlowPath { Slow = slow, Op = op, Resume = resume };
            return slow;
        }

        private void Account(Op* op, uint extraCycles)
        {
            a.add(__qword_ptr[rbx + L.Cycles], checked((int)(op->CumCost + extraCycles)));
            a.add(__qword_ptr[rbx + L.Retired], op->Index + 1);
        }

        private void ReturnAccounted(Op* op)
        {
            a.mov(rax, (ulong)op);
            a.mov(__qword_ptr[rbx + L.CurrentOp], rax);
            a.mov(__dword_ptr[rbx + L.ExitBlock], _id);
            a.mov(eax, Exit.JumpAccounted);
            Return();
        }

        /// <summary>EIP = target, the block accounted; then the linked successor when its link is current and no event is due.</summary>
        private void SetEipAndLeave(Op* op, uint target, uint extraCycles)
        {
            int slot = TargetSlot(target);
            var leave = a.CreateLabel();
            Account(op, extraCycles);
            a.mov(rax, __qword_ptr[rbx + L.Cycles]);
            a.cmp(rax, __qword_ptr[rbx + L.NextEvent]);
            a.jae(leave);   // also whenever an observer is attached (NextEvent is then 0)
            a.mov(rax, (ulong)NativeBlock.Address(_data, 1 + 2 * slot));
            a.mov(ecx, __dword_ptr[rbx + L.ChainEpoch]);
            a.cmp(rcx, __qword_ptr[rax + 8]);
            a.jne(leave);
            a.mov(rax, __qword_ptr[rax]);
            a.test(rax, rax);
            a.jz(leave);
            a.jmp(rax);
            Mark(ref leave);
            // EIP is only stored when leaving native code: like the interpreter's, it is meaningful at the boundaries
            // where managed code looks at it (faults take it from CurrentOp, handlers use their op's addresses), and a
            // linked successor that finds itself invalid stores its own.
            a.mov(__dword_ptr[rbx + L.Eip], unchecked((int)target));
            ReturnAccounted(op);
        }

        /// <summary>The exit to a computed EIP, which is in EAX and already stored: the successor from the jump cache.</summary>
        private void LeaveComputed(Op* op)
        {
            var leave = a.CreateLabel();
            Account(op, 0);
            a.mov(rcx, __qword_ptr[rbx + L.Cycles]);
            a.cmp(rcx, __qword_ptr[rbx + L.NextEvent]);
            a.jae(leave);
            a.mov(ecx, eax);
            a.shr(ecx, 11);
            a.xor(ecx, eax);
            a.and(ecx, Cpu.JumpCacheSize - 1);
            a.shl(ecx, 4);
            a.mov(rdx, (ulong)L.JumpCachePtr);
            a.add(rdx, rcx);
            a.cmp(__dword_ptr[rdx], eax);
            a.jne(leave);
            a.mov(ecx, __dword_ptr[rbx + L.ChainEpoch]);
            a.cmp(__dword_ptr[rdx + 4], ecx);
            a.jne(leave);
            a.mov(rax, __qword_ptr[rdx + 8]);
            a.test(rax, rax);
            a.jz(leave);
            a.jmp(rax);
            Mark(ref leave);
            ReturnAccounted(op);
        }

        /// <summary>A taken direct jump: inside the block when the target is a loop label, else an exit.</summary>
        private void Jump(Op* op, uint target, uint extraCycles)
        {
            Op* first = _b.First;
            for (int i = 0; i < _b.Count; i++)
            {
                if (first[i].Eip != target || _internal[i] is not { } label) continue;
                InternalJump(op, first + i, label, extraCycles);
                return;
            }
            SetEipAndLeave(op, target, extraCycles);
        }

        /// <summary>A jump to the block's own instruction <paramref name="target"/>, accounted and event-checked like an
        /// exit; the cycles and instructions before the target are subtracted again (later exits add cumulative figures).</summary>
        private void InternalJump(Op* op, Op* target, Label label, uint extraCycles)
        {
            var leave = a.CreateLabel();
            Account(op, extraCycles);
            a.mov(rax, __qword_ptr[rbx + L.Cycles]);
            a.cmp(rax, __qword_ptr[rbx + L.NextEvent]);
            a.jae(leave);
            a.mov(rax, (ulong)NativeBlock.Address(_data, 0));
            a.cmp(__qword_ptr[rax], 0);
            a.je(leave);
            a.sub(__qword_ptr[rbx + L.Cycles], checked((int)(target->CumCost - target->Cost)));
            a.sub(__qword_ptr[rbx + L.Retired], (int)target->Index);
            a.jmp(label);
            Mark(ref leave);
            a.mov(__dword_ptr[rbx + L.Eip], unchecked((int)target->Eip));
            ReturnAccounted(op);
        }

        // ---- registers and memory ----

        /// <summary>Guest register <paramref name="r"/> (0 = EAX … 7 = EDI): while native code runs, guest EAX…EDI live in
        /// host R8D…R15D (loaded by the entry stub, stored back by the exit stub).</summary>
        private static Reg32 G(int r) => new(8 + r);
        private static Reg64 G64(int r) => new(8 + r);

        /// <summary>dst = register <paramref name="r"/> of <paramref name="size"/> bytes, zero-extended (8-bit: AL..BH numbering).</summary>
        private void LoadReg(Reg32 dst, int r, int size)
        {
            if (size == 4) a.mov(dst, G(r));
            else if (size == 2) a.movzx(dst, new Reg16(8 + r));
            else if ((r & 4) == 0) a.movzx(dst, new Reg8(8 + r));
            else
            {
                // AH..BH: bits 8–15 of EAX..EBX (the host has no high-byte form of R8..R11).
                a.mov(dst, G(r & 3));
                a.shr(dst, 8);
                a.movzx(dst, Low8(dst));
            }
        }

        /// <summary>Register <paramref name="r"/> of <paramref name="size"/> bytes = the low part of <paramref name="src"/>
        /// (EAX, ECX or EDX, unchanged); partial writes keep the rest. Uses ESI for AH..BH.</summary>
        private void StoreReg(int r, int size, Reg32 src)
        {
            if (size == 4) a.mov(G(r), src);
            else if (size == 2) a.mov(new Reg16(8 + r), Low16(src));
            else if ((r & 4) == 0) a.mov(new Reg8(8 + r), Low8(src));
            else
            {
                a.movzx(esi, Low8(src));
                a.shl(esi, 8);
                a.and(G(r & 3), unchecked((int)0xFFFF_00FFu));
                a.or(G(r & 3), esi);
            }
        }

        private static Reg16 Low16(Reg32 r) =>
            r == eax ? ax : r == edx ? dx : r == ecx ? cx : throw new ArgumentException("no 16-bit part chosen for " + r);

        private static Reg8 Low8(Reg32 r) =>
            r == eax ? al : r == edx ? dl : r == ecx ? cl : throw new ArgumentException("no 8-bit part chosen for " + r);

        private void LoadMem(Reg32 dst, int size)
        {
            if (size == 4) a.mov(dst, __dword_ptr[rdi]);
            else if (size == 2) a.movzx(dst, __word_ptr[rdi]);
            else a.movzx(dst, __byte_ptr[rdi]);
        }

        private void StoreMem(int size, Reg32 src)
        {
            if (size == 4) a.mov(__dword_ptr[rdi], src);
            else if (size == 2) a.mov(__word_ptr[rdi], Low16(src));
            else a.mov(__byte_ptr[rdi], Low8(src));
        }

        /// <summary>ECX = base + index &lt;&lt; scale + disp (32-bit wrap-around: lea keeps the low 32 bits).</summary>
        private void EffectiveAddress(Op* op)
        {
            bool hasBase = op->Base != Operands.NoReg, hasIndex = op->IndexReg != Operands.NoReg;
            int disp = unchecked((int)op->Disp);
            if (!hasBase && !hasIndex) { a.mov(ecx, disp); return; }
            int scale = 1 << op->Scale;
            if (hasBase && hasIndex) a.lea(ecx, __[G64(op->Base) + G64(op->IndexReg) * scale + disp]);
            else if (hasBase) a.lea(ecx, __[G64(op->Base) + disp]);
            else a.lea(ecx, __[G64(op->IndexReg) * scale + disp]);
        }

        /// <summary>With the effective address in ECX: the segment check and TLB probe of a <paramref name="size"/>-byte
        /// access. On success RDI is the host address (ESI the linear one, ECX still the offset); otherwise control goes
        /// to <paramref name="slow"/> with nothing changed. Uses ECX, EDX, ESI, EDI and EBP; EAX is preserved.</summary>
        private void FastAccess(int seg, bool write, Label slow, int size)
        {
            a.lea(rbp, __[rcx + size]);   // RCX holds the zero-extended offset, so this is the 33-bit end
            a.cmp(rbp, __qword_ptr[rbx + ((write ? L.SegEndWrite : L.SegEndRead) + seg * 8)]);
            a.ja(slow);
            a.mov(esi, ecx);
            a.add(esi, __dword_ptr[rbx + (L.SegBase + seg * 4)]);
            // The entry's offset in the table, ((lin >> 12) & Mask) * 16, in two steps.
            a.mov(edx, esi);
            a.shr(edx, 12 - 4);
            a.and(edx, Tlb.Mask << 4);
            a.add(rdx, __qword_ptr[rbx + (write ? L.TlbW : L.TlbR)]);
            a.mov(ebp, esi);
            a.and(ebp, unchecked((int)(0xFFFF_F000u | (uint)(size - 1))));
            a.cmp(ebp, __dword_ptr[rdx]);
            a.jne(slow);
            a.mov(rdi, __qword_ptr[rdx + 8]);
            a.add(rdi, rsi);
        }

        private void FastAccess(Op* op, bool write, Label slow, int size)
        {
            EffectiveAddress(op);
            FastAccess(op->Seg, write, slow, size);
        }

        // ---- conditions ----

        /// <summary>The lazily recorded producers whose flags <see cref="FlagsToHost"/> can recreate, most frequent first.</summary>
        private static readonly int[] HostFlagKinds =
        [
            FlagKind.Sub | 2, FlagKind.Logic | 2, FlagKind.Sub | 0, FlagKind.Logic | 0, FlagKind.Add | 2,
            FlagKind.Inc | 2, FlagKind.Dec | 2, FlagKind.Sub | 1, FlagKind.Logic | 1,
        ];

        private static bool HostFlagsFor(int kind)
        {
            foreach (int k in HostFlagKinds)
                if (k == kind) return true;
            return false;
        }

        /// <summary>Leaves the host's arithmetic flags (CF, PF, ZF, SF, OF) equal to the guest's for lazily recorded flags
        /// of kind <paramref name="kind"/>, by redoing the producing operation on the recorded operands: cmp for sub, test
        /// for logic, add, and inc/dec of the operand recovered from the result with CF loaded from FlagAux first (inc and
        /// dec keep CF). AF is not reproduced (no inline reader needs it). Uses EAX.</summary>
        private void FlagsToHost(int kind)
        {
            int size = kind & 3;
            switch (kind >> 2)
            {
                case 2: // sub/cmp
                    a.mov(eax, __dword_ptr[rbx + L.FlagA]);
                    if (size == 2) a.cmp(eax, __dword_ptr[rbx + L.FlagB]);
                    else if (size == 1) a.cmp(ax, __word_ptr[rbx + L.FlagB]);
                    else a.cmp(al, __byte_ptr[rbx + L.FlagB]);
                    break;
                case 4: // logic
                    a.mov(eax, __dword_ptr[rbx + L.FlagRes]);
                    if (size == 2) a.test(eax, eax); else if (size == 1) a.test(ax, ax); else a.test(al, al);
                    break;
                case 0: // add
                    a.mov(eax, __dword_ptr[rbx + L.FlagA]);
                    a.add(eax, __dword_ptr[rbx + L.FlagB]);
                    break;
                case 5: // inc: operand = result - 1
                    a.mov(eax, __dword_ptr[rbx + L.FlagRes]);
                    a.lea(eax, __[rax - 1]);
                    a.bt(__dword_ptr[rbx + L.FlagAux], 0);
                    a.inc(eax);
                    break;
                default: // dec: operand = result + 1
                    a.mov(eax, __dword_ptr[rbx + L.FlagRes]);
                    a.lea(eax, __[rax + 1]);
                    a.bt(__dword_ptr[rbx + L.FlagAux], 0);
                    a.dec(eax);
                    break;
            }
        }

        /// <summary>Jumps to <paramref name="target"/> when guest condition <paramref name="cc"/> holds and falls through
        /// when it does not; goes to <paramref name="slow"/> (the interpreter's handler) when the flags were recorded by a
        /// producer it cannot redo. When the block itself recorded them, the producer's kind is known here and only its
        /// case is emitted. Uses EAX and ECX.</summary>
        private void Branch(int cc, Label target, Label slow)
        {
            if (_knownFlags >= 0)
            {
                if (!HostFlagsFor(_knownFlags)) { a.jmp(slow); return; }
                FlagsToHost(_knownFlags);
                a.jcc(cc, target);
                return;
            }
            var end = a.CreateLabel();
            a.mov(ecx, __dword_ptr[rbx + L.FlagOp]);
            foreach (int kind in HostFlagKinds)
            {
                var next = a.CreateLabel();
                a.cmp(ecx, kind);
                a.jne(next);
                FlagsToHost(kind);
                a.jcc(cc, target);
                a.jmp(end);
                Mark(ref next);
            }
            a.jmp(slow);
            Mark(ref end);
        }

        // ---- instructions ----

        /// <summary>Emits the op natively when its form is covered; false otherwise (the caller emits a handler exit).</summary>
        private bool TryInline(Op* op, in Instruction ins, uint liveOut, bool last)
        {
            if ((ins.HasLockPrefix && ins.Mnemonic is not (Mnemonic.Cmpxchg or Mnemonic.Xchg)) || ins.HasRepPrefix || ins.HasRepnePrefix) return false;
            bool flagsLive = (liveOut & Cpu.ArithMask) != 0;
            switch (ins.Mnemonic)
            {
                case Mnemonic.Mov:
                    return Mov(op, ins);

                case Mnemonic.Lea:
                    if (!IsReg32(ins, 0)) return false;
                    EffectiveAddress(op);
                    a.mov(G(op->R0), ecx);
                    return true;

                case Mnemonic.Add: case Mnemonic.Sub: case Mnemonic.And: case Mnemonic.Or: case Mnemonic.Xor:
                case Mnemonic.Cmp: case Mnemonic.Test:
                    return Binary(op, ins, flagsLive);

                case Mnemonic.Movzx: case Mnemonic.Movsx:
                    return Extend(op, ins);

                case Mnemonic.Inc: case Mnemonic.Dec:
                    return IncDec(op, ins, liveOut, flagsLive);

                case Mnemonic.Not: case Mnemonic.Neg:
                    if (!IsReg32(ins, 0)) return false;
                    if (ins.Mnemonic == Mnemonic.Neg && flagsLive) return false;
                    if (ins.Mnemonic == Mnemonic.Not) a.not(G(op->R0)); else a.neg(G(op->R0));
                    return true;

                case Mnemonic.Rol: case Mnemonic.Ror: case Mnemonic.Shl: case Mnemonic.Sal: case Mnemonic.Shr: case Mnemonic.Sar:
                    return Shift(op, ins, flagsLive);

                case Mnemonic.Jo: case Mnemonic.Jno: case Mnemonic.Jb: case Mnemonic.Jae: case Mnemonic.Je: case Mnemonic.Jne:
                case Mnemonic.Jbe: case Mnemonic.Ja: case Mnemonic.Js: case Mnemonic.Jns: case Mnemonic.Jp: case Mnemonic.Jnp:
                case Mnemonic.Jl: case Mnemonic.Jge: case Mnemonic.Jle: case Mnemonic.Jg:
                {
                    if (ins.Op0Kind != OpKind.NearBranch32) return false;
                    var notTaken = a.CreateLabel();
                    Branch(op->Aux ^ 1, notTaken, Slow(op, notTaken));
                    Jump(op, op->Imm, op->Imm2);
                    Mark(ref notTaken);
                    if (last) SetEipAndLeave(op, op->Next, 0); // else a side exit: the block goes on
                    return true;
                }

                case Mnemonic.Jmp:
                    if (ins.Op0Kind == OpKind.NearBranch32) { Jump(op, op->Imm, 0); return true; }
                    if (ins.Code != Code.Jmp_rm32) return false;
                    if (ins.Op0Kind == OpKind.Register) a.mov(eax, G(op->R0));
                    else
                    {
                        var after = a.CreateLabel();
                        FastAccess(op, write: false, Slow(op, after), 4);
                        a.mov(eax, __dword_ptr[rdi]);
                        a.mov(__dword_ptr[rbx + L.Eip], eax);
                        LeaveComputed(op);
                        Mark(ref after);
                        return true;
                    }
                    a.mov(__dword_ptr[rbx + L.Eip], eax);
                    LeaveComputed(op);
                    return true;

                case Mnemonic.Nop:
                    return true;

                case Mnemonic.Cld:
                    a.and(__dword_ptr[rbx + L.EflagsRest], unchecked((int)~Cpu.DF));
                    return true;

                case Mnemonic.Std:
                    a.or(__dword_ptr[rbx + L.EflagsRest], (int)Cpu.DF);
                    return true;

                case Mnemonic.Xchg:
                    return Exchange(op, ins);

                case Mnemonic.Cmpxchg:
                    return CompareExchange(op, ins, flagsLive);

                case Mnemonic.Movsb: case Mnemonic.Movsd: case Mnemonic.Stosb: case Mnemonic.Stosd:
                    return StringOnce(op, ins);

                case Mnemonic.Push:
                {
                    bool reg = IsReg32(ins, 0), imm = IsImm(ins, 0), mem = ins.Code == Code.Push_rm32 && ins.Op0Kind == OpKind.Memory;
                    if (!(reg || imm || mem) || ins.Code is Code.Push_r16 or Code.Pushw_imm8 or Code.Push_imm16) return false;
                    var done = a.CreateLabel();
                    var slow = Slow(op, done);
                    if (mem)
                    {
                        FastAccess(op, write: false, slow, 4);
                        a.mov(eax, __dword_ptr[rdi]);
                    }
                    else if (reg) a.mov(eax, G(op->R0)); else a.mov(eax, unchecked((int)op->Imm));
                    a.mov(ecx, G(4));
                    a.sub(ecx, 4);
                    FastAccess(Cpu.SegSs, write: true, slow, 4);
                    a.mov(__dword_ptr[rdi], eax);
                    a.mov(G(4), ecx);
                    Mark(ref done);
                    return true;
                }

                case Mnemonic.Pop:
                {
                    if (!IsReg32(ins, 0)) return false;
                    var done = a.CreateLabel();
                    var slow = Slow(op, done);
                    a.mov(ecx, G(4));
                    FastAccess(Cpu.SegSs, write: false, slow, 4);
                    a.mov(eax, __dword_ptr[rdi]);
                    a.add(ecx, 4);
                    a.mov(G(4), ecx);
                    a.mov(G(op->R0), eax);
                    Mark(ref done);
                    return true;
                }

                case Mnemonic.Call:
                {
                    if (ins.Op0Kind != OpKind.NearBranch32) return ins.Code == Code.Call_rm32 && CallIndirect(op, ins);
                    var after = a.CreateLabel();
                    var slow = Slow(op, after);
                    a.mov(ecx, G(4));
                    a.sub(ecx, 4);
                    FastAccess(Cpu.SegSs, write: true, slow, 4);
                    a.mov(__dword_ptr[rdi], unchecked((int)op->Next));
                    a.mov(G(4), ecx);
                    SetEipAndLeave(op, op->Imm, 0);
                    Mark(ref after);
                    return true;
                }

                case Mnemonic.Ret:
                {
                    if (ins.Code is not (Code.Retnd or Code.Retnd_imm16)) return false;
                    var after = a.CreateLabel();
                    var slow = Slow(op, after);
                    a.mov(ecx, G(4));
                    FastAccess(Cpu.SegSs, write: false, slow, 4);
                    a.mov(eax, __dword_ptr[rdi]);
                    a.add(ecx, checked(4 + (int)op->Imm));
                    a.mov(G(4), ecx);
                    a.mov(__dword_ptr[rbx + L.Eip], eax);
                    LeaveComputed(op);
                    Mark(ref after);
                    return true;
                }

                case Mnemonic.Seto: case Mnemonic.Setno: case Mnemonic.Setb: case Mnemonic.Setae: case Mnemonic.Sete: case Mnemonic.Setne:
                case Mnemonic.Setbe: case Mnemonic.Seta: case Mnemonic.Sets: case Mnemonic.Setns: case Mnemonic.Setp: case Mnemonic.Setnp:
                case Mnemonic.Setl: case Mnemonic.Setge: case Mnemonic.Setle: case Mnemonic.Setg:
                {
                    if (!IsGpr(ins, 0, out int size) || size != 1) return false;
                    var done = a.CreateLabel();
                    var isTrue = a.CreateLabel();
                    var store = a.CreateLabel();
                    Branch(op->Aux, isTrue, Slow(op, done));
                    a.xor(edx, edx);
                    a.jmp(store);
                    Mark(ref isTrue);
                    a.mov(edx, 1);
                    Mark(ref store);
                    StoreReg(op->R0, 1, edx);
                    Mark(ref done);
                    return true;
                }

                case Mnemonic.Cmovo: case Mnemonic.Cmovno: case Mnemonic.Cmovb: case Mnemonic.Cmovae: case Mnemonic.Cmove: case Mnemonic.Cmovne:
                case Mnemonic.Cmovbe: case Mnemonic.Cmova: case Mnemonic.Cmovs: case Mnemonic.Cmovns: case Mnemonic.Cmovp: case Mnemonic.Cmovnp:
                case Mnemonic.Cmovl: case Mnemonic.Cmovge: case Mnemonic.Cmovle: case Mnemonic.Cmovg:
                {
                    if (!IsReg32(ins, 0)) return false;
                    var done = a.CreateLabel();
                    var slow = Slow(op, done);
                    if (IsReg32(ins, 1))
                    {
                        Branch(op->Aux ^ 1, done, slow);
                        a.mov(G(op->R0), G(op->R1));
                    }
                    else if (ins.Op1Kind == OpKind.Memory)
                    {
                        // The source is read whatever the condition (it may fault), as the CPU does.
                        FastAccess(op, write: false, slow, 4);
                        a.mov(edi, __dword_ptr[rdi]);
                        Branch(op->Aux ^ 1, done, slow);
                        a.mov(G(op->R0), edi);
                    }
                    else return false;
                    Mark(ref done);
                    return true;
                }

                case Mnemonic.Imul:
                    // Two- and three-operand forms on registers, with dead flags: the truncated product.
                    if (flagsLive || ins.OpCount < 2 || !IsReg32(ins, 0) || !IsReg32(ins, 1)) return false;
                    if (ins.OpCount == 3) a.imul(G(op->R0), G(op->R1), unchecked((int)op->Imm)); else a.imul(G(op->R0), G(op->R1));
                    return true;

                case Mnemonic.Bswap:
                    if (!IsReg32(ins, 0)) return false;
                    a.bswap(G(op->R0));
                    return true;

                default:
                    return false;
            }
        }

        /// <summary>call r/m32: the target (read first, as the CPU does), the return address pushed, then a computed exit.</summary>
        private bool CallIndirect(Op* op, in Instruction ins)
        {
            var after = a.CreateLabel();
            var slow = Slow(op, after);
            if (ins.Op0Kind == OpKind.Register) a.mov(eax, G(op->R0));
            else
            {
                FastAccess(op, write: false, slow, 4);
                a.mov(eax, __dword_ptr[rdi]);
            }
            a.mov(ecx, G(4));
            a.sub(ecx, 4);
            FastAccess(Cpu.SegSs, write: true, slow, 4);
            a.mov(__dword_ptr[rdi], unchecked((int)op->Next));
            a.mov(G(4), ecx);
            a.mov(__dword_ptr[rbx + L.Eip], eax);
            LeaveComputed(op);
            Mark(ref after);
            return true;
        }

        /// <summary>xchg of two 32-bit registers, or of one with a doubleword in memory (the lock it implies is moot: one
        /// guest CPU runs at a time).</summary>
        private bool Exchange(Op* op, in Instruction ins)
        {
            if (Operands.Size(ins, 0) != 4) return false;
            if (ins.Op0Kind == OpKind.Register && ins.Op1Kind == OpKind.Register)
            {
                a.mov(eax, G(op->R0));
                a.mov(G(op->R0), G(op->R1));
                a.mov(G(op->R1), eax);
                return true;
            }
            var done = a.CreateLabel();
            FastAccess(op, write: true, Slow(op, done), 4);
            a.mov(eax, __dword_ptr[rdi]);
            a.mov(__dword_ptr[rdi], G(op->R0));
            a.mov(G(op->R0), eax);
            Mark(ref done);
            return true;
        }

        /// <summary>cmpxchg [mem], r32 (locked or not): the flags of cmp EAX, [mem]; the destination is written either way
        /// (with its old value when the comparison fails), as the CPU does and the interpreter's handler does.</summary>
        private bool CompareExchange(Op* op, in Instruction ins, bool flagsLive)
        {
            if (ins.Op0Kind != OpKind.Memory || Operands.Size(ins, 0) != 4) return false;
            var done = a.CreateLabel();
            var differ = a.CreateLabel();
            FastAccess(op, write: true, Slow(op, done), 4);
            a.mov(edx, __dword_ptr[rdi]);
            a.mov(eax, G(0));
            if (flagsLive)
            {
                _knownFlags = FlagKind.Sub32;
                a.mov(__dword_ptr[rbx + L.FlagOp], FlagKind.Sub32);
                a.mov(__dword_ptr[rbx + L.FlagA], eax);
                a.mov(__dword_ptr[rbx + L.FlagB], edx);
                a.mov(ecx, eax);
                a.sub(ecx, edx);
                a.mov(__dword_ptr[rbx + L.FlagRes], ecx);
            }
            a.cmp(eax, edx);
            a.jne(differ);
            a.mov(__dword_ptr[rdi], G(op->R1));
            a.jmp(done);
            Mark(ref differ);
            a.mov(__dword_ptr[rdi], edx);
            a.mov(G(0), edx);
            Mark(ref done);
            return true;
        }

        /// <summary>movsb/movsd/stosb/stosd without a rep prefix and with DF clear (else the handler): one element, then
        /// ESI/EDI advance. The source is read before the destination is checked, and registers change last, so a slow
        /// path that runs the handler repeats nothing.</summary>
        private bool StringOnce(Op* op, in Instruction ins)
        {
            bool movs = ins.Mnemonic is Mnemonic.Movsb or Mnemonic.Movsd;
            if (ins.Op0Kind != OpKind.MemoryESEDI || (movs ? ins.Op1Kind != OpKind.MemorySegESI : ins.Op1Kind != OpKind.Register)) return false;
            int size = ins.Mnemonic is Mnemonic.Movsb or Mnemonic.Stosb ? 1 : 4;
            var done = a.CreateLabel();
            var slow = Slow(op, done);
            a.test(__dword_ptr[rbx + L.EflagsRest], (int)Cpu.DF);
            a.jnz(slow);
            if (movs)
            {
                a.mov(ecx, G(6));
                FastAccess(op->Seg, write: false, slow, size);
                LoadMem(eax, size);
            }
            else LoadReg(eax, 0, size);
            a.mov(ecx, G(7));
            FastAccess(Cpu.SegEs, write: true, slow, size);
            StoreMem(size, eax);
            if (movs) a.add(G(6), size);
            a.add(G(7), size);
            Mark(ref done);
            return true;
        }

        /// <summary>mov between general registers, immediates and memory (8/16/32 bits).</summary>
        private bool Mov(Op* op, in Instruction ins)
        {
            bool r0 = IsGpr(ins, 0, out int s0), r1 = IsGpr(ins, 1, out int s1);
            bool m0 = ins.Op0Kind == OpKind.Memory, m1 = ins.Op1Kind == OpKind.Memory, i1 = IsImm(ins, 1);
            if (r0 && (r1 || i1))
            {
                if (r1) LoadReg(eax, op->R1, s1); else a.mov(eax, unchecked((int)op->Imm));
                StoreReg(op->R0, s0, eax);
                return true;
            }
            if (r0 && m1)
            {
                var done = a.CreateLabel();
                FastAccess(op, write: false, Slow(op, done), s0);
                LoadMem(eax, s0);
                StoreReg(op->R0, s0, eax);
                Mark(ref done);
                return true;
            }
            if (m0 && (r1 || i1))
            {
                int size = ins.MemorySize.GetSize();
                if (size is not (1 or 2 or 4)) return false;
                var done = a.CreateLabel();
                if (r1) LoadReg(eax, op->R1, size); else a.mov(eax, unchecked((int)op->Imm));
                FastAccess(op, write: true, Slow(op, done), size);
                StoreMem(size, eax);
                Mark(ref done);
                return true;
            }
            return false;
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
                int r = op->R1;
                if (size == 2) { if (sign) a.movsx(G(op->R0), new Reg16(8 + r)); else a.movzx(G(op->R0), new Reg16(8 + r)); }
                else
                {
                    LoadReg(eax, r, 1);
                    if (sign) a.movsx(G(op->R0), al); else a.mov(G(op->R0), eax);
                }
                return true;
            }
            if (ins.Op1Kind != OpKind.Memory) return false;
            int msize = ins.MemorySize.GetSize();
            if (msize is not (1 or 2)) return false;
            var done = a.CreateLabel();
            FastAccess(op, write: false, Slow(op, done), msize);
            var m = msize == 1 ? __byte_ptr[rdi] : __word_ptr[rdi];
            if (sign) a.movsx(G(op->R0), m); else a.movzx(G(op->R0), m);
            Mark(ref done);
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
            if (!flagsLive && !mem && size == 4)
            {
                // A 32-bit register destination whose flags nobody reads: one host instruction.
                var dst = G(op->R0);
                var src = G(op->R1);
                int imm = unchecked((int)op->Imm);
                switch (m)
                {
                    case Mnemonic.Add: if (reg1) a.add(dst, src); else a.add(dst, imm); break;
                    case Mnemonic.Sub: if (reg1) a.sub(dst, src); else a.sub(dst, imm); break;
                    case Mnemonic.And: if (reg1) a.and(dst, src); else a.and(dst, imm); break;
                    case Mnemonic.Or: if (reg1) a.or(dst, src); else a.or(dst, imm); break;
                    default: if (reg1) a.xor(dst, src); else a.xor(dst, imm); break;
                }
                return true;
            }
            uint mask = size == 4 ? 0xFFFF_FFFFu : size == 2 ? 0xFFFFu : 0xFFu;
            int sizeIdx = size == 4 ? 2 : size == 2 ? 1 : 0;
            var done = a.CreateLabel();
            if (mem) FastAccess(op, write: mem0 && writes, Slow(op, done), size);
            if (mem0) LoadMem(eax, size); else LoadReg(eax, op->R0, size);
            if (mem1) LoadMem(edx, size);
            else if (reg1) LoadReg(edx, op->R1, size);
            else a.mov(edx, unchecked((int)(op->Imm & mask)));
            a.mov(ecx, eax);
            int kind;
            switch (m)
            {
                case Mnemonic.Add: a.add(ecx, edx); kind = FlagKind.Add; break;
                case Mnemonic.Sub: case Mnemonic.Cmp: a.sub(ecx, edx); kind = FlagKind.Sub; break;
                case Mnemonic.And: case Mnemonic.Test: a.and(ecx, edx); kind = FlagKind.Logic; break;
                case Mnemonic.Or: a.or(ecx, edx); kind = FlagKind.Logic; break;
                default: a.xor(ecx, edx); kind = FlagKind.Logic; break;
            }
            if (size != 4) a.and(ecx, unchecked((int)mask));
            if (writes)
            {
                if (mem0) StoreMem(size, ecx);
                else StoreReg(op->R0, size, ecx);
            }
            if (flagsLive)
            {
                _knownFlags = kind | sizeIdx;
                a.mov(__dword_ptr[rbx + L.FlagOp], kind | sizeIdx);
                a.mov(__dword_ptr[rbx + L.FlagRes], ecx);
                if (kind != FlagKind.Logic)
                {
                    a.mov(__dword_ptr[rbx + L.FlagA], eax);
                    a.mov(__dword_ptr[rbx + L.FlagB], edx);
                }
            }
            Mark(ref done);
            return true;
        }

        /// <summary>inc/dec of a 32-bit register or doubleword in memory; with live flags, the preserved CF is read
        /// inline from the common producers (logic, sub/cmp, inc/dec, shifts), else the handler runs the instruction.</summary>
        private bool IncDec(Op* op, in Instruction ins, uint liveOut, bool flagsLive)
        {
            bool memForm = ins.Op0Kind == OpKind.Memory && ins.MemorySize.GetSize() == 4;
            if (!IsReg32(ins, 0) && !memForm) return false;
            bool inc = ins.Mnemonic == Mnemonic.Inc;
            if (!flagsLive && !memForm)
            {
                if (inc) a.inc(G(op->R0)); else a.dec(G(op->R0));
                return true;
            }
            var done = a.CreateLabel();
            var slow = Slow(op, done);
            if (memForm) FastAccess(op, write: true, slow, 4);
            bool cfLive = flagsLive && (liveOut & Cpu.CF) != 0;
            if (cfLive)
            {
                // EDX = CF of the current flag state (FlagOp >> 2: 4 logic → 0; 2 sub → A < B; 5, 6, 8 → FlagAux bit 0).
                var have = a.CreateLabel();
                var notSub = a.CreateLabel();
                a.mov(esi, __dword_ptr[rbx + L.FlagOp]);
                a.shr(esi, 2);
                a.xor(edx, edx);
                a.cmp(esi, 4);
                a.je(have);
                a.cmp(esi, 2);
                a.jne(notSub);
                a.mov(ecx, __dword_ptr[rbx + L.FlagA]);
                a.cmp(ecx, __dword_ptr[rbx + L.FlagB]);
                a.setb(dl);
                a.jmp(have);
                Mark(ref notSub);
                var notAdd = a.CreateLabel();
                a.test(esi, esi);
                a.jne(notAdd);
                a.mov(ecx, __dword_ptr[rbx + L.FlagRes]);
                a.cmp(ecx, __dword_ptr[rbx + L.FlagA]);
                a.setb(dl);
                a.jmp(have);
                Mark(ref notAdd);
                a.cmp(esi, 5); var aux = a.CreateLabel(); a.je(aux);
                a.cmp(esi, 6); a.je(aux);
                a.cmp(esi, 8); a.jne(slow);
                Mark(ref aux);
                a.mov(edx, __dword_ptr[rbx + L.FlagAux]);
                a.and(edx, 1);
                Mark(ref have);
            }
            if (memForm) a.mov(eax, __dword_ptr[rdi]); else a.mov(eax, G(op->R0));
            if (inc) a.inc(eax); else a.dec(eax);
            if (memForm) a.mov(__dword_ptr[rdi], eax); else a.mov(G(op->R0), eax);
            if (flagsLive)
            {
                _knownFlags = (inc ? FlagKind.Inc : FlagKind.Dec) | 2;
                a.mov(__dword_ptr[rbx + L.FlagOp], (inc ? FlagKind.Inc : FlagKind.Dec) | 2);
                a.mov(__dword_ptr[rbx + L.FlagRes], eax);
                if (cfLive) a.mov(__dword_ptr[rbx + L.FlagAux], edx);
                else a.mov(__dword_ptr[rbx + L.FlagAux], 0);
            }
            Mark(ref done);
            return true;
        }

        /// <summary>32-bit shifts and rotates of a register by an immediate or CL, with dead flags (the host instruction
        /// masks the count to 5 bits and leaves the register unchanged for a count of 0, as IA-32 does).</summary>
        private bool Shift(Op* op, in Instruction ins, bool flagsLive)
        {
            if (flagsLive || !IsReg32(ins, 0)) return false;
            var target = G(op->R0);
            if (ins.Op1Kind == OpKind.Register)
            {
                a.mov(ecx, G(1));
                switch (ins.Mnemonic)
                {
                    case Mnemonic.Rol: a.rol(target, cl); break;
                    case Mnemonic.Ror: a.ror(target, cl); break;
                    case Mnemonic.Shr: a.shr(target, cl); break;
                    case Mnemonic.Sar: a.sar(target, cl); break;
                    default: a.shl(target, cl); break;
                }
                return true;
            }
            if (!IsImm(ins, 1)) return false;
            int n = (int)(ins.GetImmediate(1) & 31);
            if (n == 0) return true;
            switch (ins.Mnemonic)
            {
                case Mnemonic.Rol: a.rol(target, (byte)n); break;
                case Mnemonic.Ror: a.ror(target, (byte)n); break;
                case Mnemonic.Shr: a.shr(target, (byte)n); break;
                case Mnemonic.Sar: a.sar(target, (byte)n); break;
                default: a.shl(target, (byte)n); break;
            }
            return true;
        }
    }

    /// <summary>A slow path to emit after the block: its label, the op whose handler runs, where to resume.</summary>
    private struct SlowPath
    {
        public Label Slow;
        public Op* Op;
        public Label Resume;
    }
}
