using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kml.Analyzers.Rules;

/// <summary>
/// The base of every KML rule: one rule (one descriptor) per analyzer, concurrent execution, and no analysis of
/// generated code. Each rule registers its own operation, symbol or syntax actions in <see cref="Register"/>.
/// </summary>
public abstract class KmlAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Creates the analyzer of one rule.</summary>
    /// <param name="rule">The rule's descriptor.</param>
    protected KmlAnalyzer(DiagnosticDescriptor rule)
    {
        Rule = rule;
        SupportedDiagnostics = ImmutableArray.Create(rule);
    }

    /// <summary>The rule this analyzer reports.</summary>
    public DiagnosticDescriptor Rule { get; }

    /// <inheritdoc />
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        Register(context);
    }

    /// <summary>Registers the rule's actions.</summary>
    /// <param name="context">The analysis context.</param>
    protected abstract void Register(AnalysisContext context);

    /// <summary>Creates this rule's diagnostic for a construct.</summary>
    /// <param name="location">Where the construct is.</param>
    /// <param name="construct">The phrase naming it (from Diagnostics.Constructs).</param>
    /// <returns>The diagnostic.</returns>
    protected Diagnostic Create(Location location, string construct) => Diagnostic.Create(Rule, location, construct);
}
