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
/// KML0009: async methods, await, await foreach/using, yield return/break, task types and members, and foreach over
/// anything but a single-dimensional array or a string.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AsyncAndIteratorsAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public AsyncAndIteratorsAnalyzer()
        : base(DiagnosticDescriptors.AsyncAndIterators)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        LibraryMembers.Register(context, Rule);
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
        context.RegisterOperationAction(AnalyzeAwait, OperationKind.Await);
        context.RegisterOperationAction(AnalyzeYield, OperationKind.YieldReturn, OperationKind.YieldBreak);
        context.RegisterOperationAction(AnalyzeLoop, OperationKind.Loop);
        context.RegisterOperationAction(AnalyzeUsing, OperationKind.Using, OperationKind.UsingDeclaration);
    }

    private void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!method.IsAsync || method.IsImplicitlyDeclared)
        {
            return;
        }
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (SyntaxContext.ModifierLocation(reference.GetSyntax(context.CancellationToken), SyntaxKind.AsyncKeyword) is { } location)
            {
                context.ReportDiagnostic(Create(location, Constructs.AsyncMethod(method)));
            }
        }
    }

    private void AnalyzeAwait(OperationAnalysisContext context)
    {
        if (context.Operation.Syntax is AwaitExpressionSyntax await)
        {
            context.ReportDiagnostic(Create(await.AwaitKeyword.GetLocation(), Constructs.Await));
        }
    }

    private void AnalyzeYield(OperationAnalysisContext context) =>
        context.ReportDiagnostic(Create(context.Operation.Syntax.GetLocation(),
            context.Operation.Kind == OperationKind.YieldReturn ? Constructs.YieldReturn : Constructs.YieldBreak));

    private void AnalyzeLoop(OperationAnalysisContext context)
    {
        if (context.Operation is not IForEachLoopOperation loop || loop.Syntax is not CommonForEachStatementSyntax statement)
        {
            return;
        }
        if (loop.IsAsynchronous)
        {
            context.ReportDiagnostic(Create(statement.AwaitKeyword.GetLocation(), Constructs.AwaitForEach));
            return;
        }
        var collection = loop.Collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : loop.Collection;
        var type = collection.Type;
        if (type is null or IErrorTypeSymbol or IArrayTypeSymbol or IDynamicTypeSymbol || type.SpecialType == SpecialType.System_String)
        {
            return;
        }
        context.ReportDiagnostic(Create(statement.Expression.GetLocation(), Constructs.ForEachOver(type)));
    }

    private void AnalyzeUsing(OperationAnalysisContext context)
    {
        var awaitKeyword = context.Operation.Syntax switch
        {
            UsingStatementSyntax statement => statement.AwaitKeyword,
            LocalDeclarationStatementSyntax declaration => declaration.AwaitKeyword,
            _ => default,
        };
        if (awaitKeyword != default)
        {
            context.ReportDiagnostic(Create(awaitKeyword.GetLocation(), Constructs.AwaitUsing));
        }
    }
}
