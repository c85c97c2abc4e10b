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
/// KML0012: is (type tests and patterns), as, switch expressions, pattern case labels and when clauses, and switch
/// statements whose governing value is not an integer, a char or an enum.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PatternsAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public PatternsAnalyzer()
        : base(DiagnosticDescriptors.Patterns)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        context.RegisterOperationAction(c => Report(c, Constructs.IsTypeTest), OperationKind.IsType);
        context.RegisterOperationAction(c => Report(c, Constructs.IsPattern), OperationKind.IsPattern);
        context.RegisterOperationAction(AnalyzeConversion, OperationKind.Conversion);
        context.RegisterOperationAction(AnalyzeSwitchExpression, OperationKind.SwitchExpression);
        context.RegisterOperationAction(AnalyzeCaseClause, OperationKind.CaseClause);
        context.RegisterOperationAction(AnalyzeSwitch, OperationKind.Switch);
    }

    private void Report(OperationAnalysisContext context, string construct) =>
        context.ReportDiagnostic(Create(context.Operation.Syntax.GetLocation(), construct));

    private void AnalyzeConversion(OperationAnalysisContext context)
    {
        if (context.Operation is IConversionOperation { IsTryCast: true })
        {
            Report(context, Constructs.AsConversion);
        }
    }

    private void AnalyzeSwitchExpression(OperationAnalysisContext context)
    {
        if (context.Operation.Syntax is SwitchExpressionSyntax expression)
        {
            context.ReportDiagnostic(Create(expression.SwitchKeyword.GetLocation(), Constructs.SwitchExpression));
        }
    }

    private void AnalyzeCaseClause(OperationAnalysisContext context)
    {
        if (context.Operation is not IPatternCaseClauseOperation clause || clause.Syntax is not CasePatternSwitchLabelSyntax label)
        {
            return;
        }
        // "case 3 when x > 0:" is a constant label with a guard: only the guard is outside the subset.
        if (clause.Pattern is IConstantPatternOperation && label.WhenClause is { } when)
        {
            context.ReportDiagnostic(Create(when.GetLocation(), Constructs.WhenClause));
        }
        else
        {
            context.ReportDiagnostic(Create(label.Pattern.GetLocation(), Constructs.PatternCaseLabel));
        }
    }

    private void AnalyzeSwitch(OperationAnalysisContext context)
    {
        var switchOperation = (ISwitchOperation)context.Operation;
        var type = switchOperation.Value.Type;
        if (type is null or IErrorTypeSymbol || IsSwitchable(type) || switchOperation.Syntax is not SwitchStatementSyntax statement)
        {
            return;
        }
        context.ReportDiagnostic(Create(statement.Expression.GetLocation(), Constructs.SwitchOn(type)));
    }

    private static bool IsSwitchable(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum || type.SpecialType is SpecialType.System_Char
            or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64;
}
