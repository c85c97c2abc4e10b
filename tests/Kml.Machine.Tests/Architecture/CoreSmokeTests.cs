using Iced.Intel;
using Kml.Machine.Tests.Support;
using Shouldly;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Machine.Tests.Architecture;

public class CoreSmokeTests
{
    [Fact]
    public void Ring3_IntX80_SwitchesToTssStack_AndIretReturns()
    {
        var m = new TestMachine();
        m.MapUser();
        m.Assemble(TestMachine.UserCode, a =>
        {
            a.mov(eax, 20);
            a.mov(ebx, 0x1234);
            a.@int(0x80);
            a.add(eax, ebx);
            a.@int(0x81 - 1 + 1);
        });
        m.WriteIdt(0x81, Kml.Machine.Protection.Descriptors.InterruptGate(TestMachine.KernelCs, m.StubAddress(0x81), 3));
        m.EnterUser(TestMachine.UserCode);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.StoppedInStub().ShouldBe(0x80);
        m.Cpu.Cpl.ShouldBe(0);
        uint esp = m.Cpu.Esp;
        esp.ShouldBe(TestMachine.KernelBase + TestMachine.KernelStackTopPhys - 20);
        m.Read32(esp + 4).ShouldBe((uint)TestMachine.UserCs);
        m.Read32(esp + 16).ShouldBe((uint)TestMachine.UserDs);
        m.Read32(esp + 12).ShouldBe(TestMachine.UserStackTop);
        (m.Read32(esp + 8) & 0x200).ShouldBe(0x200u);
        m.Cpu.EFlags.ShouldNotBe(0u);
        (m.Cpu.EFlags & 0x200).ShouldBe(0u, "an interrupt gate clears IF");
        m.Cpu.Eax = 100;
        m.Run().ShouldBe(StopReason.Hypercall);
        m.StoppedInStub().ShouldBe(0x81);
        m.Cpu.Statistics.IretsToOuterLevel.ShouldBe(1);
        // back in the stub after the second int: eax = 100 + 0x1234
        m.Cpu.Eax.ShouldBe(100u + 0x1234u);
    }

    [Fact]
    public void Loop_ComputesSum()
    {
        var m = new TestMachine();
        m.MapUser();
        m.Assemble(TestMachine.UserCode, a =>
        {
            var top = a.CreateLabel();
            a.xor(eax, eax);
            a.mov(ecx, 1000);
            a.Label(ref top);
            a.add(eax, ecx);
            a.dec(ecx);
            a.jnz(top);
            a.mov(__dword_ptr[TestMachine.UserData], eax);
            a.@int(0x80);
        });
        m.EnterUser(TestMachine.UserCode);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.Cpu.Eax.ShouldBe(500500u);
        m.Read32(TestMachine.UserData).ShouldBe(500500u);
        m.Cpu.Statistics.InstructionsRetired.ShouldBe(2 + 3000 + 2 + 1); // + the stub's vmcall
    }
}
