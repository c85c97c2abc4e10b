using System.Collections.Immutable;
using System.Diagnostics;
using Kml.Analyzers;
using Kml.Compiler.CodeGen;
using Kml.Compiler.Diagnostics;
using Kml.Compiler.Lowering;
using Kml.Tal.Checker;
using Kml.Tal.Elf;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kml.Compiler;

/// <summary>A C# source file of a program.</summary>
/// <param name="Path">Its path (used in messages and the line map).</param>
/// <param name="Text">Its text.</param>
public sealed record SourceFile(string Path, string Text);

/// <summary>
/// The KML compiler: C# subset → TAL. First the program is compiled against the framework and the Kml API
/// exactly as the IDE sees it, and the subset's rules (Kml.Analyzers) run; any C# error or rule violation stops
/// the compilation. Then the program is bound again together with the runtime's sources (the subset routines and
/// the TAL side of the Kml API), lowered from Roslyn's control flow graphs to IR from the entry point, compiled to
/// IA-32 with TAL annotations, written as an ELF object with a line map, and checked by the TAL checker.
/// </summary>
public static class KmlCompiler
{
    /// <summary>The C# language version programs are parsed with.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(LoadFramework);

    // The Kml API as programs see it in the IDE (Kml.Runtime.dll, embedded in this assembly).
    private static readonly Lazy<MetadataReference> KmlApi = new(() =>
    {
        using var stream = typeof(KmlCompiler).Assembly.GetManifestResourceStream("Kml.Runtime.dll")
            ?? throw new InvalidOperationException("Kml.Runtime.dll is not embedded in the compiler");
        return MetadataReference.CreateFromStream(stream, filePath: "Kml.Runtime.dll");
    });

    /// <summary>Compiles a program from files on disk.</summary>
    public static Task<CompilationResult> CompileFilesAsync(IEnumerable<string> paths, CompilerOptions? options = null, CancellationToken cancellationToken = default) =>
        CompileAsync([.. paths.Select(p => new SourceFile(p, File.ReadAllText(p)))], options, cancellationToken);

    /// <summary>Compiles a program.</summary>
    public static async Task<CompilationResult> CompileAsync(IReadOnlyList<SourceFile> sources, CompilerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CompilerOptions();
        var clock = Stopwatch.StartNew();
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path, System.Text.Encoding.UTF8, cancellationToken)).ToList();

        // 1. The program as the IDE sees it: C# errors, then the subset's rules.
        var analysis = CSharpCompilation.Create("Program", trees, Framework.Value.Add(KmlApi.Value),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var errors = analysis.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Select(KmlAnalyzers.Format).ToList();
        if (errors.Count > 0) return new CompilationResult(errors);
        var rules = await KmlAnalyzers.AnalyzeAsync(analysis, cancellationToken).ConfigureAwait(false);
        if (rules.Length > 0) return new CompilationResult([.. rules.Select(KmlAnalyzers.Format)]);
        var analysisTime = clock.Elapsed;

        // 2. The program with the runtime's sources, lowered from the entry point.
        clock.Restart();
        var compilation = CSharpCompilation.Create("Program", trees.Concat(RuntimeSources.Parse(ParseOptions)), Framework.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var internalErrors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (internalErrors.Count > 0)
            return new CompilationResult([.. internalErrors.Select(d => "internal compiler error: the runtime does not bind with the program: " + KmlAnalyzers.Format(d))]);
        var main = compilation.GetEntryPoint(cancellationToken);
        if (main is null) return new CompilationResult([new CompileError(CompilerMessages.NoEntryPointId, CompilerMessages.NoEntryPoint, null).ToString()]);
        var program = new ProgramLowering(compilation);
        try
        {
            program.LowerProgram(main);
        }
        catch (LoweringException e)
        {
            return new CompilationResult([new CompileError(CompilerMessages.UnsupportedId, e.Message, e.Location).ToString()]);
        }
        var loweringTime = clock.Elapsed;

        // 3. Code, annotations, the ELF object.
        clock.Restart();
        var emitter = new ProgramEmitter(program);
        var obj = emitter.Emit(options);
        var elf = ElfWriter.Write(obj);
        var codeTime = clock.Elapsed;

        // 4. The compiler is untrusted: its output goes through the checker like anything else.
        clock.Restart();
        if (options.Verify)
        {
            var verdict = TalChecker.Check(elf);
            if (!verdict.Accepted)
                return new CompilationResult([.. verdict.Diagnostics.Select(d => new CompileError(CompilerMessages.CheckerRejectedId, CompilerMessages.CheckerRejected(d.ToString()), null).ToString())]);
        }
        return new CompilationResult(elf, obj, [.. emitter.Compiled.Select(c => c.Function)], new CompilationTimes(analysisTime, loweringTime, codeTime, clock.Elapsed));
    }

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        // The shared framework this process runs on (its implementation assemblies), as the analyzers' tests do.
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == framework);
        return [.. paths.Select(p => MetadataReference.CreateFromFile(p))];
    }
}
