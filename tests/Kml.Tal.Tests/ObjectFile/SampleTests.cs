using Kml.Tal.Checker;
using Shouldly;

namespace Kml.Tal.Tests.ObjectFile;

public sealed class SampleTests
{
    [Theory, MemberData(nameof(TestPrograms.SampleNames), MemberType = typeof(TestPrograms))]
    public void Checker_Accepts_EverySample(string sample)
    {
        var result = TalChecker.Check(TestPrograms.AssembleSample(sample));
        result.Diagnostics.ShouldBeEmpty();
        result.Instructions.ShouldBeGreaterThan(0);
    }
}
