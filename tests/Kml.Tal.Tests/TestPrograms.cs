using System.Runtime.CompilerServices;
using Kml.Tal.Assembler;

namespace Kml.Tal.Tests;

/// <summary>The hand-written samples (samples/tal) as test inputs.</summary>
public static class TestPrograms
{
    public static string Root([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    public static string SamplesDirectory => Path.Combine(Root(), "samples", "tal");

    public static IEnumerable<object[]> SampleNames() =>
        Directory.GetFiles(SamplesDirectory, "*.tal").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    public static byte[] AssembleSample(string name) =>
        TalAssembler.AssembleToElf(File.ReadAllText(Path.Combine(SamplesDirectory, name)), name);
}
