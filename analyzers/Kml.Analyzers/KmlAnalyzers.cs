using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kml.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kml.Analyzers;

/// <summary>
/// The entry point for tools (the KML compiler, tests): every rule of the subset, and a way to run them all on a
/// compilation. The IDE and <c>dotnet build</c> load the same analyzer classes from this assembly, so a program
/// the compiler accepts is exactly one that has no KML diagnostic in the editor.
/// </summary>
public static class KmlAnalyzers
{
    /// <summary>One instance of every rule's analyzer, in rule ID order.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> All { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(
        new FloatingPointAnalyzer(),
        new ExceptionsAnalyzer(),
        new GenericsAnalyzer(),
        new InheritanceAnalyzer(),
        new DelegatesAnalyzer(),
        new RefKindsAnalyzer(),
        new LinqAnalyzer(),
        new UnsafeAnalyzer(),
        new AsyncAndIteratorsAnalyzer(),
        new ReflectionAnalyzer(),
        new ThreadsAnalyzer(),
        new PatternsAnalyzer(),
        new TuplesAnalyzer(),
        new NullableValueTypesAnalyzer(),
        new NullOperatorsAnalyzer(),
        new CheckedArithmeticAnalyzer(),
        new MultiDimensionalArraysAnalyzer(),
        new StringInterpolationAnalyzer(),
        new ObjectAndBoxingAnalyzer(),
        new GotoAnalyzer(),
        new LibrarySurfaceAnalyzer(),
        new DeclarationsAnalyzer(),
        new InitializersAnalyzer(),
        new OtherConstructsAnalyzer());

    /// <summary>
    /// Runs every rule on a compilation and returns the KML diagnostics, ordered by file, position and ID.
    /// Compiler errors are not included (ask the compilation for those). An analyzer that crashes is a bug in the
    /// rules, not a property of the program: it is thrown as an <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="compilation">The program, with references to the framework and Kml.Runtime.</param>
    /// <param name="cancellationToken">Cancels the analysis.</param>
    /// <returns>The diagnostics; empty when the program is inside the subset.</returns>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, CancellationToken cancellationToken = default)
    {
        var failures = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, _) => failures.Enqueue(analyzer.GetType().Name + ": " + exception.GetType().Name + ": " + exception.Message),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(All, options).GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        if (!failures.IsEmpty)
        {
            throw new InvalidOperationException("a KML rule failed while analysing " + compilation.AssemblyName + ": " + failures.First());
        }
        return diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath ?? "", StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    /// <summary>
    /// A diagnostic in MSBuild's canonical form, as the KML compiler prints it:
    /// <c>file(line,col): error KML0001: message</c> (1-based line and column), or <c>error KML0001: message</c>
    /// for a diagnostic without a source location.
    /// </summary>
    /// <param name="diagnostic">The diagnostic.</param>
    /// <returns>One line.</returns>
    public static string Format(Diagnostic diagnostic)
    {
        var severity = diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var text = severity + " " + diagnostic.Id + ": " + diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        if (!diagnostic.Location.IsInSource)
        {
            return text;
        }
        var position = diagnostic.Location.GetLineSpan();
        return position.Path + "(" + (position.StartLinePosition.Line + 1) + "," + (position.StartLinePosition.Character + 1) + "): " + text;
    }
}
