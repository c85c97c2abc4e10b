using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>
/// KML0016: checked expressions and statements (at the keyword), and projects that make all arithmetic checked
/// (CheckForOverflowUnderflow: reported once at the start of each file). unchecked is the subset's own semantics and fine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CheckedArithmeticAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public CheckedArithmeticAnalyzer()
        : base(DiagnosticDescriptors.CheckedArithmetic)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        // checked(...) and checked { } have no operation of their own: the keyword is syntax.
        context.RegisterSyntaxNodeAction(AnalyzeChecked, SyntaxKind.CheckedExpression, SyntaxKind.CheckedStatement);
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.Options.CheckOverflow)
            {
                start.RegisterSyntaxTreeAction(tree =>
                    tree.ReportDiagnostic(Create(Location.Create(tree.Tree, new TextSpan(0, 0)), Constructs.CheckedProject)));
            }
        });
    }

    private void AnalyzeChecked(SyntaxNodeAnalysisContext context)
    {
        switch (context.Node)
        {
            case CheckedExpressionSyntax expression:
                context.ReportDiagnostic(Create(expression.Keyword.GetLocation(), Constructs.CheckedExpression));
                break;
            case CheckedStatementSyntax statement:
                context.ReportDiagnostic(Create(statement.Keyword.GetLocation(), Constructs.CheckedStatement));
                break;
        }
    }
}
