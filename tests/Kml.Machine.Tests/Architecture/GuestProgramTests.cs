using Kml.Machine.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.Machine.Tests.Architecture;

public class GuestProgramTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(20000)]
    public void Sha256Guest_ComputesTheSameDigestAsDotNet(int length)
    {
        var message = new byte[length];
        new Random(length).NextBytes(message);
        var g = new Sha256Guest(message);
        Convert.ToHexString(g.Run()).ShouldBe(Convert.ToHexString(g.Expected()));
        g.Machine.Cpu.Statistics.InstructionsRetired.ShouldBeGreaterThan(2000L * g.Blocks);
    }
}
