using System.Globalization;
using Kml.EndToEnd.Tests.Support;
using Kml.Kernel;
using Kml.Machine;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests;

/// <summary>
/// rdtsc, clock_gettime and gettimeofday inside the machine read emulated time (samples/c/ring0/clocks.c): runs are
/// repeatable to the cycle, the TSC runs at the model's clock rate, and the model changes the result.
/// </summary>
public sealed class EmulatedTimeTests
{
    private static readonly string Binary = NativeCompiler.Compile(Path.Combine(AppContext.BaseDirectory, "samples", "c", "ring0", "clocks.c"));

    private static Dictionary<string, double> Clocks(ProtectionLevel level, CycleModel? model = null)
    {
        var r = Runner.Emulated(Binary, [], null, protection: level, cycleModel: model);
        r.ExitCode.ShouldBe(0, r.ToString());
        return r.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
            .ToDictionary(w => w[0], w => double.Parse(w[1], CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void GuestClocks_ReadEmulatedTime_RepeatablyAndAtTheModelsRate(int level)
    {
        var first = Clocks(ProtectionLevel.FromNumber(level));
        var second = Clocks(ProtectionLevel.FromNumber(level));
        second["rdtsc"].ShouldBe(first["rdtsc"], "emulated time does not depend on the host");
        second["clock_gettime"].ShouldBe(first["clock_gettime"]);
        // Realtime starts at the host's clock at boot, so its microseconds round either way.
        Math.Abs(second["gettimeofday"] - first["gettimeofday"]).ShouldBeLessThanOrEqualTo(1, "gettimeofday");
        (first["rdtsc"] / first["clock_gettime"]).ShouldBe(3.0, 0.01, "TSC cycles per clock_gettime ns at 3.0 GHz");
        (first["clock_gettime"] / 1000).ShouldBe(first["gettimeofday"], 2, "gettimeofday follows the same clock");
    }

    [Fact]
    public void CycleModel_ChangesWhatTheProgramMeasures()
    {
        var p4 = Clocks(ProtectionLevel.Two, CycleModel.Pentium4);
        var modern = Clocks(ProtectionLevel.Two, CycleModel.Modern);
        // The loop is load/store bound: one cycle per memory operand instead of two.
        modern["rdtsc"].ShouldBeLessThan(p4["rdtsc"] * 0.8);
    }
}
