using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Analyzers.Rules;

/// <summary>KML0001: float, double, decimal and System.Half where the program names them, and floating-point literals.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FloatingPointAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public FloatingPointAnalyzer()
        : base(DiagnosticDescriptors.FloatingPoint)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        context.RegisterOperationAction(AnalyzeLiteral, OperationKind.Literal);
    }

    private void AnalyzeLiteral(OperationAnalysisContext context)
    {
        var literal = (ILiteralOperation)context.Operation;
        if (!literal.IsImplicit && literal.Type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal
            && !SyntaxContext.IsInsideCoveringOperation(literal))
        {
            context.ReportDiagnostic(Create(literal.Syntax.GetLocation(), Constructs.FloatingPointLiteral(literal.Syntax.ToString())));
        }
    }
}
