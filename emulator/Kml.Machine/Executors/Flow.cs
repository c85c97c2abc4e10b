using Iced.Intel;
using Kml.Machine.Decoding;
using static Kml.Machine.Decoding.Operands;

namespace Kml.Machine.Executors;

/// <summary>Control flow: jmp, jcc, call, ret, loop/jecxz, int n/int3/into, iret, bound.</summary>
internal static unsafe class Flow
{
    public static void RegisterAll(Emitter?[] t)
    {
        t[(int)Mnemonic.Jmp] = Jmp;
        foreach (var m in new[] { Mnemonic.Jo, Mnemonic.Jno, Mnemonic.Jb, Mnemonic.Jae, Mnemonic.Je, Mnemonic.Jne, Mnemonic.Jbe, Mnemonic.Ja,
                                  Mnemonic.Js, Mnemonic.Jns, Mnemonic.Jp, Mnemonic.Jnp, Mnemonic.Jl, Mnemonic.Jge, Mnemonic.Jle, Mnemonic.Jg })
            t[(int)m] = Jcc;
        t[(int)Mnemonic.Call] = Call;
        t[(int)Mnemonic.Ret] = Ret;
        t[(int)Mnemonic.Loop] = Loop;
        t[(int)Mnemonic.Loope] = Loop;
        t[(int)Mnemonic.Loopne] = Loop;
        t[(int)Mnemonic.Jecxz] = Loop;
        t[(int)Mnemonic.Int] = Int;
        t[(int)Mnemonic.Int3] = Int;
        t[(int)Mnemonic.Into] = Int;
        t[(int)Mnemonic.Iretd] = Iret;
        t[(int)Mnemonic.Bound] = Bound;
    }

    private static byte Kind(ControlTransferKind k) => (byte)(k + 1);

    private static bool Jmp(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Kind = Kind(ControlTransferKind.Jump);
        op.Cost = (ushort)ctx.Model.BranchTaken;
        switch (ins.Op0Kind)
        {
            case OpKind.NearBranch32:
                op.Imm = ins.NearBranch32;
                op.H = &JmpRel;
                return true;
            case OpKind.Register when Size(ins, 0) == 4:
                op.R0 = Gpr(ins.Op0Register);
                op.H = &JmpR;
                return true;
            case OpKind.Memory when Size(ins, 0) == 4:
                if (!Mem(ref op, ins)) return false;
                op.H = &JmpM;
                op.Cost = (ushort)(ctx.Model.BranchTaken + ctx.Model.Load);
                return true;
            default:
                return false; // far jumps and 16-bit targets
        }
    }

    private static int JmpRel(Cpu c, Op* op) { c.EipField = op->Imm; return Exit.Jump; }
    private static int JmpR(Cpu c, Op* op) { c.EipField = c.Reg(op->R0); return Exit.Jump; }
    private static int JmpM(Cpu c, Op* op) { c.EipField = c.Read32(c.SegRead(op->Seg, Ea(c, op), 4)); return Exit.Jump; }

    private static bool Jcc(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (ins.Op0Kind != OpKind.NearBranch32) return false;
        op.Kind = Kind(ControlTransferKind.Branch);
        op.Aux = (byte)Moves.Cc(ins.ConditionCode);
        op.Imm = ins.NearBranch32;
        op.Imm2 = (uint)(ctx.Model.BranchTaken - ctx.Model.BranchNotTaken);
        op.Cost = (ushort)ctx.Model.BranchNotTaken;
        op.H = op.Aux switch
        {
            0 => &JccRel<CondO>, 1 => &JccRel<CondNo>, 2 => &JccRel<CondB>, 3 => &JccRel<CondAe>,
            4 => &JccRel<CondE>, 5 => &JccRel<CondNe>, 6 => &JccRel<CondBe>, 7 => &JccRel<CondA>,
            8 => &JccRel<CondS>, 9 => &JccRel<CondNs>, 10 => &JccRel<CondP>, 11 => &JccRel<CondNp>,
            12 => &JccRel<CondL>, 13 => &JccRel<CondGe>, 14 => &JccRel<CondLe>, _ => &JccRel<CondG>,
        };
        return true;
    }

    private static int JccRel<TC>(Cpu c, Op* op) where TC : struct, ICond
    {
        if (c.Condition(TC.Cc)) { c.EipField = op->Imm; c.CyclesField += op->Imm2; }
        else c.EipField = op->Next;
        return Exit.Jump;
    }

    private static bool Call(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Kind = Kind(ControlTransferKind.Call);
        op.Cost = (ushort)ctx.Model.CallReturn;
        switch (ins.Op0Kind)
        {
            case OpKind.NearBranch32:
                op.Imm = ins.NearBranch32;
                op.H = &CallRel;
                return true;
            case OpKind.Register when Size(ins, 0) == 4:
                op.R0 = Gpr(ins.Op0Register);
                op.H = &CallR;
                return true;
            case OpKind.Memory when Size(ins, 0) == 4:
                if (!Mem(ref op, ins)) return false;
                op.H = &CallM;
                op.Cost = (ushort)(ctx.Model.CallReturn + ctx.Model.Load);
                return true;
            default:
                return false;
        }
    }

    private static int CallRel(Cpu c, Op* op) { Stack.Push32(c, op->Next); c.EipField = op->Imm; return Exit.Jump; }
    private static int CallR(Cpu c, Op* op) { uint t = c.Reg(op->R0); Stack.Push32(c, op->Next); c.EipField = t; return Exit.Jump; }
    private static int CallM(Cpu c, Op* op)
    {
        uint t = c.Read32(c.SegRead(op->Seg, Ea(c, op), 4));
        Stack.Push32(c, op->Next);
        c.EipField = t;
        return Exit.Jump;
    }

    private static bool Ret(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (ins.Code is not (Code.Retnd or Code.Retnd_imm16)) return false;
        op.Kind = Kind(ControlTransferKind.Return);
        op.Cost = (ushort)ctx.Model.CallReturn;
        op.Imm = ins.Code == Code.Retnd_imm16 ? ins.Immediate16 : 0u;
        op.H = &RetN;
        return true;
    }

    private static int RetN(Cpu c, Op* op)
    {
        uint e = c.Reg(4);
        byte* p = c.FastStack(e, false);
        if (p == null) return RetSlow(c, op);
        c.Reg(4) = e + 4 + op->Imm;
        c.EipField = *(uint*)p;
        return Exit.Jump;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int RetSlow(Cpu c, Op* op)
    {
        uint esp = c.Reg(4);
        uint t = c.Read32(c.SegRead(Cpu.SegSs, esp, 4));
        c.Reg(4) = esp + 4 + op->Imm;
        c.EipField = t;
        return Exit.Jump;
    }

    private static bool Loop(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (ins.Op0Kind != OpKind.NearBranch32 || ins.Code is Code.Jcxz_rel8_32 or Code.Loop_rel8_32_CX or Code.Loope_rel8_32_CX or Code.Loopne_rel8_32_CX) return false;
        op.Kind = Kind(ControlTransferKind.Branch);
        op.Imm = ins.NearBranch32;
        op.Imm2 = (uint)(ctx.Model.BranchTaken - ctx.Model.BranchNotTaken);
        op.Cost = (ushort)(ctx.Model.BranchNotTaken + ctx.Model.Alu);
        op.H = ins.Mnemonic switch
        {
            Mnemonic.Loop => &LoopN,
            Mnemonic.Loope => &LoopE,
            Mnemonic.Loopne => &LoopNe,
            _ => &Jecxz,
        };
        return true;
    }

    private static int Branch(Cpu c, Op* op, bool taken)
    {
        if (taken) { c.EipField = op->Imm; c.CyclesField += op->Imm2; }
        else c.EipField = op->Next;
        return Exit.Jump;
    }

    private static int LoopN(Cpu c, Op* op) { uint n = --c.Reg(1); return Branch(c, op, n != 0); }
    private static int LoopE(Cpu c, Op* op) { uint n = --c.Reg(1); return Branch(c, op, n != 0 && c.GetZF()); }
    private static int LoopNe(Cpu c, Op* op) { uint n = --c.Reg(1); return Branch(c, op, n != 0 && !c.GetZF()); }
    private static int Jecxz(Cpu c, Op* op) => Branch(c, op, c.Reg(1) == 0);

    private static bool Int(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Kind = 0; // delivery reports the transfer itself
        op.Cost = (ushort)ctx.Model.Alu;
        switch (ins.Mnemonic)
        {
            case Mnemonic.Int: op.Imm = ins.Immediate8; op.H = &IntN; return true;
            case Mnemonic.Int3: op.Imm = 3; op.H = &IntN; return true;
            default: op.H = &Into; return true;
        }
    }

    private static int IntN(Cpu c, Op* op)
    {
        c.SoftwareInterrupt((int)op->Imm, op->Next);
        return Exit.Jump;
    }

    private static int Into(Cpu c, Op* op)
    {
        if (!c.GetOF()) { c.EipField = op->Next; return Exit.Jump; }
        c.SoftwareInterrupt(Vectors.OF, op->Next);
        return Exit.Jump;
    }

    private static bool Iret(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Cost = (ushort)ctx.Model.Alu;
        op.H = &IretD;
        return true;
    }

    private static int IretD(Cpu c, Op* op)
    {
        c.Iret(op->Next);
        return Exit.Jump;
    }

    private static bool Bound(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (Size(ins, 0) != 4 || !Mem(ref op, ins)) return false;
        op.R0 = Gpr(ins.Op0Register);
        op.H = &BoundD;
        op.Cost = (ushort)(ctx.Model.Load * 2);
        return true;
    }

    private static int BoundD(Cpu c, Op* op)
    {
        uint lin = c.SegRead(op->Seg, Ea(c, op), 8);
        int lo = (int)c.Read32(lin), hi = (int)c.Read32(lin + 4);
        int v = (int)c.Reg(op->R0);
        if (v < lo || v > hi) c.Fault(Vectors.BR);
        return Exit.Next;
    }
}
