using System.Text;
using Iced.Intel;
using Kml.Machine.Decoding;
using static Kml.Machine.Decoding.Operands;

namespace Kml.Machine.Executors;

/// <summary>System instructions: vmcall (the host call), hlt, cli/sti, segment and control registers, descriptor tables,
/// MSRs, sysenter/sysexit, cpuid, rdtsc, in/out, invlpg, and the #UD / unimplemented handlers.</summary>
internal static unsafe class SystemOps
{
    public static void RegisterAll(Emitter?[] t)
    {
        t[(int)Mnemonic.Vmcall] = Sys(&Vmcall, m => m.Vmcall);
        t[(int)Mnemonic.Hlt] = Sys(&Hlt, m => m.System);
        t[(int)Mnemonic.Cli] = Sys(&Cli, m => m.System);
        t[(int)Mnemonic.Sti] = Sys(&Sti, m => m.System);
        t[(int)Mnemonic.Ud2] = Sys(&InvalidOpcode, m => m.Alu);
        t[(int)Mnemonic.Ud0] = Sys(&InvalidOpcode, m => m.Alu);
        t[(int)Mnemonic.Ud1] = Sys(&InvalidOpcode, m => m.Alu);
        t[(int)Mnemonic.Rdtsc] = Sys(&Rdtsc, m => m.Rdtsc);
        t[(int)Mnemonic.Cpuid] = Sys(&Cpuid, m => m.Cpuid);
        t[(int)Mnemonic.Rdmsr] = Sys(&Rdmsr, m => m.System);
        t[(int)Mnemonic.Wrmsr] = Sys(&Wrmsr, m => m.System);
        t[(int)Mnemonic.Sysenter] = Sys(&Sysenter, m => 0);
        t[(int)Mnemonic.Sysexit] = Sys(&Sysexit, m => 0);
        t[(int)Mnemonic.Clts] = Sys(&Clts, m => m.System);
        t[(int)Mnemonic.Lgdt] = DescTable;
        t[(int)Mnemonic.Lidt] = DescTable;
        t[(int)Mnemonic.Sgdt] = DescTable;
        t[(int)Mnemonic.Sidt] = DescTable;
        t[(int)Mnemonic.Ltr] = SegSys;
        t[(int)Mnemonic.Lldt] = SegSys;
        t[(int)Mnemonic.Str] = SegSys;
        t[(int)Mnemonic.Sldt] = SegSys;
        t[(int)Mnemonic.Invlpg] = Invlpg;
        t[(int)Mnemonic.In] = InOut;
        t[(int)Mnemonic.Out] = InOut;
    }

    private static Emitter Sys(delegate*<Cpu, Op*, int> h, Func<CycleModel, int> cost) => (ref Op op, in Instruction ins, EmitContext ctx) =>
    {
        op.H = h;
        op.Cost = (ushort)cost(ctx.Model);
        return true;
    };

    // ---------------- fallbacks ----------------
    internal static int InvalidOpcode(Cpu c, Op* op) { c.Ud(); return 0; }

    internal static int Unimplemented(Cpu c, Op* op)
    {
        c.EipField = op->Eip;
        return c.Stop(StopReason.Unimplemented,
            $"unimplemented instruction at 0x{op->Eip:x8}: {BlockBuilder.Disassemble(c, op->Eip)}", Exit.StopBefore);
    }

    internal static int UnimplementedCodeSegment(Cpu c, Op* op)
    {
        c.EipField = op->Eip;
        return c.Stop(StopReason.Unimplemented, $"code at 0x{op->Eip:x8} runs in a 16-bit code segment (CS.D = 0), which is not emulated", Exit.StopBefore);
    }

    private static void RequireCpl0(Cpu c) { if (c.CplField != 0) c.Gp(0); }

    // ---------------- host call, halt, interrupts flag ----------------
    private static int Vmcall(Cpu c, Op* op)
    {
        if (c.CplField != 0) c.Ud();
        c.EipField = op->Next;
        c.Statistics.Hypercalls++;
        return c.Stop(StopReason.Hypercall);
    }

    private static int Hlt(Cpu c, Op* op)
    {
        RequireCpl0(c);
        c.EipField = op->Next;
        if (c.HasPendingInterrupt && (c.EflagsRest & Cpu.IF) != 0) return Exit.Jump;
        return c.Stop(StopReason.Halt);
    }

    private static bool IoAllowed(Cpu c) => c.CplField <= (int)((c.EflagsRest & Cpu.IOPL) >> 12);

    private static int Cli(Cpu c, Op* op)
    {
        if (!IoAllowed(c)) c.Gp(0);
        c.EflagsRest &= ~Cpu.IF;
        c.EipField = op->Next;
        return Exit.Jump;
    }

    private static int Sti(Cpu c, Op* op)
    {
        if (!IoAllowed(c)) c.Gp(0);
        if ((c.EflagsRest & Cpu.IF) == 0) c.InterruptShadow = true;
        c.EflagsRest |= Cpu.IF;
        c.RequestEventCheck();
        c.EipField = op->Next;
        return Exit.Jump;
    }

    // ---------------- segment registers ----------------
    internal static bool EmitMovToSreg(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (ins.Op0Register == Register.CS) return false; // #UD on hardware; Iced reports it as invalid anyway
        op.R0 = SegIndex(ins.Op0Register);
        op.Cost = (ushort)ctx.Model.SegmentLoad;
        if (ins.Op1Kind == OpKind.Register) { op.R1 = Gpr(ins.Op1Register); op.H = &MovSregR; return true; }
        if (!Mem(ref op, ins)) return false;
        op.H = &MovSregM;
        return true;
    }

    private static int MovSregR(Cpu c, Op* op) => AfterSreg(c, op, (ushort)c.Reg(op->R1));
    private static int MovSregM(Cpu c, Op* op) => AfterSreg(c, op, c.Read16(c.SegRead(op->Seg, Ea(c, op), 2)));

    private static int AfterSreg(Cpu c, Op* op, ushort sel)
    {
        c.LoadDataSegment(op->R0, sel);
        if (op->R0 != Cpu.SegSs) return Exit.Next;
        c.InterruptShadow = true;
        c.RequestEventCheck();
        c.EipField = op->Next;
        return Exit.Jump;
    }

    // ---------------- control registers ----------------
    internal static bool EmitMovCr(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Cost = (ushort)ctx.Model.System;
        var r0 = ins.Op0Register;
        var r1 = ins.Op1Register;
        if (r0 >= Register.CR0 && r0 <= Register.CR15 && ins.Op1Kind == OpKind.Register && IsGpr(r1))
        {
            op.Aux = (byte)(r0 - Register.CR0);
            if (op.Aux is not (0 or 2 or 3 or 4)) return false;
            op.R1 = Gpr(r1);
            op.H = &MovCrR;
            return true;
        }
        if (r1 >= Register.CR0 && r1 <= Register.CR15 && ins.Op0Kind == OpKind.Register && IsGpr(r0))
        {
            op.Aux = (byte)(r1 - Register.CR0);
            if (op.Aux is not (0 or 2 or 3 or 4)) return false;
            op.R0 = Gpr(r0);
            op.H = &MovRCr;
            return true;
        }
        return false; // debug/test registers
    }

    private static int MovCrR(Cpu c, Op* op)
    {
        RequireCpl0(c);
        uint v = c.Reg(op->R1);
        switch (op->Aux)
        {
            case 0:
                if ((v & Cpu.Cr0Pe) == 0)
                    return c.Stop(StopReason.Unimplemented, $"0x{op->Eip:x8}: clearing CR0.PE (real mode is not emulated)", Exit.StopBefore);
                if ((v & Cpu.Cr0Pg) != 0 && (v & Cpu.Cr0Pe) == 0) c.Gp(0);
                c.Cr0 = v;
                break;
            case 2: c.Cr2Field = v; break;
            case 3: c.SetCr3Internal(v); break;
            default: c.Cr4 = v; break;
        }
        c.EipField = op->Next;
        return Exit.Jump;
    }

    private static int MovRCr(Cpu c, Op* op)
    {
        RequireCpl0(c);
        c.Reg(op->R0) = op->Aux switch { 0 => c.Cr0Field, 2 => c.Cr2Field, 3 => c.Cr3Field, _ => c.Cr4Field };
        return Exit.Next;
    }

    private static int Clts(Cpu c, Op* op)
    {
        RequireCpl0(c);
        c.Cr0Field &= ~Cpu.Cr0Ts;
        c.EipField = op->Next;
        return Exit.Jump;
    }

    // ---------------- descriptor tables ----------------
    private static bool DescTable(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (!Mem(ref op, ins)) return false;
        op.Cost = (ushort)ctx.Model.System;
        op.H = ins.Mnemonic switch
        {
            Mnemonic.Lgdt => &Lgdt,
            Mnemonic.Lidt => &Lidt,
            Mnemonic.Sgdt => &Sgdt,
            _ => &Sidt,
        };
        return true;
    }

    private static (ushort, uint) ReadPseudo(Cpu c, Op* op)
    {
        uint lin = c.SegRead(op->Seg, Ea(c, op), 6);
        return (c.Read16(lin), c.Read32(lin + 2));
    }

    private static int Lgdt(Cpu c, Op* op)
    {
        RequireCpl0(c);
        var (limit, b) = ReadPseudo(c, op);
        c.Gdtr = new DescriptorTableRegister(b, limit);
        c.EipField = op->Next;
        return Exit.Jump;
    }

    private static int Lidt(Cpu c, Op* op)
    {
        RequireCpl0(c);
        var (limit, b) = ReadPseudo(c, op);
        c.Idtr = new DescriptorTableRegister(b, limit);
        c.EipField = op->Next;
        return Exit.Jump;
    }

    private static void StorePseudo(Cpu c, Op* op, DescriptorTableRegister r)
    {
        uint lin = c.SegWrite(op->Seg, Ea(c, op), 6);
        c.ProbeWrite(lin, 6);
        c.Write16(lin, r.Limit);
        c.Write32(lin + 2, r.Base);
    }

    private static int Sgdt(Cpu c, Op* op) { StorePseudo(c, op, c.Gdtr); return c.PendingExit; }
    private static int Sidt(Cpu c, Op* op) { StorePseudo(c, op, c.Idtr); return c.PendingExit; }

    private static bool SegSys(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Cost = (ushort)ctx.Model.System;
        bool load = ins.Mnemonic is Mnemonic.Ltr or Mnemonic.Lldt;
        op.Aux = (byte)(ins.Mnemonic is Mnemonic.Ltr or Mnemonic.Str ? 1 : 0);
        if (ins.Op0Kind == OpKind.Register) { op.R0 = Gpr(ins.Op0Register); op.H = load ? &LoadSysR : (Size(ins, 0) == 4 ? &StoreSysR32 : &StoreSysR16); return true; }
        if (!Mem(ref op, ins)) return false;
        op.H = load ? &LoadSysM : &StoreSysM;
        return true;
    }

    private static int LoadSys(Cpu c, Op* op, ushort sel)
    {
        RequireCpl0(c);
        if (op->Aux == 1) c.Ltr(sel); else c.Lldt(sel);
        c.EipField = op->Next;
        return Exit.Jump;
    }

    private static int LoadSysR(Cpu c, Op* op) => LoadSys(c, op, (ushort)c.Reg(op->R0));
    private static int LoadSysM(Cpu c, Op* op) => LoadSys(c, op, c.Read16(c.SegRead(op->Seg, Ea(c, op), 2)));
    private static ushort SysSel(Cpu c, Op* op) => op->Aux == 1 ? c.Tr.Selector : c.Ldt.Selector;
    private static int StoreSysR32(Cpu c, Op* op) { c.Reg(op->R0) = SysSel(c, op); return Exit.Next; }
    private static int StoreSysR16(Cpu c, Op* op) { S16.Set(c, op->R0, SysSel(c, op)); return Exit.Next; }
    private static int StoreSysM(Cpu c, Op* op) { c.Write16(c.SegWrite(op->Seg, Ea(c, op), 2), SysSel(c, op)); return c.PendingExit; }

    private static bool Invlpg(ref Op op, in Instruction ins, EmitContext ctx)
    {
        if (!Mem(ref op, ins)) return false;
        op.Cost = (ushort)ctx.Model.Invlpg;
        op.H = &InvlpgM;
        return true;
    }

    private static int InvlpgM(Cpu c, Op* op)
    {
        RequireCpl0(c);
        c.InvalidatePage(Ea(c, op) + c.SegBaseAt(op->Seg));
        c.EipField = op->Next;
        return Exit.Jump;
    }

    // ---------------- MSRs, fast system calls ----------------
    private static int Rdmsr(Cpu c, Op* op)
    {
        RequireCpl0(c);
        if (!c.TryReadMsr(c.Reg(1), out ulong v)) c.Gp(0);
        c.Reg(0) = (uint)v; c.Reg(2) = (uint)(v >> 32);
        return Exit.Next;
    }

    private static int Wrmsr(Cpu c, Op* op)
    {
        RequireCpl0(c);
        if (!c.TryWriteMsr(c.Reg(1), c.Reg(0) | ((ulong)c.Reg(2) << 32))) c.Gp(0);
        c.EipField = op->Next;
        return Exit.Jump;
    }

    private static int Sysenter(Cpu c, Op* op) { c.Sysenter(); return Exit.Jump; }
    private static int Sysexit(Cpu c, Op* op) { c.Sysexit(); return Exit.Jump; }

    // ---------------- identification and time ----------------
    private static int Rdtsc(Cpu c, Op* op)
    {
        if ((c.Cr4Field & Cpu.Cr4Tsd) != 0 && c.CplField != 0) c.Gp(0);
        ulong t = c.CyclesField + op->CumCost;
        c.Reg(0) = (uint)t; c.Reg(2) = (uint)(t >> 32);
        return Exit.Next;
    }

    private static readonly uint[] Vendor = Words("GenuineIntel");
    private static readonly uint[] Brand = Words("KML emulated IA-32 (i686 integer + x87)".PadRight(48, '\0'));

    private static uint[] Words(string s)
    {
        var b = Encoding.ASCII.GetBytes(s);
        var w = new uint[b.Length / 4];
        for (int i = 0; i < w.Length; i++) w[i] = BitConverter.ToUInt32(b, i * 4);
        return w;
    }

    private static int Cpuid(Cpu c, Op* op)
    {
        uint leaf = c.Reg(0);
        uint a = 0, b = 0, cx = 0, d = 0;
        switch (leaf)
        {
            case 0: a = 1; b = Vendor[0]; d = Vendor[1]; cx = Vendor[2]; break;
            case 1: a = 0x0000_06D8; b = 0; cx = 0; d = Cpu.FeaturesEdx; break; // family 6, model 13, stepping 8
            case 0x8000_0000: a = 0x8000_0004; break;
            case 0x8000_0002: case 0x8000_0003: case 0x8000_0004:
                int i = (int)(leaf - 0x8000_0002) * 4;
                a = Brand[i]; b = Brand[i + 1]; cx = Brand[i + 2]; d = Brand[i + 3];
                break;
        }
        c.Reg(0) = a; c.Reg(3) = b; c.Reg(1) = cx; c.Reg(2) = d;
        c.EipField = op->Next;
        return Exit.Jump;
    }

    // ---------------- port I/O: no devices ----------------
    private static bool InOut(ref Op op, in Instruction ins, EmitContext ctx)
    {
        op.Cost = (ushort)ctx.Model.System;
        bool isIn = ins.Mnemonic == Mnemonic.In;
        int size = Size(ins, isIn ? 0 : 1);
        op.Aux = (byte)size;
        op.H = isIn ? &In : &Out;
        return true;
    }

    private static int In(Cpu c, Op* op)
    {
        if (!IoAllowed(c)) c.Gp(0);
        // No device answers: a read of an unclaimed port returns all ones.
        if (op->Aux == 1) S8.Set(c, 0, 0xFF); else if (op->Aux == 2) S16.Set(c, 0, 0xFFFF); else c.Reg(0) = 0xFFFF_FFFF;
        return Exit.Next;
    }

    private static int Out(Cpu c, Op* op)
    {
        if (!IoAllowed(c)) c.Gp(0);
        return Exit.Next;
    }
}
