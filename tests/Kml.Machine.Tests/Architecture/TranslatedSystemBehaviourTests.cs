using Kml.Machine.Tests.Support;
using Shouldly;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Machine.Tests.Architecture;

/// <summary>Every system-behaviour scenario again, with each block translated to IL before its first execution
/// (faults inside translated blocks, self-modifying code, interrupt shadows, task switches...).</summary>
public class TranslatedSystemBehaviourTests : SystemBehaviourTests
{
    public TranslatedSystemBehaviourTests() => TestMachine.TranslationThresholdOverride.Value = 0;

    [Fact]
    public void Translation_IsActiveInThisClass()
    {
        var m = new TestMachine();
        m.MapUser();
        m.Assemble(TestMachine.UserCode, a => { a.mov(eax, 1); a.add(eax, 2); a.@int(0x80); });
        m.EnterUser(TestMachine.UserCode);
        m.Run().ShouldBe(StopReason.Hypercall);
        m.Cpu.Eax.ShouldBe(3u);
        m.Cpu.Statistics.BlocksTranslated.ShouldBeGreaterThan(0);
    }
}

/// <summary>The additional system scenarios with immediate translation.</summary>
public class TranslatedMoreSystemTests : MoreSystemTests
{
    public TranslatedMoreSystemTests() => TestMachine.TranslationThresholdOverride.Value = 0;
}
