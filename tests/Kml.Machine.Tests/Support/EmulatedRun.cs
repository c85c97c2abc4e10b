using System.Globalization;
using Iced.Intel;
using Kml.Machine;

namespace Kml.Machine.Tests.Support;

/// <summary>Runs one instruction case in the emulator, in ring 3, at the same linear addresses as the native run.</summary>
public static class EmulatedRun
{
    public sealed record Result(StopReason Stop, string? StopMessage, int Vector, uint Eip, uint[] Registers, uint EFlags, byte[] Mem, byte[] Stack);

    public static Result Run(InstructionCase c, NativeResult n, bool translate = false, bool il = false)
    {
        var m = new TestMachine(8u << 20);
        m.Cpu.BlockTranslation = translate;
        if (il) m.Cpu.NativeTranslation = false;
        m.Cpu.TranslationThreshold = 0;
        uint mem = NativeHarness.MemAddress, stk = NativeHarness.StackAddress, top = NativeHarness.StackTop;
        uint memPhys = m.AllocPhys(4096);
        m.Map(mem, memPhys, TestMachine.UserRw);
        uint stkPhys = m.AllocPhys(8192);
        m.Map(stk, stkPhys, TestMachine.UserRw);
        m.Map(stk + 4096, stkPhys + 4096, TestMachine.UserRw);
        m.Map(0x2000_0000, m.AllocPhys(), TestMachine.UserRw); // the harness's EDGE_PAGE (the next page stays unmapped)
        uint codeEnd = n.Start + (uint)n.Length + 2;
        for (uint page = n.Start & ~0xFFFu; page < codeEnd; page += 4096)
            m.Map(page, m.AllocPhys(), TestMachine.UserRw);
        var pattern = new byte[4096];
        for (int i = 0; i < pattern.Length; i++) pattern[i] = (byte)(i * 37 + 11);
        m.Mem.Write(memPhys, pattern);
        var code = n.Code.Concat(new byte[] { 0xCD, 0x80 }).ToArray();
        foreach (var (offset, bytes) in c.Patches)
        {
            if (offset < 0 || offset + bytes.Length > n.Code.Length) throw new InvalidDataException($"{c.File}:{c.Line}: patch at {offset} lies outside the {n.Code.Length}-byte snippet");
            bytes.CopyTo(code, offset);
        }
        m.WriteLinear(n.Start, code);

        var regs = new uint[8];
        regs[4] = top;
        uint eflags = 0x202;
        string[] names = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];
        foreach (var (t, v) in c.Init)
        {
            int r = Array.IndexOf(names, t);
            if (r >= 0) { regs[r] = NativeHarness.Value(v, mem, top); continue; }
            if (t == "flags") { eflags |= InstructionCase.Flags(v); continue; }
            int at = t.IndexOf('@');
            string kind = t[..at];
            uint off = InstructionCase.ParseNumber(t[(at + 1)..]);
            byte[] bytes = kind switch
            {
                "b" => [(byte)InstructionCase.ParseNumber(v)],
                "w" => BitConverter.GetBytes((ushort)InstructionCase.ParseNumber(v)),
                "d" => BitConverter.GetBytes(NativeHarness.Value(v, mem, top)),
                "q" => BitConverter.GetBytes(InstructionCase.ParseNumber64(v)),
                "f32" => BitConverter.GetBytes(float.Parse(v, CultureInfo.InvariantCulture)),
                "f64" => BitConverter.GetBytes(double.Parse(v, CultureInfo.InvariantCulture)),
                _ => throw new InvalidDataException($"{c.File}:{c.Line}: unknown memory kind '{kind}'"),
            };
            m.Mem.Write(memPhys + off, bytes);
        }
        m.EnterUser(n.Start, regs[4], eflags);
        for (int i = 0; i < 8; i++) if (i != 4) m.Cpu.SetRegister(i, regs[i]);

        var stop = m.Run(10_000_000);
        int vector = stop == StopReason.Hypercall ? m.StoppedInStub() : -1;
        var outRegs = Enumerable.Range(0, 8).Select(m.Cpu.GetRegister).ToArray();
        uint eip = 0, efl = 0;
        if (vector >= 0)
        {
            bool err = vector is 8 or 10 or 11 or 12 or 13 or 14 or 17;
            uint f = m.Cpu.Esp + (err ? 4u : 0u);
            eip = m.Read32(f);
            efl = m.Read32(f + 8);
            outRegs[4] = m.Read32(f + 12);
        }
        var memOut = new byte[256];
        m.Cpu.TryReadLinear(mem, memOut, false);
        var stkOut = new byte[128];
        m.Cpu.TryReadLinear(top - 64, stkOut, false);
        return new Result(stop, m.Cpu.StopMessage, vector, eip, outRegs, efl, memOut, stkOut);
    }

    /// <summary>EFLAGS bits that are architecturally undefined after the snippet (from Iced's instruction info).</summary>
    public static uint UndefinedFlags(byte[] code, uint ip)
    {
        var d = Decoder.Create(32, new ByteArrayCodeReader(code), ip);
        uint und = 0;
        while (d.IP < ip + (ulong)code.Length)
        {
            d.Decode(out var ins);
            und = (und & ~ToEflags(ins.RflagsModified)) | ToEflags(ins.RflagsUndefined);
        }
        return und;
    }

    private static uint ToEflags(RflagsBits b)
    {
        uint f = 0;
        if ((b & RflagsBits.OF) != 0) f |= 0x800;
        if ((b & RflagsBits.SF) != 0) f |= 0x80;
        if ((b & RflagsBits.ZF) != 0) f |= 0x40;
        if ((b & RflagsBits.AF) != 0) f |= 0x10;
        if ((b & RflagsBits.CF) != 0) f |= 0x1;
        if ((b & RflagsBits.PF) != 0) f |= 0x4;
        if ((b & RflagsBits.DF) != 0) f |= 0x400;
        return f;
    }

    public static int SignalOfVector(int vector) => vector switch
    {
        0 => 8,                              // #DE → SIGFPE
        6 => 4,                              // #UD → SIGILL
        1 or 3 => 5,                         // #DB, #BP → SIGTRAP
        4 or 5 or 10 or 11 or 12 or 13 or 14 or 17 => 11, // → SIGSEGV
        _ => -1,
    };
}
