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

    public long MonotonicNanoseconds => (long)MulDiv(cpu.Cycles, 1_000_000_000u, (ulong)_hz);

    public void AdvanceTo(long ns)
    {
        ulong target = MulDiv((ulong)Math.Max(0, ns), (ulong)_hz, 1_000_000_000u) + 1;
        if (target > cpu.Cycles) cpu.Cycles = target;
    }

    /// <summary>
    /// The low 64 bits of ⌊value × mul ÷ div⌋, exactly as the 128-bit product would give them: value = q·div + r, so the
    /// quotient is q·mul + ⌊r·mul ÷ div⌋, and r·mul fits in 64 bits while div·mul does (clock rates below 18 GHz).
    /// Plain ulong arithmetic, because UInt128's operators (and Math.BigMul's intrinsics) are not precompiled and would be
    /// JIT-compiled at every start (docs/machine.md, "Start-up").
    /// </summary>
    internal static ulong MulDiv(ulong value, ulong mul, ulong div)
    {
        if (mul != 0 && div > ulong.MaxValue / mul) return (ulong)((UInt128)value * mul / div);
        ulong q = value / div, r = value % div;
        return unchecked(q * mul + r * mul / div);
    }

    public void Charge(long cycles) => cpu.Cycles += (ulong)Math.Max(0, cycles);
}

/// <summary>invlpg and TLB flushes for the address space loaded in CR3.</summary>
internal sealed class CpuTlb(Cpu cpu) : ITranslationCache
{
    public void InvalidatePage(uint linearAddress) => cpu.InvalidatePage(linearAddress);

    public void FlushAll() => cpu.FlushTlb();
}
