using BenchmarkDotNet.Attributes;
using Kml.Tal.Assembler;
using Kml.Tal.Checker;

namespace Kml.Benchmarks.Tal;

/// <summary>
/// Checker throughput on generated programs of growing size (TalProgramGenerator). Compare the mean
/// per size: linear growth means time / instruction stays flat. The generated ELF files are cached
/// under the temp directory, so the assembler's time is not part of any measurement.
/// Run: dotnet run -c Release --project tests/Kml.Benchmarks -- --filter '*CheckerBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class CheckerBenchmarks
{
    private byte[] _elf = [];

    /// <summary>Approximate instruction count of the generated program.</summary>
    [Params(10_000, 100_000, 1_000_000)]
    public int Instructions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _elf = GeneratedPrograms.Elf(Instructions);
        var result = TalChecker.Check(_elf);
        if (!result.Accepted) throw new InvalidOperationException("generated program rejected: " + result.Diagnostics[0]);
    }

    [Benchmark]
    public int Check() => TalChecker.Check(_elf).Instructions;
}

/// <summary>Generated programs, assembled once and cached on disk.</summary>
public static class GeneratedPrograms
{
    public static byte[] Elf(int instructions)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kml-tal-bench-{instructions}-v1.elf"); // v1: bump when the generator changes
        if (File.Exists(path)) return File.ReadAllBytes(path);
        var elf = TalAssembler.AssembleToElf(TalProgramGenerator.Generate(instructions), $"generated-{instructions}.tal");
        File.WriteAllBytes(path, elf);
        return elf;
    }
}
