using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kml.Analyzers.Tests.Harness;

/// <summary>Compiles source against the framework and Kml.Runtime, and runs every KML rule on it.</summary>
public static class Analysis
{
    private static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compile(string source, string path, OutputKind kind = OutputKind.DynamicallyLinkedLibrary, IReadOnlySet<string>? options = null) =>
        Compile([CSharpSyntaxTree.ParseText(source, ParseOptions, path)], kind, options);

    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, OutputKind kind, IReadOnlySet<string>? options = null) =>
        CSharpCompilation.Create("Program", trees, References,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: options?.Contains("unsafe") ?? false, checkOverflow: options?.Contains("checked") ?? false));

    /// <summary>The KML diagnostics, after checking that the source is valid C# (a case that does not compile tests nothing).</summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAsync(CSharpCompilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidDataException("the test source does not compile:\n" + string.Join("\n", errors));
        }
        return await KmlAnalyzers.AnalyzeAsync(compilation);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The shared framework the tests run on (its implementation assemblies), plus the Kml API.
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == framework)
            .Append(typeof(Kml.Files).Assembly.Location);
        return [.. paths.Select(p => MetadataReference.CreateFromFile(p))];
    }
}
