using Iced.Intel;
using Kml.Machine.Memory;
using Kml.Machine.Protection;
using Kml.Machine.Tests.Support;
using Shouldly;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Machine.Tests.Architecture;

public class MoreSystemTests
{
    private const uint Code = TestMachine.UserCode;

    private static uint KernelCode(TestMachine m, Action<Assembler> code)
    {
        uint k = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(k, code);
        return k;
    }

    [Fact]
    public void Interrupt_InRing0_PushesOnTheCurrentStackWithoutSwitching()
    {
        var m = new TestMachine();
        uint k = KernelCode(m, a => { a.mov(esp, TestMachine.KernelBase + 0x20000); a.@int(0x40); a.vmcall(); });
        m.EnterKernel(k);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.StoppedInStub().ShouldBe(0x40);
        m.Cpu.Esp.ShouldBe(TestMachine.KernelBase + 0x20000 - 12);
        m.Read32(m.Cpu.Esp).ShouldBe(k + 7);
        m.Read32(m.Cpu.Esp + 4).ShouldBe((uint)TestMachine.KernelCs);
        m.Cpu.Statistics.PrivilegeChangingDeliveries.ShouldBe(0);
        // The stub's iret returns within ring 0 and pops three doublewords.
        m.Run().ShouldBe(StopReason.Hypercall);
        m.Cpu.Eip.ShouldBe(k + 10);
        m.Cpu.Esp.ShouldBe(TestMachine.KernelBase + 0x20000);
        m.Cpu.Statistics.Irets.ShouldBe(1);
        m.Cpu.Statistics.IretsToOuterLevel.ShouldBe(0);
    }

    [Fact]
    public void LargePage_WithCr4Pse_TranslatesFourMegabytes()
    {
        var m = new TestMachine();
        uint physBase = 0x0040_0000; // 4 MiB-aligned frame inside the 16 MiB memory
        m.Mem.WriteUInt32(TestMachine.PageDirPhys + (0x4000_0000u >> 22) * 4, physBase | PageTable.Present | PageTable.Writable | PageTable.User | PageTable.LargePage);
        m.Cpu.Cr4 = 0x10;
        m.Mem.WriteUInt32(physBase + 0x12_3454, 0xFEEDFACE);
        m.Cpu.TryTranslate(0x4012_3454, false, true, out uint phys).ShouldBeTrue();
        phys.ShouldBe(physBase + 0x12_3454);
        uint k = KernelCode(m, a => { a.mov(eax, __dword_ptr[0x4012_3454]); a.vmcall(); });
        m.EnterKernel(k);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.Cpu.Eax.ShouldBe(0xFEEDFACEu);
        (m.Mem.ReadUInt32(TestMachine.PageDirPhys + (0x4000_0000u >> 22) * 4) & PageTable.Accessed).ShouldBe(PageTable.Accessed);
    }

    [Fact]
    public void Cr3Write_FlushesTheTlb_AndChargesTheRefills()
    {
        var m = new TestMachine();
        m.MapUser();
        uint k = KernelCode(m, a =>
        {
            a.mov(eax, __dword_ptr[TestMachine.UserData]);
            a.mov(eax, cr3);
            a.mov(cr3, eax);
            a.mov(eax, __dword_ptr[TestMachine.UserData]);
            a.vmcall();
        });
        m.EnterKernel(k);
        m.Cpu.ResetStatistics();
        m.Run().ShouldBe(StopReason.Hypercall);
        m.Cpu.Statistics.Cr3Writes.ShouldBe(1);
        m.Cpu.Statistics.TlbFlushes.ShouldBe(1);
        m.Cpu.Statistics.TlbMisses.ShouldBeGreaterThanOrEqualTo(3, "the data page and the code page are walked again after the flush");
    }

    [Fact]
    public void MovSs_BlocksInterruptsForOneInstruction()
    {
        var m = new TestMachine();
        uint k = KernelCode(m, a => { a.mov(eax, TestMachine.KernelDs); a.mov(ss, eax); a.mov(esp, TestMachine.KernelBase + 0x20000); a.mov(ebx, 1); a.vmcall(); });
        m.EnterKernel(k, eflags: 0x202);
        m.Cpu.RequestInterrupt(0x30);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.StoppedInStub().ShouldBe(0x30);
        // The interrupt was taken at the first boundary (before mov ss); request again after mov ss: taken after mov esp.
        var m2 = new TestMachine();
        uint k2 = KernelCode(m2, a => { a.mov(eax, TestMachine.KernelDs); a.mov(ss, eax); a.mov(esp, TestMachine.KernelBase + 0x20000); a.mov(ebx, 1); a.vmcall(); });
        m2.EnterKernel(k2, eflags: 0x202);
        m2.Cpu.Run(6).ShouldBe(StopReason.CycleLimit); // executes "mov eax" only (first block stops at mov ss)
        m2.Cpu.RequestInterrupt(0x30);
        m2.Run().ShouldBe(StopReason.Hypercall);
        m2.StoppedInStub().ShouldBe(0x30);
        m2.Read32(m2.Cpu.Esp).ShouldBeOneOf(k2 + 5, k2 + 7 + 5);
    }

    [Fact]
    public void Hlt_WithAPendingInterruptAndIfSet_ContinuesIntoTheHandler()
    {
        var m = new TestMachine();
        uint k = KernelCode(m, a => { a.hlt(); a.vmcall(); });
        m.EnterKernel(k, eflags: 0x202);
        m.Cpu.RequestInterrupt(0x31);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.StoppedInStub().ShouldBe(0x31);
    }

    [Fact]
    public void Sysenter_WithoutSysenterCs_RaisesGeneralProtection()
    {
        var m = new TestMachine();
        m.MapUser();
        m.Assemble(Code, a => a.sysenter());
        m.Cpu.SysenterCs = 0;
        m.EnterUser(Code);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.StoppedInStub().ShouldBe(13);
    }

    [Fact]
    public void LdtSegment_CanBeLoadedAfterLldt()
    {
        var m = new TestMachine();
        m.MapUser();
        uint ldtPhys = m.AllocPhys();
        m.Mem.WriteUInt64(ldtPhys + 8, Descriptors.Data(0x0810_0000, 0xFFF, 3));
        m.WriteGdt(8, Descriptors.LdtDescriptor(TestMachine.KernelBase + ldtPhys, 15));
        m.Cpu.LoadLdtRegister(Descriptors.Selector(8, 0));
        m.Cpu.TryWriteLinear(0x0810_0010, BitConverter.GetBytes(0x77u), false).ShouldBeTrue();
        m.Assemble(Code, a => { a.mov(eax, (uint)Descriptors.Selector(1, 3, ldt: true)); a.mov(fs, eax); a.mov(ebx, __dword_ptr.fs[0x10]); a.@int(0x80); });
        m.EnterUser(Code);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.StoppedInStub().ShouldBe(0x80);
        m.Cpu.Ebx.ShouldBe(0x77u);
        m.Cpu.GetSegment(SegmentRegister.FS).Base.ShouldBe(0x0810_0000u);
    }

    [Fact]
    public void RequestStop_FromAnObserver_StopsAtTheNextBoundary()
    {
        var m = new TestMachine();
        m.MapUser();
        m.Assemble(Code, a => { var l = a.CreateLabel(); a.Label(ref l); a.mov(__dword_ptr[TestMachine.UserData], eax); a.jmp(l); });
        m.EnterUser(Code);
        m.Cpu.Observer = new StopOnWrite(m.Cpu);
        m.Run().ShouldBe(StopReason.Requested);
        m.Cpu.Statistics.InstructionsRetired.ShouldBeLessThan(10);
    }

    private sealed class StopOnWrite(Cpu cpu) : IMachineObserver
    {
        public void OnMemoryAccess(uint linear, int size, bool write, int cpl) { if (write) cpu.RequestStop(); }
        public void OnControlTransfer(uint from, uint to, ControlTransferKind kind) { }
    }

    [Fact]
    public void TimerInterrupt_WaitsWhileIfIsClear()
    {
        var m = new TestMachine();
        uint k = KernelCode(m, a =>
        {
            var l = a.CreateLabel();
            a.mov(ecx, 20000);
            a.Label(ref l);
            a.dec(ecx);
            a.jnz(l);
            a.sti();
            a.nop();
            a.vmcall();
        });
        m.EnterKernel(k, eflags: 2);
        m.Cpu.ConfigureTimer(1000, 0x20);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.StoppedInStub().ShouldBe(0x20);
        m.Cpu.Ecx.ShouldBe(0u, "the loop ran to completion with IF = 0");
        m.Read32(m.Cpu.Esp).ShouldBe(k + 5 + 1 + 2 + 1 + 1, "taken after the instruction following sti");
    }
}
