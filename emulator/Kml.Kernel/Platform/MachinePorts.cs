using Kml.Kernel.Memory;
using Kml.Machine;

namespace Kml.Kernel.Platform;

/// <summary>The kernel's view of the machine's physical memory (writes keep the CPU's decoded-block cache coherent).</summary>
internal sealed class MachinePhysicalMemory(PhysicalMemory memory) : IPhysicalMemory
{
    public uint Size => memory.Size;

    public uint ReadUInt32(uint address) => memory.ReadUInt32(address);

    public void WriteUInt32(uint address, uint value) => memory.WriteUInt32(address, value);

    public void Read(uint address, Span<byte> destination) => memory.Read(address, destination);

    public void Write(uint address, ReadOnlySpan<byte> source) => memory.Write(address, source);

    public void Fill(uint address, int length, byte value) => memory.Fill(address, (uint)length, value);

    public void Copy(uint source, uint destination, int length) => memory.Copy(destination, source, (uint)length);
}

/// <summary>Emulated time from the CPU's time-stamp counter.</summary>
internal sealed class CpuClock(Cpu cpu) : IKernelClock
{
    private readonly long _hz = cpu.CycleModel.ClockHz;

    // cycles * 1e9 / hz, exactly, without UInt128 (whose operators are JIT-compiled unoptimized at start-up): split the
    // cycles into whole seconds and a remainder below hz, whose product with 1e9 fits 64 bits for clocks below 18 GHz.
    public long MonotonicNanoseconds
    {
        get
        {
            ulong cycles = cpu.Cycles, hz = (ulong)_hz;
            if (hz >= 18_000_000_000UL) return (long)((UInt128)cycles * 1_000_000_000u / hz);
            return (long)(cycles / hz * 1_000_000_000UL + cycles % hz * 1_000_000_000UL / hz);
        }
    }

    public void AdvanceTo(long ns)
    {
        ulong target = (ulong)((UInt128)(ulong)Math.Max(0, ns) * (ulong)_hz / 1_000_000_000u) + 1;
        if (target > cpu.Cycles) cpu.Cycles = target;
    }

    public void Charge(long cycles) => cpu.Cycles += (ulong)Math.Max(0, cycles);
}

/// <summary>invlpg and TLB flushes for the address space loaded in CR3.</summary>
internal sealed class CpuTlb(Cpu cpu) : ITranslationCache
{
    public void InvalidatePage(uint linearAddress) => cpu.InvalidatePage(linearAddress);

    public void FlushAll() => cpu.FlushTlb();
}
