using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Analyzers.Rules;

/// <summary>KML0002: try/catch/finally, throw (statements and expressions), using (an implicit try/finally), exception types.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ExceptionsAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public ExceptionsAnalyzer()
        : base(DiagnosticDescriptors.Exceptions)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        context.RegisterOperationAction(AnalyzeTry, OperationKind.Try);
        context.RegisterOperationAction(AnalyzeThrow, OperationKind.Throw);
        context.RegisterOperationAction(AnalyzeUsing, OperationKind.Using, OperationKind.UsingDeclaration);
    }

    private void AnalyzeTry(OperationAnalysisContext context)
    {
        if (context.Operation.Syntax is TryStatementSyntax statement)
        {
            context.ReportDiagnostic(Create(statement.TryKeyword.GetLocation(), Constructs.TryStatement));
        }
    }

    private void AnalyzeThrow(OperationAnalysisContext context)
    {
        var syntax = context.Operation.Syntax;
        if (syntax is ThrowStatementSyntax or ThrowExpressionSyntax)
        {
            context.ReportDiagnostic(Create(syntax.GetLocation(), syntax is ThrowStatementSyntax ? Constructs.ThrowStatement : Constructs.ThrowExpression));
        }
    }

    private void AnalyzeUsing(OperationAnalysisContext context)
    {
        switch (context.Operation.Syntax)
        {
            case UsingStatementSyntax statement:
                context.ReportDiagnostic(Create(statement.UsingKeyword.GetLocation(), Constructs.UsingStatement));
                break;
            case LocalDeclarationStatementSyntax declaration when declaration.UsingKeyword != default:
                context.ReportDiagnostic(Create(declaration.UsingKeyword.GetLocation(), Constructs.UsingDeclaration));
                break;
        }
    }
}
