using Iced.Intel;
using Kml.Machine.Memory;
using Kml.Machine.Protection;
using Kml.Machine.Tests.Support;
using Shouldly;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Machine.Tests.Architecture;

/// <summary>Protection, paging, transitions, timer, block-cache coherence: scenarios on the test machine, whose IDT stubs
/// stop with a hypercall ("vmcall; [add esp,4;] iret").</summary>
public class SystemBehaviourTests
{
    private const uint Code = TestMachine.UserCode;
    private const uint Data = TestMachine.UserData;

    private static TestMachine User(Action<Assembler> code)
    {
        var m = new TestMachine();
        m.MapUser();
        m.Assemble(Code, code);
        m.EnterUser(Code);
        return m;
    }

    private static uint ErrorCode(TestMachine m) => m.Read32(m.Cpu.Esp);
    private static uint FrameEip(TestMachine m, bool hasError) => m.Read32(m.Cpu.Esp + (hasError ? 4u : 0u));

    private static void StopsIn(TestMachine m, int vector)
    {
        var r = m.Run();
        r.ShouldBe(StopReason.Hypercall, m.Cpu.StopMessage);
        m.StoppedInStub().ShouldBe(vector);
    }

    [Theory]
    [InlineData(0xC000_0000u, false, 0x5u)] // user read of a supervisor page: P | U
    [InlineData(0xC000_0000u, true, 0x7u)]  // user write of a supervisor page: P | W | U
    [InlineData(0x4000_0000u, false, 0x4u)] // not present, read
    [InlineData(0x4000_0000u, true, 0x6u)]  // not present, write
    public void PageFault_HasSdmErrorCodeAndCr2(uint address, bool write, uint expected)
    {
        var m = User(a =>
        {
            if (write) a.mov(__dword_ptr[address], eax); else a.mov(eax, __dword_ptr[address]);
        });
        StopsIn(m, 14);
        ErrorCode(m).ShouldBe(expected);
        m.Cpu.Cr2.ShouldBe(address);
        FrameEip(m, true).ShouldBe(Code);
    }

    [Fact]
    public void PageFault_UserWriteToReadOnlyPage_IsRestartableAfterTheKernelFixesTheMapping()
    {
        var m = new TestMachine();
        m.MapUser();
        uint phys = m.AllocPhys();
        m.Map(0x0900_0000, phys, TestMachine.UserRo);
        m.Assemble(Code, a => { a.mov(eax, 0x1234); a.push(eax); a.mov(__dword_ptr[0x0900_0010], eax); a.pop(ebx); a.@int(0x80); });
        m.EnterUser(Code);
        uint esp0 = m.Cpu.Esp;
        StopsIn(m, 14);
        ErrorCode(m).ShouldBe(0x7u);
        m.Read32(m.Cpu.Esp + 16).ShouldBe(esp0 - 4, "the faulting store did not change ESP beyond the push before it");
        m.Map(0x0900_0000, phys, TestMachine.UserRw);
        StopsIn(m, 0x80);
        m.Mem.ReadUInt32(phys + 0x10).ShouldBe(0x1234u);
        m.Cpu.Ebx.ShouldBe(0x1234u);
    }

    [Fact]
    public void Paging_SupervisorWriteToReadOnlyUserPage_FaultsOnlyWithCr0Wp()
    {
        var m = new TestMachine();
        uint phys = m.AllocPhys();
        m.Map(0x0900_0000, phys, TestMachine.UserRo);
        uint kcode = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(kcode, a => { a.mov(__dword_ptr[0x0900_0000], 0x55); a.vmcall(); });
        m.EnterKernel(kcode);
        StopsIn(m, 14);
        ErrorCode(m).ShouldBe(0x3u);

        m.EnterKernel(kcode);
        m.Cpu.Cr0 &= ~(1u << 16); // WP off
        m.Run().ShouldBe(StopReason.Hypercall);
        m.Cpu.Eip.ShouldBe(kcode + 13);
        m.Mem.ReadUInt32(phys).ShouldBe(0x55u);
    }

    [Fact]
    public void Paging_SetsAccessedAndDirtyBits()
    {
        var m = User(a => { a.mov(eax, __dword_ptr[Data]); a.mov(__dword_ptr[Data + 0x1000], eax); a.@int(0x80); });
        uint pde = m.Mem.ReadUInt32(TestMachine.PageDirPhys + (Data >> 22) * 4) & 0xFFFF_F000;
        uint pte0 = pde + ((Data >> 12) & 0x3FF) * 4, pte1 = pte0 + 4;
        (m.Mem.ReadUInt32(pte0) & (PageTable.Accessed | PageTable.Dirty)).ShouldBe(0u);
        StopsIn(m, 0x80);
        (m.Mem.ReadUInt32(pte0) & (PageTable.Accessed | PageTable.Dirty)).ShouldBe(PageTable.Accessed);
        (m.Mem.ReadUInt32(pte1) & (PageTable.Accessed | PageTable.Dirty)).ShouldBe(PageTable.Accessed | PageTable.Dirty);
    }

    [Fact]
    public void CrossPageAccess_FaultsOnTheSecondPage_WithoutWritingTheFirst()
    {
        var m = new TestMachine();
        m.MapUser();
        uint phys = m.AllocPhys();
        m.Map(0x0900_0000, phys, TestMachine.UserRw);
        m.Assemble(Code, a => { a.mov(eax, 0x11223344); a.mov(__dword_ptr[0x0900_0FFE], eax); a.@int(0x80); });
        m.EnterUser(Code);
        StopsIn(m, 14);
        m.Cpu.Cr2.ShouldBe(0x0900_1000u);
        ErrorCode(m).ShouldBe(0x6u);
        m.Mem.ReadUInt16(phys + 0xFFE).ShouldBe((ushort)0);
    }

    [Fact]
    public void InstructionStraddlingIntoAnUnmappedPage_FaultsWithCr2AtTheSecondPage_AndRunsOnceMapped()
    {
        var m = new TestMachine();
        m.MapUser(codeBytes: 0x1000);
        uint start = Code + 0xFFE;
        m.WriteLinear(start, new byte[] { 0xB8 }); // mov eax, imm32 straddles into Code + 0x1000
        m.EnterUser(start);
        StopsIn(m, 14);
        m.Cpu.Cr2.ShouldBe(Code + 0x1000);
        FrameEip(m, true).ShouldBe(start);
        uint p2 = m.AllocPhys();
        m.Map(Code + 0x1000, p2, TestMachine.UserRw);
        m.WriteLinear(Code + 0xFFF, new byte[] { 0x78, 0x56, 0x34, 0x12, 0xCD, 0x80 });
        StopsIn(m, 0x80);
        m.Cpu.Eax.ShouldBe(0x12345678u);
    }

    [Fact]
    public void IntN_FromRing3_PushesSsEspEflagsCsEip_OnTheTssStack()
    {
        var m = User(a => { a.mov(esp, 0xBFFF_FF00); a.@int(0x80); });
        StopsIn(m, 0x80);
        uint f = m.Cpu.Esp;
        f.ShouldBe(TestMachine.KernelBase + TestMachine.KernelStackTopPhys - 20);
        m.Read32(f).ShouldBe(Code + 7);
        m.Read32(f + 4).ShouldBe((uint)TestMachine.UserCs);
        m.Read32(f + 12).ShouldBe(0xBFFF_FF00u);
        m.Read32(f + 16).ShouldBe((uint)TestMachine.UserDs);
        m.Cpu.GetSegment(SegmentRegister.SS).Selector.ShouldBe(TestMachine.KernelDs);
        m.Cpu.Statistics.PrivilegeChangingDeliveries.ShouldBe(1);
    }

    [Fact]
    public void IntN_ThroughGateWithDplBelowCpl_RaisesGeneralProtection()
    {
        var m = User(a => a.@int(0x81));
        StopsIn(m, 13);
        ErrorCode(m).ShouldBe(0x81u * 8 + 2);
    }

    [Fact]
    public void Vmcall_AtCpl3_RaisesInvalidOpcode()
    {
        var m = User(a => a.vmcall());
        StopsIn(m, 6);
        FrameEip(m, false).ShouldBe(Code);
    }

    [Theory]
    [InlineData("hlt")]
    [InlineData("cli")]
    [InlineData("lidt")]
    [InlineData("movcr3")]
    [InlineData("wrmsr")]
    [InlineData("sysexit")]
    public void PrivilegedInstruction_AtCpl3_RaisesGeneralProtectionZero(string which)
    {
        var m = User(a =>
        {
            switch (which)
            {
                case "hlt": a.hlt(); break;
                case "cli": a.cli(); break;
                case "lidt": a.lidt(__[Data]); break;
                case "movcr3": a.mov(cr3, eax); break;
                case "wrmsr": a.wrmsr(); break;
                default: a.sysexit(); break;
            }
        });
        StopsIn(m, 13);
        ErrorCode(m).ShouldBe(0u);
    }

    [Fact]
    public void Cli_AtCpl3_IsAllowedWithIopl3()
    {
        var m = User(a => { a.cli(); a.@int(0x80); });
        m.Cpu.EFlags = 0x3202;
        StopsIn(m, 0x80);
        (m.Read32(m.Cpu.Esp + 8) & 0x200).ShouldBe(0u);
    }

    [Fact]
    public void Iret_ToRing3_NullsDataSegmentsThatAreNotValidAtCpl3()
    {
        var m = new TestMachine();
        m.MapUser();
        m.Assemble(Code, a => { a.mov(eax, ds); a.@int(0x80); });
        uint kcode = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(kcode, a =>
        {
            a.push(TestMachine.UserDs); a.push(TestMachine.UserStackTop); a.push(0x202); a.push(TestMachine.UserCs); a.push(Code);
            a.iretd();
        });
        m.EnterKernel(kcode);
        m.Cpu.Esp = TestMachine.KernelBase + TestMachine.KernelStackTopPhys;
        StopsIn(m, 0x80);
        m.Cpu.Eax.ShouldBe(0u, "DS held a DPL-0 selector, so iret to ring 3 loaded a null selector");
        m.Cpu.Statistics.IretsToOuterLevel.ShouldBe(1);
    }

    [Fact]
    public void SysenterAndSysexit_RoundTrip()
    {
        var m = new TestMachine();
        m.MapUser();
        uint kcode = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(kcode, a => { a.vmcall(); a.sysexit(); });
        m.Cpu.SysenterEip = kcode;
        m.Assemble(Code, a =>
        {
            a.mov(ecx, esp); a.mov(edx, Code + 14); a.mov(eax, 20); a.sysenter(); // the return point is Code + 14
            a.@int(0x80);
        });
        m.EnterUser(Code);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.Cpu.Eip.ShouldBe(kcode + 3);
        m.Cpu.Cpl.ShouldBe(0);
        m.Cpu.Esp.ShouldBe(m.Cpu.SysenterEsp);
        m.Cpu.GetSegment(SegmentRegister.CS).Selector.ShouldBe(TestMachine.KernelCs);
        (m.Cpu.EFlags & 0x200).ShouldBe(0u);
        StopsIn(m, 0x80);
        m.Read32(m.Cpu.Esp + 4).ShouldBe((uint)TestMachine.UserCs);
        m.Read32(m.Cpu.Esp + 16).ShouldBe((uint)TestMachine.UserDs);
        m.Cpu.Statistics.Sysenters.ShouldBe(1);
        m.Cpu.Statistics.Sysexits.ShouldBe(1);
    }

    [Fact]
    public void DoubleFault_InRing0WithUnmappedStack_IsDeliveredThroughTheTaskGate()
    {
        var m = new TestMachine();
        m.WriteIdt(8, Descriptors.TaskGate(TestMachine.DfTssSel, 0));
        uint kcode = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(kcode, a => { a.mov(esp, 0x4000_0000); a.push(eax); a.vmcall(); });
        m.EnterKernel(kcode);
        StopsIn(m, 8);
        m.Cpu.Tr.Selector.ShouldBe(TestMachine.DfTssSel);
        m.Cpu.Statistics.TaskSwitches.ShouldBe(1);
        m.Cpu.Statistics.ExceptionsByVector[14].ShouldBe(1);
        m.Cpu.Statistics.ExceptionsByVector[8].ShouldBe(1);
        (m.Cpu.EFlags & 0x4000).ShouldBe(0x4000u, "NT is set in the nested task");
        m.Mem.ReadUInt16(TestMachine.DfTssPhys + Tss32.Link).ShouldBe(TestMachine.TssSel);
        m.Cpu.Esp.ShouldBe(TestMachine.KernelBase + TestMachine.DfStackTopPhys - 4);
        ErrorCode(m).ShouldBe(0u);
        m.Mem.ReadUInt32(TestMachine.TssPhys + Tss32.Esp).ShouldBe(0x4000_0000u, "the outgoing task's state was saved");
        m.Mem.ReadUInt32(TestMachine.TssPhys + Tss32.Eip).ShouldBe(kcode + 5, "the saved EIP is the faulting push");
    }

    [Fact]
    public void DoubleFault_ReturnsToThePreviousTask_WithIret()
    {
        var m = new TestMachine();
        m.WriteIdt(8, Descriptors.TaskGate(TestMachine.DfTssSel, 0));
        uint kcode = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(kcode, a => { a.mov(esp, 0x4000_0000); a.push(eax); a.vmcall(); });
        m.EnterKernel(kcode);
        StopsIn(m, 8);
        // The handler repairs the old task's stack pointer in its TSS, then the stub's iret switches back.
        m.Mem.WriteUInt32(TestMachine.TssPhys + Tss32.Esp, TestMachine.KernelBase + TestMachine.KernelStackTopPhys);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.Cpu.Tr.Selector.ShouldBe(TestMachine.TssSel);
        m.Cpu.Eip.ShouldBe(kcode + 9);
        m.Cpu.Statistics.TaskSwitches.ShouldBe(2);
    }

    [Fact]
    public void DoubleFault_TaskResumesAfterItsIret_OnTheNextDoubleFault()
    {
        // A double-fault task whose handler is "L: vmcall; add esp, 4; iretd; jmp L": the iret that returns to the
        // faulting task must save EIP past itself, so the next double fault runs the handler again (not the iret).
        var m = new TestMachine();
        m.WriteIdt(8, Descriptors.TaskGate(TestMachine.DfTssSel, 0));
        uint handler = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(handler, a => { var l = a.CreateLabel(); a.Label(ref l); a.vmcall(); a.add(esp, 4); a.iretd(); a.jmp(l); });
        m.Mem.WriteUInt32(TestMachine.DfTssPhys + Tss32.Eip, handler);
        uint kcode = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(kcode, a => { a.mov(esp, 0x4000_0000); a.push(eax); a.vmcall(); });
        m.EnterKernel(kcode);
        for (int round = 1; round <= 2; round++)
        {
            m.Run().ShouldBe(StopReason.Hypercall, m.Cpu.StopMessage);
            m.Cpu.Eip.ShouldBe(handler + 3, $"double fault {round} reaches the handler's vmcall");
            m.Cpu.Tr.Selector.ShouldBe(TestMachine.DfTssSel);
            // Leave the fault in place: the push faults again after the iret, and the task is entered again.
        }
        m.Cpu.Statistics.TaskSwitches.ShouldBe(3);
        m.Mem.ReadUInt32(TestMachine.DfTssPhys + Tss32.Eip).ShouldBe(handler + 7, "the task was saved past its iretd");
    }

    [Fact]
    public void TripleFault_WhenTheDoubleFaultCannotBeDelivered()
    {
        var m = new TestMachine();
        uint kcode = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(kcode, a => { a.mov(esp, 0x4000_0000); a.push(eax); a.vmcall(); });
        m.EnterKernel(kcode);
        m.Run().ShouldBe(StopReason.TripleFault);
        m.Cpu.StopMessage!.ShouldContain("triple fault");
    }

    [Fact]
    public void Timer_PreemptsAnEndlessLoopInRing3()
    {
        var m = User(a => { var l = a.CreateLabel(); a.Label(ref l); a.jmp(l); });
        m.Cpu.ConfigureTimer(50_000, 0x20);
        StopsIn(m, 0x20);
        m.Cpu.Cpl.ShouldBe(0);
        m.Cpu.Statistics.ExternalInterrupts.ShouldBe(1);
        m.Cpu.Cycles.ShouldBeGreaterThanOrEqualTo(50_000ul);
        m.Cpu.Cycles.ShouldBeLessThan(60_000ul);
    }

    [Fact]
    public void Run_ReturnsAtTheCycleLimit()
    {
        var m = User(a => { var l = a.CreateLabel(); a.Label(ref l); a.jmp(l); });
        m.Cpu.Run(10_000).ShouldBe(StopReason.CycleLimit);
        m.Cpu.Cycles.ShouldBeInRange(10_000ul, 10_200ul);
    }

    [Fact]
    public void ExternalInterrupt_WaitsForIf_AndTheStiShadow()
    {
        var m = User(a => { a.nop(); });
        uint kcode = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(kcode, a => { a.mov(eax, 1); a.sti(); a.mov(eax, 2); a.mov(eax, 3); a.vmcall(); });
        m.EnterKernel(kcode, eflags: 2);
        m.Cpu.RequestInterrupt(0x30);
        StopsIn(m, 0x30);
        m.Cpu.Eax.ShouldBe(2u, "the instruction after sti completes before the interrupt");
        FrameEip(m, false).ShouldBe(kcode + 5 + 1 + 5);
    }

    [Fact]
    public void Hlt_StopsWithHalt_WhenNoInterruptIsPending()
    {
        var m = new TestMachine();
        uint kcode = TestMachine.KernelBase + m.AllocPhys();
        m.Assemble(kcode, a => { a.hlt(); a.vmcall(); });
        m.EnterKernel(kcode);
        m.Run().ShouldBe(StopReason.Halt);
        m.Cpu.Eip.ShouldBe(kcode + 1);
    }

    [Fact]
    public void SelfModifyingCode_InvalidatesTheDecodedBlock()
    {
        // Runs a loop twice: the second time, the code has been patched by the guest (mov eax, 1 → mov eax, 2).
        var m = new TestMachine();
        m.MapUser();
        m.Assemble(Code, a =>
        {
            var again = a.CreateLabel();
            a.xor(ebx, ebx);
            a.Label(ref again);
            a.call(Code + 0x100);
            a.add(ebx, eax);
            a.mov(__byte_ptr[Code + 0x101], 2); // patch the immediate of "mov eax, 1"
            a.cmp(ebx, 3);
            a.jb(again);
            a.@int(0x80);
        });
        m.WriteLinear(Code + 0x100, new byte[] { 0xB8, 1, 0, 0, 0, 0xC3 }); // mov eax, 1; ret
        m.EnterUser(Code);
        StopsIn(m, 0x80);
        m.Cpu.Ebx.ShouldBe(3u);
        m.Cpu.Statistics.BlocksInvalidated.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void SelfModifyingCode_WithinTheRunningBlock_TakesEffectAtTheNextInstruction()
    {
        var m = new TestMachine();
        m.MapUser();
        // mov byte [next+1], 7 ; next: mov eax, 5 → executes as mov eax, 7
        var bytes = m.Assemble(Code, a => { a.mov(__byte_ptr[Code + 8], 7); a.mov(eax, 5); a.@int(0x80); });
        bytes[7].ShouldBe((byte)0xB8);
        m.EnterUser(Code);
        StopsIn(m, 0x80);
        m.Cpu.Eax.ShouldBe(7u);
    }

    [Fact]
    public void KernelWriteThroughPhysicalMemory_InvalidatesDecodedCode()
    {
        var m = User(a => { a.mov(eax, 1); a.@int(0x80); });
        StopsIn(m, 0x80);
        m.Cpu.Eax.ShouldBe(1u);
        m.Cpu.TryTranslate(Code, false, true, out uint phys).ShouldBeTrue();
        m.Mem.WriteByte(phys + 1, 9);
        m.EnterUser(Code);
        StopsIn(m, 0x80);
        m.Cpu.Eax.ShouldBe(9u);
    }

    [Fact]
    public void UnimplementedInstruction_StopsRunWithAddressAndDisassembly()
    {
        var m = User(a => { a.mov(eax, 1); a.daa(); });
        m.Run().ShouldBe(StopReason.Unimplemented);
        m.Cpu.Eip.ShouldBe(Code + 5);
        m.Cpu.Eax.ShouldBe(1u);
        m.Cpu.StopMessage.ShouldBe($"unimplemented instruction at 0x{Code + 5:x8}: daa (27)");
    }

    [Fact]
    public void InvalidEncoding_RaisesInvalidOpcode()
    {
        var m = new TestMachine();
        m.MapUser();
        m.WriteLinear(Code, new byte[] { 0x0F, 0x0B }); // ud2
        m.EnterUser(Code);
        StopsIn(m, 6);
    }

    [Fact]
    public void SegmentLimit_OfTheTlsSegment_IsChecked()
    {
        var m = User(a => { a.mov(eax, __dword_ptr.gs[0xFFC]); a.mov(ebx, __dword_ptr.gs[0xFFE]); });
        m.Mem.WriteUInt32(0, 0);
        StopsIn(m, 13);
        FrameEip(m, true).ShouldBe(Code + 6);
    }

    [Fact]
    public void TlsSegmentBase_IsAddedToGsAccesses()
    {
        var m = User(a => { a.mov(eax, __dword_ptr.gs[0x10]); a.@int(0x80); });
        m.Cpu.TryWriteLinear(Data + 0x10, BitConverter.GetBytes(0xCAFEu), false).ShouldBeTrue();
        StopsIn(m, 0x80);
        m.Cpu.Eax.ShouldBe(0xCAFEu);
    }

    [Fact]
    public void KernelLinearAccess_RespectsUserSupervisorAndFaultsReturnFalse()
    {
        var m = new TestMachine();
        m.MapUser();
        var buf = new byte[8];
        m.Cpu.TryReadLinear(TestMachine.KernelBase, buf, user: true).ShouldBeFalse();
        m.Cpu.TryReadLinear(TestMachine.KernelBase, buf, user: false).ShouldBeTrue();
        m.Cpu.TryWriteLinear(Data + 0xFFC, new byte[8], user: true).ShouldBeTrue();
        m.Cpu.TryWriteLinear(0x4000_0000 - 4, new byte[8], user: true).ShouldBeFalse();
        m.Cpu.TryTranslate(0x4000_0000, false, true, out _).ShouldBeFalse();
    }

    [Fact]
    public void SaveAndRestoreState_RoundTripsRegistersFlagsSegmentsAndX87()
    {
        var m = User(a => { a.mov(eax, 7); a.add(eax, -8); a.fld1(); a.@int(0x80); });
        StopsIn(m, 0x80);
        var s = m.Cpu.SaveState();
        uint flags = m.Cpu.EFlags;
        var m2 = new TestMachine();
        m2.Cpu.RestoreState(s);
        m2.Cpu.Eax.ShouldBe(0xFFFF_FFFFu);
        m2.Cpu.EFlags.ShouldBe(flags);
        m2.Cpu.GetSegment(SegmentRegister.CS).ShouldBe(m.Cpu.GetSegment(SegmentRegister.CS));
        m2.Cpu.Fpu.Registers[m2.Cpu.Fpu.Top].ShouldBe(1.0);
        s.EFlags.ShouldBe(flags);
    }

    [Fact]
    public void Rdtsc_ReadsEmulatedCycles()
    {
        var m = User(a => { a.rdtsc(); a.mov(esi, eax); a.rdtsc(); a.@int(0x80); });
        StopsIn(m, 0x80);
        uint delta = m.Cpu.Eax - m.Cpu.Esi;
        delta.ShouldBe((uint)(m.Cpu.CycleModel.Rdtsc + m.Cpu.CycleModel.Alu));
    }

    [Fact]
    public void Cpuid_ReportsI686WithoutMmxOrSse()
    {
        var m = User(a => { a.mov(eax, 1); a.cpuid(); a.@int(0x80); });
        StopsIn(m, 0x80);
        (m.Cpu.Edx & (1u << 23)).ShouldBe(0u, "no MMX");
        (m.Cpu.Edx & (1u << 25)).ShouldBe(0u, "no SSE");
        (m.Cpu.Edx & (1u << 26)).ShouldBe(0u, "no SSE2");
        (m.Cpu.Edx & (1u << 15)).ShouldNotBe(0u, "CMOV");
        (m.Cpu.Edx & (1u << 8)).ShouldNotBe(0u, "CX8");
        ((m.Cpu.Eax >> 8) & 0xF).ShouldBe(6u);
    }

    [Fact]
    public void Observer_SeesMemoryAccessesAndControlTransfers()
    {
        var m = User(a => { var f = a.CreateLabel(); a.mov(__dword_ptr[Data], eax); a.call(f); a.@int(0x80); a.Label(ref f); a.ret(); });
        var o = new RecordingObserver();
        m.Cpu.Observer = o;
        StopsIn(m, 0x80);
        o.Accesses.ShouldContain((Data, 4, true, 3));
        o.Transfers.ShouldContain(t => t.Kind == ControlTransferKind.Call && t.From == Code + 5);
        o.Transfers.ShouldContain(t => t.Kind == ControlTransferKind.Return && t.To == Code + 10);
        o.Transfers.ShouldContain(t => t.Kind == ControlTransferKind.Interrupt && t.To == m.StubAddress(0x80));
    }

    private sealed class RecordingObserver : IMachineObserver
    {
        public List<(uint, int, bool, int)> Accesses { get; } = new();
        public List<(uint From, uint To, ControlTransferKind Kind)> Transfers { get; } = new();
        public void OnMemoryAccess(uint linear, int size, bool write, int cpl) => Accesses.Add((linear, size, write, cpl));
        public void OnControlTransfer(uint from, uint to, ControlTransferKind kind) => Transfers.Add((from, to, kind));
    }
}
