using Kml.Machine.Decoding;
using Kml.Machine.Tests.Support;
using Kml.Machine.Translation;
using Shouldly;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Machine.Tests.Architecture;

/// <summary>Translation on the background thread: same guest-visible results as the interpreter and as translating at
/// once, and a block invalidated while its translation is in flight is never run.</summary>
public class BackgroundTranslationTests
{
    private const uint Code = TestMachine.UserCode;

    [Fact]
    public void BackgroundTranslation_ComputesTheSameDigestCyclesAndInstructions_AsTheInterpreterAndImmediateTranslation()
    {
        var message = new byte[8192];
        new Random(7).NextBytes(message);
        (byte[] Digest, ulong Cycles, long Instructions, long Translated) RunWith(bool translate, bool background, int threshold, bool native = false)
        {
            var g = new Sha256Guest(message);
            var cpu = g.Machine.Cpu;
            cpu.BlockTranslation = translate;
            cpu.NativeTranslation = native;
            cpu.BackgroundTranslation = background;
            cpu.TranslationThreshold = threshold;
            byte[] first = g.Run();
            cpu.WaitForTranslations();
            // A second pass over the same input, now with the published translations (links included).
            g.Reset();
            byte[] second = g.Run();
            second.ShouldBe(first);
            return (first, cpu.Cycles, cpu.Statistics.InstructionsRetired, cpu.Statistics.BlocksTranslated);
        }

        var interpreted = RunWith(translate: false, background: false, threshold: 0);
        var immediate = RunWith(translate: true, background: false, threshold: 0);
        var background = RunWith(translate: true, background: true, threshold: 3);
        var native = RunWith(translate: true, background: false, threshold: 3, native: true);

        interpreted.Digest.ShouldBe(System.Security.Cryptography.SHA256.HashData(message));
        immediate.Digest.ShouldBe(interpreted.Digest);
        background.Digest.ShouldBe(interpreted.Digest);
        immediate.Cycles.ShouldBe(interpreted.Cycles);
        background.Cycles.ShouldBe(interpreted.Cycles);
        background.Instructions.ShouldBe(interpreted.Instructions);
        interpreted.Translated.ShouldBe(0);
        background.Translated.ShouldBeGreaterThan(0);
        if (Cpu.DefaultNativeTranslation)
        {
            native.Digest.ShouldBe(interpreted.Digest);
            native.Cycles.ShouldBe(interpreted.Cycles);
            native.Instructions.ShouldBe(interpreted.Instructions);
            native.Translated.ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public void BackgroundTranslation_QueuesHotBlocksAndKeepsInterpretingUntilTheyArePublished()
    {
        var m = Loop(out _);
        m.Cpu.NativeTranslation = false;
        m.Cpu.TranslationThreshold = 10;
        m.Cpu.BackgroundTranslation = true;
        StopsInSyscall(m);
        m.Cpu.Ebx.ShouldBe(100u);
        m.Cpu.Statistics.BlocksQueuedForTranslation.ShouldBeGreaterThan(0);
        m.Cpu.WaitForTranslations();
        m.Cpu.Statistics.BlocksTranslated.ShouldBe(m.Cpu.Statistics.BlocksQueuedForTranslation);
    }

    [Fact]
    public void BlockInvalidatedWhileItsTranslationIsInFlight_IsNeverRun()
    {
        var m = Loop(out uint function);
        var cpu = m.Cpu;
        cpu.NativeTranslation = false;
        cpu.TranslationThreshold = 10;
        cpu.BackgroundTranslation = true;
        using var inFlight = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Block? stale = null;
        BackgroundTranslator.BeforeCompile = (b, c) =>
        {
            if (c != cpu || b.Linear != function) return;
            stale = b;
            inFlight.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        };
        try
        {
            // Phase 1: the loop calls "mov eax, 1; ret" 100 times; the function's block is queued and held in the translator.
            StopsInSyscall(m);
            cpu.Ebx.ShouldBe(100u);
            inFlight.Wait(TimeSpan.FromSeconds(30)).ShouldBeTrue("the function's block was never handed to the translator");
            // The kernel patches the function (mov eax, 1 → mov eax, 2): the decoded block is invalidated mid-translation.
            cpu.TryTranslate(function, false, true, out uint phys).ShouldBeTrue();
            m.Mem.WriteByte(phys + 1, 2);
            stale!.Valid.ShouldBeFalse();
            // The translation of the old code completes and is published on the invalidated block...
            release.Set();
            cpu.WaitForTranslations();
            stale.Compiled.ShouldNotBeNull();
            // ...which the caller's chain still names: 100 more calls must all run the new code.
            StopsInSyscall(m);
            cpu.Ebx.ShouldBe(300u);
        }
        finally
        {
            release.Set();
            BackgroundTranslator.BeforeCompile = null;
        }
    }

    [Fact]
    public void NativeBlockPatchedByTheKernel_IsNeverRunAgain_EvenThroughLinksAndTheJumpCache()
    {
        if (!Cpu.DefaultNativeTranslation) return; // native translation needs Linux on x64
        var m = Loop(out uint function);
        var cpu = m.Cpu;
        cpu.NativeTranslation = true;
        cpu.TranslationThreshold = 10;
        // 100 calls of "mov eax, 1; ret": the loop, the function and the return site become native and linked.
        StopsInSyscall(m);
        cpu.Ebx.ShouldBe(100u);
        cpu.Statistics.BlocksTranslated.ShouldBeGreaterThanOrEqualTo(2);
        // The kernel patches the function (mov eax, 1 → mov eax, 2): its native code must not run again, and the exits
        // that reach it through links must still arrive there.
        cpu.TryTranslate(function, false, true, out uint phys).ShouldBeTrue();
        m.Mem.WriteByte(phys + 1, 2);
        StopsInSyscall(m);
        cpu.Ebx.ShouldBe(300u);
        cpu.Esi.ShouldBe(200u, "every call ran the function once");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReturnLinks_AreFollowedOnlyToTheBlockAtTheReturnAddress(bool background)
    {
        // One function, two call sites in the same loop: its ret alternates between two return addresses, so a link
        // taken without checking the address would return to the wrong site.
        var m = new TestMachine();
        m.MapUser();
        uint f = Code + 0x800;
        m.Assemble(Code, a =>
        {
            var loop = a.CreateLabel();
            a.xor(ebx, ebx);
            a.xor(esi, esi);
            a.mov(ecx, 300);
            a.Label(ref loop);
            a.call(f);
            a.add(ebx, eax);
            a.call(f);
            a.add(esi, eax);
            a.add(esi, eax);
            a.dec(ecx);
            a.jnz(loop);
            a.@int(0x80);
        });
        m.Assemble(f, a => { a.mov(eax, 1); a.ret(); });
        m.EnterUser(Code);
        m.Cpu.TranslationThreshold = 2;
        m.Cpu.BackgroundTranslation = background;
        StopsInSyscall(m);
        m.Cpu.Ebx.ShouldBe(300u);
        m.Cpu.Esi.ShouldBe(600u);
        if (!background) m.Cpu.Statistics.BlocksTranslated.ShouldBeGreaterThan(2);
    }

    /// <summary>ebx = 0; again: 100 × (call f; add ebx, eax); int 0x80; jmp again — with f: mov eax, 1; ret.</summary>
    private static TestMachine Loop(out uint function)
    {
        function = Code + 0x1000;   // its own page: patching it invalidates only its block
        uint f = function;
        var m = new TestMachine();
        m.MapUser();
        m.Assemble(Code, a =>
        {
            var again = a.CreateLabel();
            var loop = a.CreateLabel();
            a.xor(ebx, ebx);
            a.xor(esi, esi);
            a.Label(ref again);
            a.mov(ecx, 100);
            a.Label(ref loop);
            a.call(f);
            a.add(ebx, eax);
            a.dec(ecx);
            a.jnz(loop);
            a.@int(0x80);
            a.jmp(again);
        });
        m.WriteLinear(f, new byte[] { 0xB8, 1, 0, 0, 0, 0x46, 0xC3 }); // mov eax, 1; inc esi; ret
        m.EnterUser(Code);
        return m;
    }

    private static void StopsInSyscall(TestMachine m)
    {
        m.Run().ShouldBe(StopReason.Hypercall, m.Cpu.StopMessage);
        m.StoppedInStub().ShouldBe(0x80);
    }
}
