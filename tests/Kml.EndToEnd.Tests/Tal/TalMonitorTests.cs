using Kml.Kernel;
using Kml.Kernel.Tal;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests.Tal;

/// <summary>
/// The safety monitor catches what the checker forbids (Tal/Cases/monitor.txt): each program is rejected by the
/// checker, then run anyway in ring 3 (level 2) and in ring 0 unverified (level 5) under the monitor, which must stop
/// it with the expected violation. This is what makes the monitor a trustworthy oracle for the fuzzer.
/// </summary>
public sealed class TalMonitorTests
{
    public static IEnumerable<object[]> Cases() =>
        from c in TalCase.Load("monitor.txt")
        from level in new[] { 2, 5 }
        select new object[] { c, level };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Monitor_CatchesWhatTheCheckerRejects(TalCase c, int level)
    {
        var run = TalRunner.Run(TalRunner.Assemble(c.Source, c.Name), c.Name, ProtectionLevel.FromNumber(level), monitor: true);
        run.Report.Accepted.ShouldBeFalse();
        run.Report.Diagnostics.ShouldContain(d => d.Contains(c.Get("rule")!, StringComparison.Ordinal));
        run.Report.Started.ShouldBeTrue();
        run.Report.Violations.ShouldNotBeEmpty(run.ToString());
        run.Report.Violations[0].Detail.ShouldContain(c.Get("violation")!, Case.Sensitive, run.ToString());
    }

    [Fact]
    public void Monitor_IsOffByDefault_AndTheCpuRunsWithoutAnObserver()
    {
        var run = TalRunner.Run(TalRunner.AssembleSample("array_sum.tal"), "array_sum.tal", ProtectionLevel.Four);
        run.Report.MonitoredAccesses.ShouldBe(0);
        run.Report.MonitoredTransfers.ShouldBe(0);
        run.Report.End.ShouldBe(TalEnd.Exit);
    }
}
