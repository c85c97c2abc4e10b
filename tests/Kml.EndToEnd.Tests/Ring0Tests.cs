using Kml.EndToEnd.Tests.Support;
using Kml.Kernel;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests;

/// <summary>
/// What ring 0 costs in safety, and how the kernel contains it: the double-fault path for stack growth and overflow,
/// preemption of endless loops, faults that kill only the faulting process, and the kernel data a ring-0 program can
/// read. The programs (samples/c/ring0/*.c) run under busybox sh in a directory that holds them, natively and in the
/// emulator; where Linux would behave the same, the outputs must be identical.
/// </summary>
public sealed class Ring0Tests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kml-ring0-").FullName;

    public Ring0Tests()
    {
        foreach (string name in new[] { "recursion", "faults", "kernel_secret" })
            File.Copy(NativeCompiler.Compile(Path.Combine(AppContext.BaseDirectory, "samples", "c", "ring0", name + ".c")), Path.Combine(_dir, name));
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private RunResult Native(string script) => Runner.Native(Paths.Busybox, ["sh", "-c", script], _dir);

    private RunResult Emulated(string script, ProtectionLevel level, Action<KmlKernel>? inspect = null, double timeLimit = 0) =>
        Runner.Emulated(Paths.Busybox, ["sh", "-c", script], _dir, protection: level, inspect: inspect, timeLimitSeconds: timeLimit);

    [Fact]
    public void DeepRecursion_GrowsTheStackInRing0_ThroughDoubleFaults()
    {
        const string script = "ulimit -s 8192; ./recursion deep 3000; echo status $?";
        long grown = 0;
        var emulated = Emulated(script, ProtectionLevel.Five, k => k.Statistics.Transitions.TryGetValue("double faults: stack grown", out grown));
        emulated.ToString().ShouldBe(Native(script).ToString());
        emulated.StdoutText.ShouldContain("after 3001 frames");
        // About 3 MiB of new stack: one double fault per page (each resolved by the double-fault task).
        grown.ShouldBeGreaterThan(700);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(2)]
    public void UnboundedRecursion_IsKilled_TheKernelKeepsRunning_AndTheNextProcessRuns(int level)
    {
        const string script = "ulimit -s 1024; ./recursion unbounded; echo status $?; ./recursion deep 20; echo next status $?";
        long killed = 0;
        var emulated = Emulated(script, ProtectionLevel.FromNumber(level), k => k.Statistics.Transitions.TryGetValue("double faults: process killed", out killed));
        emulated.ToString().ShouldBe(Native(script).ToString());
        emulated.StdoutText.ShouldContain("status 139");
        emulated.StdoutText.ShouldContain("deep(20) = 210");
        // In ring 0 the overflow is a double fault (the frame of the page fault cannot be pushed); in ring 3 it is not.
        killed.ShouldBe(level == 5 ? 1 : 0);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(2)]
    [InlineData(1)]
    public void DivisionByZero_AndAWildJump_KillOnlyThatProcess(int level)
    {
        const string script = "./faults divide; echo status $?; ./faults jump; echo status $?; echo the shell goes on";
        var emulated = Emulated(script, ProtectionLevel.FromNumber(level));
        emulated.ToString().ShouldBe(Native(script).ToString());
        emulated.StdoutText.ShouldContain("status 136");
        emulated.StdoutText.ShouldContain("status 139");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(2)]
    public void EndlessLoop_IsPreempted_AndKilledByAnotherProcess(int level)
    {
        // The shell runs while the loop spins (the timer preempts it), then kills it.
        const string script = "./faults spin & sleep 0.1; echo the shell still runs; kill $!; wait $!; echo status $?";
        var emulated = Emulated(script, ProtectionLevel.FromNumber(level));
        emulated.ToString().ShouldBe(Native(script).ToString());
        emulated.StdoutText.ShouldContain("status 143");
    }

    [Fact]
    public void EndlessLoop_InRing0_IsKilledByTheTimeLimit()
    {
        var emulated = Runner.Emulated(Path.Combine(_dir, "faults"), ["spin"], _dir, protection: ProtectionLevel.Five, timeLimitSeconds: 0.5);
        emulated.ExitCode.ShouldBe(128 + 9);
        emulated.StderrText.ShouldStartWith("kml: time limit of 0.5 s (emulated) reached; killing ");
    }

    [Fact]
    public void InterruptsDisabledInRing0_IsKilledByTheWatchdog_WhileInRing3CliFaults()
    {
        var ring0 = Runner.Emulated(Path.Combine(_dir, "faults"), ["cli"], _dir, protection: ProtectionLevel.Five);
        ring0.ExitCode.ShouldBe(128 + 9);
        ring0.StderrText.ShouldContain("ran 1 s in ring 0 with interrupts disabled");
        ring0.StderrText.ShouldContain("killed by the watchdog");
        var ring3 = Runner.Emulated(Path.Combine(_dir, "faults"), ["cli"], _dir, protection: ProtectionLevel.Two);
        ring3.ToString().ShouldBe(Runner.Native(Path.Combine(_dir, "faults"), ["cli"], _dir).ToString());
        ring3.ExitCode.ShouldBe(128 + 11);
    }

    [Fact]
    public void KernelSecret_IsReadAndOverwritten_ByAnUnverifiedRing0Program()
    {
        string secret = "", page = "";
        var ring0 = Runner.Emulated(Path.Combine(_dir, "kernel_secret"), ["write"], _dir, protection: ProtectionLevel.Five, inspect: k =>
        {
            secret = k.KernelSecret;
            page = System.Text.Encoding.ASCII.GetString(k.ReadKernelDataPage());
        });
        ring0.ExitCode.ShouldBe(0, ring0.ToString());
        secret.Length.ShouldBe(32);
        ring0.StdoutText.ShouldContain($"magic: KMLSECRT\nsecret: {secret}\n");
        ring0.StdoutText.ShouldContain("wrote into the kernel: overwritten by pid 100");
        page.ShouldContain("overwritten by pid 100", customMessage: "the write reached the kernel's own page");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void KernelSecret_InRing3_TheProgramIsKilledByAPageFault(int level)
    {
        string binary = Path.Combine(_dir, "kernel_secret");
        var emulated = Runner.Emulated(binary, [], _dir, protection: ProtectionLevel.FromNumber(level));
        emulated.ToString().ShouldBe(Runner.Native(binary, [], _dir).ToString());
        emulated.ExitCode.ShouldBe(128 + 11);
        emulated.StdoutText.ShouldNotContain("secret:");
    }
}
