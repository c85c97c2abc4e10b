using Iced.Intel;
using Kml.Machine;
using Kml.Machine.Memory;
using Kml.Machine.Protection;

namespace Kml.Machine.Tests.Support;

/// <summary>
/// A minimal protected-mode machine for tests and benchmarks: flat GDT (kernel/user code and data, a TSS, a
/// double-fault TSS, a TLS segment), an IDT whose every vector points at a stub "vmcall; iret" in kernel pages,
/// paging with the kernel at 0xC0000000 (supervisor) and user pages below.
/// </summary>
public sealed class TestMachine
{
    public const uint KernelBase = 0xC000_0000;
    public const uint GdtPhys = 0x0000, IdtPhys = 0x1000, TssPhys = 0x2000, DfTssPhys = 0x2100, PageDirPhys = 0x3000;
    public const uint StubPhys = 0x10000, KernelStackTopPhys = 0x30000, DfStackTopPhys = 0x38000;
    public const uint UserCode = 0x0804_8000, UserData = 0x0810_0000, UserStackTop = 0xBFFF_0000;
    // The selectors of a 64-bit Linux host running i386 programs, so differential runs see the same values.
    public const ushort KernelCs = 0x10, KernelDs = 0x18, UserCs = 0x23, UserDs = 0x2B, TssSel = 0x30, DfTssSel = 0x38, TlsSel = 0x63;

    /// <summary>When set (per test, through the async flow), machines translate blocks after this many executions.</summary>
    public static readonly AsyncLocal<int?> TranslationThresholdOverride = new();

    public PhysicalMemory Mem { get; }
    public Cpu Cpu { get; }
    private uint _nextFree = 0x40000;

    public TestMachine(uint memorySize = 16 << 20, CycleModel? model = null)
    {
        Mem = new PhysicalMemory(memorySize);
        Cpu = new Cpu(Mem, model);
        if (TranslationThresholdOverride.Value is int threshold) Cpu.TranslationThreshold = threshold;
        // GDT
        WriteGdt(2, Descriptors.FlatCode(0));
        WriteGdt(3, Descriptors.FlatData(0));
        WriteGdt(4, Descriptors.FlatCode(3));
        WriteGdt(5, Descriptors.FlatData(3));
        WriteGdt(6, Descriptors.Tss(KernelBase + TssPhys));
        WriteGdt(7, Descriptors.Tss(KernelBase + DfTssPhys));
        WriteGdt(12, Descriptors.Data(UserData, 0xFFF, 3));
        // Page directory: kernel direct map of the first 16 MiB at 0xC0000000 (supervisor, writable).
        Mem.Fill(PageDirPhys, 4096, 0);
        for (uint phys = 0; phys < Math.Min(memorySize, 16u << 20); phys += 4096) Map(KernelBase + phys, phys, PageTable.Present | PageTable.Writable);
        // IDT: vector v → stub at StubPhys + v*16: "vmcall; iretd" (error-code vectors: "vmcall; add esp,4; iretd").
        for (int v = 0; v < 256; v++)
        {
            uint stub = StubPhys + (uint)v * 16;
            bool err = v is 8 or 10 or 11 or 12 or 13 or 14 or 17;
            Mem.Write(stub, err ? new byte[] { 0x0F, 0x01, 0xC1, 0x83, 0xC4, 0x04, 0xCF } : new byte[] { 0x0F, 0x01, 0xC1, 0xCF });
            int dpl = v is 0x80 or 3 or 4 ? 3 : 0;
            WriteIdt(v, Descriptors.InterruptGate(KernelCs, KernelBase + stub, dpl));
        }
        // TSS: ring-0 stack.
        Mem.WriteUInt32(TssPhys + Tss32.Esp0, KernelBase + KernelStackTopPhys);
        Mem.WriteUInt32(TssPhys + Tss32.Ss0, KernelDs);
        Mem.WriteUInt32(TssPhys + Tss32.Cr3, PageDirPhys); // read back when a nested task returns with iret
        // Double-fault TSS: a known-good stack, kernel segments, entry at the vector-8 stub.
        Mem.WriteUInt32(DfTssPhys + Tss32.Cr3, PageDirPhys);
        Mem.WriteUInt32(DfTssPhys + Tss32.Eip, KernelBase + StubPhys + 8 * 16);
        Mem.WriteUInt32(DfTssPhys + Tss32.EFlags, 2);
        Mem.WriteUInt32(DfTssPhys + Tss32.Esp, KernelBase + DfStackTopPhys);
        Mem.WriteUInt32(DfTssPhys + Tss32.Cs, KernelCs);
        foreach (int off in new[] { Tss32.Es, Tss32.Ss, Tss32.Ds, Tss32.Fs, Tss32.Gs }) Mem.WriteUInt32(DfTssPhys + (uint)off, KernelDs);

        Cpu.Gdtr = new DescriptorTableRegister(KernelBase + GdtPhys, 16 * 8 - 1);
        Cpu.Idtr = new DescriptorTableRegister(KernelBase + IdtPhys, 256 * 8 - 1);
        Cpu.Cr3 = PageDirPhys;
        Cpu.Cr0 = 0x8001_0001; // PG | WP | PE
        Cpu.SetSegment(SegmentRegister.CS, KernelCs);
        foreach (var s in new[] { SegmentRegister.SS, SegmentRegister.DS, SegmentRegister.ES, SegmentRegister.FS, SegmentRegister.GS }) Cpu.SetSegment(s, KernelDs);
        Cpu.LoadTaskRegister(TssSel);
        Cpu.SysenterCs = KernelCs;
        Cpu.SysenterEsp = KernelBase + KernelStackTopPhys;
        Cpu.Esp = KernelBase + KernelStackTopPhys;
        Cpu.EFlags = 2;
    }

    public void WriteGdt(int index, ulong descriptor) => Mem.WriteUInt64(GdtPhys + (uint)index * 8, descriptor);
    public void WriteIdt(int vector, ulong gate) => Mem.WriteUInt64(IdtPhys + (uint)vector * 8, gate);

    public uint StubAddress(int vector) => KernelBase + StubPhys + (uint)vector * 16;

    public uint AllocPhys(uint bytes = 4096)
    {
        uint p = _nextFree;
        _nextFree += (bytes + 4095) & ~4095u;
        Mem.Fill(p, (bytes + 4095) & ~4095u, 0);
        return p;
    }

    /// <summary>Maps one 4 KiB page (allocating its page table on first use; directory entries get U/W so PTEs decide).</summary>
    public void Map(uint linear, uint phys, uint flags)
    {
        uint pdeAddr = PageDirPhys + (linear >> 22) * 4;
        uint pde = Mem.ReadUInt32(pdeAddr);
        if ((pde & 1) == 0)
        {
            uint pt = AllocPhys();
            pde = PageTable.Entry(pt, PageTable.Present | PageTable.Writable | PageTable.User);
            Mem.WriteUInt32(pdeAddr, pde);
        }
        Mem.WriteUInt32((pde & 0xFFFF_F000) + ((linear >> 12) & 0x3FF) * 4, PageTable.Entry(phys, flags));
        Cpu.InvalidatePage(linear);
    }

    public void Unmap(uint linear)
    {
        uint pde = Mem.ReadUInt32(PageDirPhys + (linear >> 22) * 4);
        if ((pde & 1) == 0) return;
        Mem.WriteUInt32((pde & 0xFFFF_F000) + ((linear >> 12) & 0x3FF) * 4, 0);
        Cpu.InvalidatePage(linear);
    }

    /// <summary>Maps fresh zeroed pages over [linear, linear+bytes) and returns the physical address of the first.</summary>
    public uint MapRange(uint linear, uint bytes, uint flags)
    {
        uint first = 0;
        for (uint off = 0; off < bytes; off += 4096)
        {
            uint p = AllocPhys();
            if (off == 0) first = p;
            Map(linear + off, p, flags);
        }
        return first;
    }

    public const uint UserRw = PageTable.Present | PageTable.Writable | PageTable.User;
    public const uint UserRo = PageTable.Present | PageTable.User;

    /// <summary>Assembles 32-bit code at <paramref name="linear"/> and writes it through the page tables.</summary>
    public byte[] Assemble(uint linear, Action<Assembler> build)
    {
        var a = new Assembler(32);
        build(a);
        var w = new ByteWriter();
        a.Assemble(w, linear);
        var bytes = w.ToArray();
        WriteLinear(linear, bytes);
        return bytes;
    }

    public void WriteLinear(uint linear, ReadOnlySpan<byte> bytes)
    {
        if (!Cpu.TryWriteLinear(linear, bytes, false)) throw new InvalidOperationException($"0x{linear:x8} is not mapped");
    }

    public void WriteLinearUser(uint linear, ReadOnlySpan<byte> bytes)
    {
        if (!Cpu.TryWriteLinear(linear, bytes, true)) throw new InvalidOperationException($"0x{linear:x8} is not writable from user mode");
    }

    public byte[] ReadLinear(uint linear, int n)
    {
        var b = new byte[n];
        if (!Cpu.TryReadLinear(linear, b, false)) throw new InvalidOperationException($"0x{linear:x8} is not mapped");
        return b;
    }

    public uint Read32(uint linear) => BitConverter.ToUInt32(ReadLinear(linear, 4));

    /// <summary>Sets up user code/data/stack mappings and enters ring 3 at <paramref name="eip"/>.</summary>
    public void MapUser(uint codeBytes = 0x4000, uint dataBytes = 0x10000, uint stackBytes = 0x10000)
    {
        MapRange(UserCode, codeBytes, UserRw);
        MapRange(UserData, dataBytes, UserRw);
        MapRange(UserStackTop - stackBytes, stackBytes, UserRw);
    }

    public void EnterUser(uint eip, uint esp = UserStackTop, uint eflags = 0x202)
    {
        Cpu.SetSegment(SegmentRegister.CS, UserCs);
        Cpu.SetSegment(SegmentRegister.SS, UserDs);
        Cpu.SetSegment(SegmentRegister.DS, UserDs);
        Cpu.SetSegment(SegmentRegister.ES, UserDs);
        Cpu.SetSegment(SegmentRegister.FS, UserDs);
        Cpu.SetSegment(SegmentRegister.GS, TlsSel);
        Cpu.Eip = eip;
        Cpu.Esp = esp;
        Cpu.EFlags = eflags;
    }

    public void EnterKernel(uint eip, uint eflags = 2)
    {
        Cpu.SetSegment(SegmentRegister.CS, KernelCs);
        foreach (var s in new[] { SegmentRegister.SS, SegmentRegister.DS, SegmentRegister.ES, SegmentRegister.FS, SegmentRegister.GS }) Cpu.SetSegment(s, KernelDs);
        Cpu.Eip = eip;
        Cpu.EFlags = eflags;
    }

    /// <summary>Runs until a stop; returns the reason.</summary>
    public StopReason Run(ulong budget = 100_000_000) => Cpu.Run(budget);

    /// <summary>Vector of the IDT stub whose vmcall stopped the CPU, or −1.</summary>
    public int StoppedInStub()
    {
        uint off = Cpu.Eip - 3 - (KernelBase + StubPhys);
        return off < 256 * 16 && off % 16 == 0 ? (int)(off / 16) : -1;
    }
}

/// <summary>Collects the bytes Iced's assembler emits.</summary>
public sealed class ByteWriter : CodeWriter
{
    private readonly List<byte> _bytes = new();
    public override void WriteByte(byte value) => _bytes.Add(value);
    public byte[] ToArray() => _bytes.ToArray();
}
