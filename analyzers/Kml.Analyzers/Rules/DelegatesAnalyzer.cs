using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Analyzers.Rules;

/// <summary>
/// KML0005: lambdas, anonymous methods, local functions, method group conversions, delegate type declarations and
/// uses, event declarations and event subscriptions.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DelegatesAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public DelegatesAnalyzer()
        : base(DiagnosticDescriptors.Delegates)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        context.RegisterOperationAction(AnalyzeAnonymousFunction, OperationKind.AnonymousFunction);
        context.RegisterOperationAction(AnalyzeLocalFunction, OperationKind.LocalFunction);
        context.RegisterOperationAction(AnalyzeDelegateCreation, OperationKind.DelegateCreation);
        context.RegisterOperationAction(AnalyzeEventAssignment, OperationKind.EventAssignment);
        context.RegisterSymbolAction(AnalyzeDeclaration, SymbolKind.NamedType, SymbolKind.Event);
    }

    private void AnalyzeAnonymousFunction(OperationAnalysisContext context)
    {
        // Query clauses are implicit lambdas: the query expression is reported (KML0007).
        if (context.Operation.IsImplicit)
        {
            return;
        }
        switch (context.Operation.Syntax)
        {
            case LambdaExpressionSyntax lambda:
                // From the start of the lambda to its arrow: the body may be long.
                var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(lambda.SpanStart, lambda.ArrowToken.Span.End);
                context.ReportDiagnostic(Create(Location.Create(lambda.SyntaxTree, span), Constructs.Lambda));
                break;
            case AnonymousMethodExpressionSyntax method:
                context.ReportDiagnostic(Create(method.DelegateKeyword.GetLocation(), Constructs.AnonymousMethod));
                break;
        }
    }

    private void AnalyzeLocalFunction(OperationAnalysisContext context)
    {
        var function = (ILocalFunctionOperation)context.Operation;
        if (function.Syntax is LocalFunctionStatementSyntax statement)
        {
            context.ReportDiagnostic(Create(statement.Identifier.GetLocation(), Constructs.LocalFunction(function.Symbol)));
        }
    }

    private void AnalyzeDelegateCreation(OperationAnalysisContext context)
    {
        var creation = (IDelegateCreationOperation)context.Operation;
        if (creation.Target is IMethodReferenceOperation reference && creation.Type is { } delegateType
            && !SyntaxContext.IsInsideCoveringOperation(creation))
        {
            context.ReportDiagnostic(Create(reference.Syntax.GetLocation(), Constructs.MethodGroupConversion(reference.Method, delegateType)));
        }
    }

    private void AnalyzeEventAssignment(OperationAnalysisContext context)
    {
        var assignment = (IEventAssignmentOperation)context.Operation;
        if (assignment.EventReference is IEventReferenceOperation reference)
        {
            context.ReportDiagnostic(Create(assignment.Syntax.GetLocation(), Constructs.EventSubscription(reference.Event, assignment.Adds)));
        }
    }

    private void AnalyzeDeclaration(SymbolAnalysisContext context)
    {
        var symbol = context.Symbol;
        if (symbol.IsImplicitlyDeclared)
        {
            return;
        }
        if (symbol is INamedTypeSymbol { TypeKind: TypeKind.Delegate })
        {
            context.ReportDiagnostic(Create(symbol.Locations[0], Constructs.DelegateDeclaration(symbol)));
        }
        else if (symbol is IEventSymbol)
        {
            context.ReportDiagnostic(Create(symbol.Locations[0], Constructs.EventDeclaration(symbol)));
        }
    }
}
