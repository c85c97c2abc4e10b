using System.Reflection;
using System.Runtime.Loader;
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

    /// <summary>
    /// Each program also runs on CoreCLR, and its output must be the recorded Programs/Name.out: the programs
    /// are the oracle for the compiled code (the same source must print the same under KML).
    /// </summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void SubsetProgram_PrintsItsRecordedOutput_OnCoreClr(string file)
    {
        var path = Path.Combine(CaseFile.Directory, "Programs", file);
        var expected = Path.ChangeExtension(path, ".out");
        File.Exists(expected).ShouldBeTrue($"{expected} records the program's output");
        Run(Analysis.Compile(File.ReadAllText(path), path, OutputKind.ConsoleApplication)).ShouldBe(File.ReadAllText(expected));
    }

    private static readonly Lock ConsoleGate = new();

    private static string Run(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        emitted.Success.ShouldBeTrue(string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("program", isCollectible: true);
        try
        {
            var entry = context.LoadFromStream(image).EntryPoint!;
            var output = new StringWriter { NewLine = "\n" };
            lock (ConsoleGate)
            {
                var original = Console.Out;
                Console.SetOut(output);
                try
                {
                    entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
                }
                finally
                {
                    Console.SetOut(original);
                }
            }
            return output.ToString();
        }
        finally
        {
            context.Unload();
        }
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
