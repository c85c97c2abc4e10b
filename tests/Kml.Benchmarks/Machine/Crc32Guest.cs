using Iced.Intel;
using Kml.Machine;
using Kml.Machine.Tests.Support;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Benchmarks.Machine;

/// <summary>A byte-at-a-time table-driven CRC-32 (the inner loop of gzip's crc32): byte loads, a table lookup,
/// shifts and xors, a counted loop — branchy, load-heavy code unlike SHA-256's long ALU blocks.</summary>
public sealed class Crc32Guest
{
    private const uint DataAddress = 0x0900_0000;
    private const uint TableAddress = TestMachine.UserData;

    public TestMachine Machine { get; }
    private readonly int _length;

    public Crc32Guest(byte[] data)
    {
        _length = data.Length;
        Machine = new TestMachine(64u << 20);
        Machine.MapUser(codeBytes: 0x1000, dataBytes: 0x1000);
        Machine.MapRange(DataAddress, (uint)((data.Length + 4095) & ~4095), TestMachine.UserRw);
        Machine.WriteLinear(DataAddress, data);
        var table = new byte[1024];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            BitConverter.GetBytes(c).CopyTo(table, (int)n * 4);
        }
        Machine.WriteLinear(TableAddress, table);
        Machine.Assemble(TestMachine.UserCode, a =>
        {
            var loop = a.CreateLabel(); var done = a.CreateLabel();
            a.mov(eax, 0xFFFF_FFFF);
            a.test(ecx, ecx);
            a.jz(done);
            a.Label(ref loop);
            a.movzx(edx, __byte_ptr[esi]);
            a.xor(edx, eax);
            a.movzx(edx, dl);
            a.shr(eax, 8);
            a.xor(eax, __dword_ptr[edx * 4 + (long)TableAddress]);
            a.inc(esi);
            a.dec(ecx);
            a.jnz(loop);
            a.Label(ref done);
            a.not(eax);
            a.@int(0x80);
        });
        Reset();
    }

    public void Reset()
    {
        Machine.EnterUser(TestMachine.UserCode);
        Machine.Cpu.Esi = DataAddress;
        Machine.Cpu.Ecx = (uint)_length;
    }

    public uint Run()
    {
        var r = Machine.Run(ulong.MaxValue / 2);
        if (r != StopReason.Hypercall || Machine.StoppedInStub() != 0x80) throw new InvalidOperationException($"crc32 guest stopped with {r}: {Machine.Cpu.StopMessage}");
        return Machine.Cpu.Eax;
    }
}
