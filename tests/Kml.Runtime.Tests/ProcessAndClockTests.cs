using System.Diagnostics;
using Shouldly;

namespace Kml.Runtime.Tests;

public sealed class ProcessAndClockTests
{
    [Fact]
    public void Process_Id_IsTheHostProcessId()
    {
        Kml.Process.Id().ShouldBe(Environment.ProcessId);
    }

    [Fact]
    public void MonotonicNanoseconds_AdvancesWithTheHostClock()
    {
        var before = Clock.MonotonicNanoseconds();
        var watch = Stopwatch.StartNew();
        Thread.Sleep(20);
        var after = Clock.MonotonicNanoseconds();
        watch.Stop();
        (after - before).ShouldBeGreaterThanOrEqualTo(20_000_000L);
        // Both read CLOCK_MONOTONIC; the interval agrees with the Stopwatch to within a generous margin.
        (after - before).ShouldBeLessThan((long)(watch.Elapsed.TotalMilliseconds * 1_000_000) + 50_000_000L);
    }

    [Fact]
    public void RealtimeNanoseconds_IsTheTimeSinceTheEpoch()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L;
        Math.Abs(Clock.RealtimeNanoseconds() - now).ShouldBeLessThan(1_000_000_000L);
    }
}
