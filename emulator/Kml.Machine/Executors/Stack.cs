using System.Runtime.CompilerServices;
using Iced.Intel;
using Kml.Machine.Decoding;
using static Kml.Machine.Decoding.Operands;

namespace Kml.Machine.Executors;

/// <summary>Stack instructions: push/pop (registers, memory, immediates, segment registers), pusha/popa, pushf/popf, enter/leave.
/// A push writes memory before ESP changes, so a faulting push leaves ESP unchanged.</summary>
internal static unsafe class Stack
{
    public static void RegisterAll(Emitter?[] t)
    {
        t[(int)Mnemonic.Push] = Push;
        t[(int)Mnemonic.Pop] = Pop;
        t[(int)Mnemonic.Pushad] = Fixed(&Pushad, 8);
        t[(int)Mnemonic.Popad] = Fixed(&Popad, 8);
        t[(int)Mnemonic.Pushfd] = Fixed(&Pushfd, 1);
        t[(int)Mnemonic.Popfd] = Fixed(&Popfd, 1);
        t[(int)Mnemonic.Pushf] = Fixed(&Pushf16, 1);
        t[(int)Mnemonic.Popf] = Fixed(&Popf16, 1);
        t[(int)Mnemonic.Leave] = Fixed(&Leave, 1);
        t[(int)Mnemonic.Enter] = Enter;
    }

    private static Emitter Fixed(delegate*<Cpu, Op*, int> h, int stores) => (ref Op op, in Instruction ins, EmitContext ctx) =>
    {
        op.H = h;
        op.Cost = (ushort)(ctx.Model.Store * stores);
        return true;
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Push32(Cpu c, uint v)
    {
        uint e = c.Reg(4) - 4;
        byte* p = c.FastStack(e, true);
        if (p != null) { *(uint*)p = v; c.Reg(4) = e; return; }
        Push32Slow(c, v);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Push32Slow(Cpu c, uint v)
    {
        uint esp = c.Reg(4) - 4;
        c.Write32(c.SegWrite(Cpu.SegSs, esp, 4), v);
        c.Reg(4) = esp;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Pop32(Cpu c)
    {
        uint e = c.Reg(4);
        byte* p = c.FastStack(e, false);
        if (p != null) { c.Reg(4) = e + 4; return *(uint*)p; }
        return Pop32Slow(c);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint Pop32Slow(Cpu c)
    {
        uint esp = c.Reg(4);
        uint v = c.Read32(c.SegRead(Cpu.SegSs, esp, 4));
        c.Reg(4) = esp + 4;
        return v;
    }

    private static bool Push(ref Op op, in Instruction ins, EmitContext ctx)
    {
        var k = ins.Op0Kind;
        op.Cost = (ushort)ctx.Model.Store;
        bool w16 = ins.Code is Code.Push_r16 or Code.Push_rm16 or Code.Pushw_imm8 or Code.Push_imm16 or Code.Pushw_ES or Code.Pushw_CS or Code.Pushw_SS or Code.Pushw_DS or Code.Pushw_FS or Code.Pushw_GS;
        if (k == OpKind.Register && ins.Op0Register >= Register.ES && ins.Op0Register <= Register.GS)
        {
            op.R0 = SegIndex(ins.Op0Register);
            op.H = w16 ? &PushSreg16 : &PushSreg32;
            return true;
        }
        if (k == OpKind.Register)
        {
            op.R0 = Gpr(ins.Op0Register);
            op.H = w16 ? &PushR16 : &PushR32;
            return true;
        }
        if (k == OpKind.Memory)
        {
            if (!Mem(ref op, ins)) return false;
            op.H = w16 ? &PushM16 : &PushM32;
            op.Cost = (ushort)(ctx.Model.Load + ctx.Model.Store);
            return true;
        }
        op.Imm = Imm(ins, 0);
        op.H = w16 ? &PushI16 : &PushI32;
        return true;
    }

    private static int PushR32(Cpu c, Op* op) { Push32(c, c.Reg(op->R0)); return c.PendingExit; }
    private static int PushI32(Cpu c, Op* op) { Push32(c, op->Imm); return c.PendingExit; }
    private static int PushM32(Cpu c, Op* op)
    {
        uint v = c.Read32(c.SegRead(op->Seg, Ea(c, op), 4));
        Push32(c, v);
        return c.PendingExit;
    }
    private static int PushSreg32(Cpu c, Op* op)
    {
        // Recent Intel cores write only the low 16 bits of the 32-bit slot.
        uint esp = c.Reg(4) - 4;
        c.Write16(c.SegWrite(Cpu.SegSs, esp, 4), c.SegAt(op->R0).Selector);
        c.Reg(4) = esp;
        return c.PendingExit;
    }

    private static void Push16(Cpu c, uint v)
    {
        uint esp = c.Reg(4) - 2;
        c.Write16(c.SegWrite(Cpu.SegSs, esp, 2), v);
        c.Reg(4) = esp;
    }

    private static uint Pop16(Cpu c)
    {
        uint esp = c.Reg(4);
        uint v = c.Read16(c.SegRead(Cpu.SegSs, esp, 2));
        c.Reg(4) = esp + 2;
        return v;
    }

    private static int PushR16(Cpu c, Op* op) { Push16(c, c.Reg(op->R0)); return c.PendingExit; }
    private static int PushI16(Cpu c, Op* op) { Push16(c, op->Imm); return c.PendingExit; }
    private static int PushM16(Cpu c, Op* op) { Push16(c, c.Read16(c.SegRead(op->Seg, Ea(c, op), 2))); return c.PendingExit; }
    private static int PushSreg16(Cpu c, Op* op) { Push16(c, c.SegAt(op->R0).Selector); return c.PendingExit; }

    private static bool Pop(ref Op op, in Instruction ins, EmitContext ctx)
    {
        var k = ins.Op0Kind;
        op.Cost = (ushort)ctx.Model.Load;
        bool w16 = ins.Code is Code.Pop_r16 or Code.Pop_rm16 or Code.Popw_ES or Code.Popw_SS or Code.Popw_DS or Code.Popw_FS or Code.Popw_GS;
        if (k == OpKind.Register && ins.Op0Register >= Register.ES && ins.Op0Register <= Register.GS)
        {
            if (w16) return false;
            op.R0 = SegIndex(ins.Op0Register);
            op.H = &PopSreg;
            op.Cost = (ushort)(ctx.Model.Load + ctx.Model.SegmentLoad);
            return true;
        }
        if (k == OpKind.Register)
        {
            op.R0 = Gpr(ins.Op0Register);
            op.H = w16 ? &PopR16 : &PopR32;
            return true;
        }
        if (!Mem(ref op, ins)) return false;
        op.H = w16 ? &PopM16 : &PopM32;
        op.Cost = (ushort)(ctx.Model.Load + ctx.Model.Store);
        return true;
    }

    private static int PopR32(Cpu c, Op* op) { uint v = Pop32(c); c.Reg(op->R0) = v; return Exit.Next; }
    private static int PopR16(Cpu c, Op* op) { uint v = Pop16(c); S16.Set(c, op->R0, v); return Exit.Next; }

    private static int PopM32(Cpu c, Op* op)
    {
        uint esp = c.Reg(4);
        uint v = c.Read32(c.SegRead(Cpu.SegSs, esp, 4));
        // The destination address is computed with ESP already incremented.
        c.Reg(4) = esp + 4;
        try { c.Write32(c.SegWrite(op->Seg, Ea(c, op), 4), v); }
        catch (GuestFault) { c.Reg(4) = esp; throw; }
        return c.PendingExit;
    }

    private static int PopM16(Cpu c, Op* op)
    {
        uint esp = c.Reg(4);
        uint v = c.Read16(c.SegRead(Cpu.SegSs, esp, 2));
        c.Reg(4) = esp + 2;
        try { c.Write16(c.SegWrite(op->Seg, Ea(c, op), 2), v); }
        catch (GuestFault) { c.Reg(4) = esp; throw; }
        return c.PendingExit;
    }

    private static int PopSreg(Cpu c, Op* op)
    {
        uint esp = c.Reg(4);
        uint v = c.Read32(c.SegRead(Cpu.SegSs, esp, 4));
        c.LoadDataSegment(op->R0, (ushort)v);
        c.Reg(4) = esp + 4;
        if (op->R0 == Cpu.SegSs) { c.InterruptShadow = true; c.RequestEventCheck(); }
        return Exit.Next;
    }

    private static int Pushad(Cpu c, Op* op)
    {
        uint esp = c.Reg(4);
        uint lo = c.SegWrite(Cpu.SegSs, esp - 32, 32);
        c.ProbeWrite(lo, 32);
        for (int i = 0; i < 8; i++) c.Write32(lo + 28 - (uint)i * 4, c.Reg(i));
        c.Reg(4) = esp - 32;
        return c.PendingExit;
    }

    private static int Popad(Cpu c, Op* op)
    {
        uint esp = c.Reg(4);
        uint lo = c.SegRead(Cpu.SegSs, esp, 32);
        Span<uint> v = stackalloc uint[8];
        for (int i = 0; i < 8; i++) v[i] = c.Read32(lo + 28 - (uint)i * 4);
        for (int i = 0; i < 8; i++) if (i != 4) c.Reg(i) = v[i];
        c.Reg(4) = esp + 32;
        return Exit.Next;
    }

    private static int Pushfd(Cpu c, Op* op)
    {
        Push32(c, c.GetEflags() & ~(Cpu.RF | Cpu.VM));
        return c.PendingExit;
    }

    private static int Pushf16(Cpu c, Op* op) { Push16(c, c.GetEflags()); return c.PendingExit; }

    private static int Popfd(Cpu c, Op* op)
    {
        uint v = Pop32(c);
        c.SetEflagsChecked(v, c.CplField);
        c.EflagsRest &= ~Cpu.RF;
        c.EipField = op->Next;
        return Exit.Jump;
    }

    private static int Popf16(Cpu c, Op* op)
    {
        uint v = Pop16(c);
        c.SetEflagsChecked((c.GetEflags() & 0xFFFF_0000) | v, c.CplField);
        c.EipField = op->Next;
        return Exit.Jump;
    }

    private static int Leave(Cpu c, Op* op)
    {
        uint ebp = c.Reg(5);
        uint v = c.Read32(c.SegRead(Cpu.SegSs, ebp, 4));
        c.Reg(4) = ebp + 4;
        c.Reg(5) = v;
        return Exit.Next;
    }

    private static bool Enter(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (ins.Code != Code.Enterd_imm16_imm8) return false;
        op.Imm = ins.Immediate16;
        op.Imm2 = (uint)(ins.Immediate8_2nd & 31);
        op.H = &EnterD;
        op.Cost = (ushort)(ctx.Model.Store * (2 + (int)op.Imm2));
        return true;
    }

    private static int EnterD(Cpu c, Op* op)
    {
        uint size = op->Imm, level = op->Imm2;
        uint esp = c.Reg(4), ebp = c.Reg(5);
        uint frameTemp = esp - 4;
        // Check the whole area first so that a fault leaves every register unchanged.
        uint total = 4 + (level > 0 ? 4 * level : 0) + size;
        uint low = c.SegWrite(Cpu.SegSs, esp - total, (int)Math.Min(total, 0x7FFF_FFFFu));
        c.ProbeWrite(low, (int)Math.Min(total, 0x1000u));
        c.ProbeWrite(c.SegWrite(Cpu.SegSs, frameTemp, 4), 4);
        c.Write32(c.SegWrite(Cpu.SegSs, frameTemp, 4), ebp);
        uint sp = frameTemp;
        if (level > 0)
        {
            for (uint i = 1; i < level; i++)
            {
                ebp -= 4;
                uint v = c.Read32(c.SegRead(Cpu.SegSs, ebp, 4));
                sp -= 4;
                c.Write32(c.SegWrite(Cpu.SegSs, sp, 4), v);
            }
            sp -= 4;
            c.Write32(c.SegWrite(Cpu.SegSs, sp, 4), frameTemp);
        }
        c.Reg(5) = frameTemp;
        c.Reg(4) = sp - size;
        return c.PendingExit;
    }
}
