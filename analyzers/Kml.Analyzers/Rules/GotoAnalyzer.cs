using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>KML0020: goto, goto case, goto default, and labels.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GotoAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public GotoAnalyzer()
        : base(DiagnosticDescriptors.Goto)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        context.RegisterOperationAction(AnalyzeBranch, OperationKind.Branch);
        context.RegisterOperationAction(AnalyzeLabel, OperationKind.Labeled);
    }

    private void AnalyzeBranch(OperationAnalysisContext context)
    {
        if (context.Operation is IBranchOperation { BranchKind: BranchKind.GoTo } branch && branch.Syntax is GotoStatementSyntax)
        {
            context.ReportDiagnostic(Create(branch.Syntax.GetLocation(), Constructs.GotoStatement));
        }
    }

    private void AnalyzeLabel(OperationAnalysisContext context)
    {
        var labeled = (ILabeledOperation)context.Operation;
        if (labeled.Syntax is LabeledStatementSyntax statement)
        {
            var span = TextSpan.FromBounds(statement.Identifier.SpanStart, statement.ColonToken.Span.End);
            context.ReportDiagnostic(Create(Location.Create(statement.SyntaxTree, span), Constructs.Label(labeled.Label)));
        }
    }
}
