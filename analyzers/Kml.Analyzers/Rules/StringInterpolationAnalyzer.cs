using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>KML0018: interpolated strings (regular, verbatim and raw).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StringInterpolationAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public StringInterpolationAnalyzer()
        : base(DiagnosticDescriptors.StringInterpolation)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context) =>
        context.RegisterOperationAction(Analyze, OperationKind.InterpolatedString);

    private void Analyze(OperationAnalysisContext context)
    {
        if (!SyntaxContext.IsInsideCoveringOperation(context.Operation))
        {
            context.ReportDiagnostic(Create(context.Operation.Syntax.GetLocation(), Constructs.InterpolatedString));
        }
    }
}
