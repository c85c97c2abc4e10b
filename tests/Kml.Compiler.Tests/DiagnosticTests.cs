using Kml.Compiler.Tests.Harness;
using Shouldly;

namespace Kml.Compiler.Tests;

/// <summary>
/// Programs outside the subset (Invalid/): the compiler reports exactly the diagnostics each file lists in its
/// <c>// expect:</c> lines (MSBuild format, file name only), in order, and produces nothing.
/// </summary>
public sealed class DiagnosticTests
{
    public static TheoryData<string> Files() =>
        [.. Directory.GetFiles(Path.Combine(CorpusProgram.SourceDirectory(), "Invalid"), "*.cs").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task InvalidProgram_GetsExactlyItsExpectedDiagnostics(string file)
    {
        var path = Path.Combine(CorpusProgram.SourceDirectory(), "Invalid", file);
        var expected = File.ReadLines(path).Where(l => l.StartsWith("// expect: ", StringComparison.Ordinal)).Select(l => l["// expect: ".Length..]).ToList();
        expected.ShouldNotBeEmpty($"{file} lists no expected diagnostics");
        var result = await KmlCompiler.CompileFilesAsync([path]);
        result.Success.ShouldBeFalse();
        result.Elf.ShouldBeNull();
        var directory = Path.GetDirectoryName(path) + Path.DirectorySeparatorChar;
        result.Errors.Select(e => e.Replace(directory, "", StringComparison.Ordinal)).ShouldBe(expected);
    }

    [Fact]
    public async Task Compiler_ReportsEveryError_InMSBuildFormat()
    {
        var result = await KmlCompiler.CompileAsync([new SourceFile("A.cs", "static class Program { static void Main() { float f = 1; } }")]);
        result.Errors.ShouldAllBe(e => System.Text.RegularExpressions.Regex.IsMatch(e, @"^A\.cs\(\d+,\d+\): error KML\d{4}: .+ is not in the KML subset$"));
    }
}
