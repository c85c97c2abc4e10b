using Kml.Analyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Shouldly;

namespace Kml.Analyzers.Tests;

/// <summary>Whole programs written in the subset (Cases/Programs) and the runtime's own subset code: no diagnostics.</summary>
public sealed class ProgramTests
{
    public static TheoryData<string> Programs() =>
        [.. Directory.GetFiles(Path.Combine(CaseFile.Directory, "Programs"), "*.cs").Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task SubsetProgram_HasNoDiagnostics(string file)
    {
        var path = Path.Combine(CaseFile.Directory, "Programs", file);
        var diagnostics = await Analysis.RunAsync(Analysis.Compile(File.ReadAllText(path), path, OutputKind.ConsoleApplication));
        diagnostics.Select(KmlAnalyzers.Format).ShouldBeEmpty();
    }

    [Fact]
    public async Task RuntimeSubsetSources_HaveNoDiagnostics()
    {
        // runtime/Kml.Runtime/Subset is written in the subset: it is compiled to TAL with every program.
        var directory = Path.Combine(RepositoryRoot(), "runtime", "Kml.Runtime", "Subset");
        var trees = Directory.GetFiles(directory, "*.cs").Select(p => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(File.ReadAllText(p), Analysis.ParseOptions, p)).ToList();
        trees.Count.ShouldBeGreaterThan(0);
        var diagnostics = await Analysis.RunAsync(Analysis.Compile(trees, OutputKind.DynamicallyLinkedLibrary));
        diagnostics.Select(KmlAnalyzers.Format).ShouldBeEmpty();
    }

    internal static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Kml.sln")))
            {
                return d.FullName;
            }
        }
        throw new DirectoryNotFoundException("Kml.sln not found above " + AppContext.BaseDirectory);
    }
}
