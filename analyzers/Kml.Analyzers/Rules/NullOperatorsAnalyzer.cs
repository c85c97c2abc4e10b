using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>KML0015: ?. and ?[] (at the operator), ?? and ??=.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NullOperatorsAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public NullOperatorsAnalyzer()
        : base(DiagnosticDescriptors.NullOperators)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context) =>
        context.RegisterOperationAction(Analyze, OperationKind.ConditionalAccess, OperationKind.Coalesce, OperationKind.CoalesceAssignment);

    private void Analyze(OperationAnalysisContext context)
    {
        switch (context.Operation.Syntax)
        {
            case ConditionalAccessExpressionSyntax access:
                // The "?." or "?[": the operator token and the first token of the access after it.
                var next = access.WhenNotNull.GetFirstToken();
                var element = next.IsKind(SyntaxKind.OpenBracketToken);
                var span = TextSpan.FromBounds(access.OperatorToken.SpanStart, next.Span.End);
                context.ReportDiagnostic(Create(Location.Create(access.SyntaxTree, span), element ? Constructs.NullConditionalElement : Constructs.NullConditionalMember));
                break;
            case BinaryExpressionSyntax coalesce when coalesce.IsKind(SyntaxKind.CoalesceExpression):
                context.ReportDiagnostic(Create(coalesce.OperatorToken.GetLocation(), Constructs.NullCoalescing));
                break;
            case AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.CoalesceAssignmentExpression):
                context.ReportDiagnostic(Create(assignment.OperatorToken.GetLocation(), Constructs.NullCoalescingAssignment));
                break;
        }
    }
}
