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

    /// <summary>A loop whose back edge targets an instruction inside its own block (translated as a branch within the
    /// method) and one whose target is the block's start: stopped by cycle budgets of every size, the translated run stops
    /// at the same instruction with the same registers, cycles and retired count as the interpreter.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Translation_LoopInsideItsBlock_StopsWhereTheInterpreterStops(bool loopAtBlockStart, bool il)
    {
        void Code(Iced.Intel.Assembler a)
        {
            var loop = a.CreateLabel();
            if (!loopAtBlockStart) { a.mov(ecx, 1000); a.xor(eax, eax); }
            a.Label(ref loop);
            a.add(eax, ecx);
            a.xor(edx, eax);
            a.dec(ecx);
            a.jne(loop);
            a.@int(0x80);
        }
        for (ulong budget = 1; budget < 12_000; budget += 97)
        {
            var interpreted = new TestMachine();
            interpreted.Cpu.BlockTranslation = false;
            var translated = new TestMachine();
            translated.Cpu.TranslationThreshold = 0;
            if (il) translated.Cpu.NativeTranslation = false;
            foreach (var m in new[] { interpreted, translated })
            {
                m.MapUser();
                m.Assemble(TestMachine.UserCode, Code);
                m.EnterUser(TestMachine.UserCode);
                if (loopAtBlockStart) { m.Cpu.Ecx = 1000; m.Cpu.Eax = 0; }
            }
            var stop = interpreted.Cpu.Run(budget);
            translated.Cpu.Run(budget).ShouldBe(stop);
            translated.Cpu.Eip.ShouldBe(interpreted.Cpu.Eip, $"budget {budget}");
            translated.Cpu.Ecx.ShouldBe(interpreted.Cpu.Ecx, $"budget {budget}");
            translated.Cpu.Edx.ShouldBe(interpreted.Cpu.Edx, $"budget {budget}");
            translated.Cpu.Cycles.ShouldBe(interpreted.Cpu.Cycles, $"budget {budget}");
            translated.Cpu.Statistics.InstructionsRetired.ShouldBe(interpreted.Cpu.Statistics.InstructionsRetired, $"budget {budget}");
        }
    }
}

/// <summary>The additional system scenarios with immediate translation.</summary>
public class TranslatedMoreSystemTests : MoreSystemTests
{
    public TranslatedMoreSystemTests() => TestMachine.TranslationThresholdOverride.Value = 0;
}
