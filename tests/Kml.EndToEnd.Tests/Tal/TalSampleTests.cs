using Kml.Kernel;
using Kml.Kernel.Tal;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests.Tal;

/// <summary>
/// The hand-written TAL samples (samples/tal) run through the kernel at every protection level a TAL binary can take:
/// ring 0 verified (levels 3 and 4: import calls are direct calls) and ring 3 (levels 1 and 2: trampolines through
/// int 0x80 or sysenter). Every level must give the same output and status, and the safety monitor must see nothing.
/// </summary>
public sealed class TalSampleTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kml-tal-root-").FullName;

    public TalSampleTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.WriteAllText(Path.Combine(_root, "etc", "motd"), "a message of the day\nin two lines\n");
    }

    public void Dispose() => Directory.Delete(_root, true);

    public static IEnumerable<object[]> Samples() =>
        from sample in new (string File, int Exit, string Stdout)[]
        {
            ("hello.tal", 0, "Hello from ring 0!\n"),
            ("array_sum.tal", 45, ""),
            ("factorial.tal", 120, ""),
            ("greetings.tal", 3, "hello\nbonjour\nkonnichiwa\n"),
            ("cat_file.tal", 0, "a message of the day\nin two lines\n"),
        }
        from mode in TalRunner.Modes.Keys
        select new object[] { sample.File, mode, sample.Exit, sample.Stdout };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_GivesTheSameOutput_AtEveryProtectionLevel(string sample, string mode, int exit, string stdout)
    {
        var (level, entry) = TalRunner.Modes[mode];
        var run = TalRunner.Run(TalRunner.AssembleSample(sample), sample, level, entry, _root);
        run.Report.Accepted.ShouldBeTrue();
        run.Report.Ring0.ShouldBe(level.RunsInRing0);
        run.Result.StdoutText.ShouldBe(stdout, run.ToString());
        run.Result.ExitCode.ShouldBe(exit, run.ToString());
        run.Result.StderrText.ShouldBeEmpty();
        run.Report.End.ShouldBe(TalEnd.Exit);
    }

    [Theory]
    [InlineData("hello.tal")]
    [InlineData("array_sum.tal")]
    [InlineData("factorial.tal")]
    [InlineData("greetings.tal")]
    [InlineData("cat_file.tal")]
    public void Sample_RunsCleanUnderTheSafetyMonitor_InRing0AndRing3(string sample)
    {
        foreach (var level in new[] { ProtectionLevel.Four, ProtectionLevel.Two })
        {
            var run = TalRunner.Run(TalRunner.AssembleSample(sample), sample, level, root: _root, monitor: true);
            run.Report.Violations.ShouldBeEmpty(run.ToString());
            run.Report.End.ShouldBe(TalEnd.Exit);
            run.Report.MonitoredTransfers.ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public void ImportCalls_AreDirectCallsInRing0_AndTrapsInRing3()
    {
        var elf = TalRunner.AssembleSample("greetings.tal");
        var ring0 = TalRunner.Run(elf, "greetings.tal", ProtectionLevel.Four);
        var ring3 = TalRunner.Run(elf, "greetings.tal", ProtectionLevel.Two, SyscallEntry.Int80);
        // Three writes and an exit: four import calls either way.
        ring0.Report.Calls.Values.Sum().ShouldBe(4);
        ring3.Report.Calls.Values.Sum().ShouldBe(4);
        ring0.Statistics.Transitions["direct-call entries (KML)"].ShouldBe(4);
        ring0.Statistics.Transitions["int 0x80 entries"].ShouldBe(0);
        ring3.Statistics.Transitions["int 0x80 entries"].ShouldBe(4);
        ring3.Statistics.Transitions["direct-call entries (KML)"].ShouldBe(0);
    }
}
