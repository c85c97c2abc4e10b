using System.Collections.Immutable;
using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Analyzers.Rules;

/// <summary>
/// KML0024: the safety net. Every operation of every member is checked against <see cref="OperationPolicy"/>: a kind
/// in the subset, owned by another rule, or part of a construct reported as a whole passes; index and range
/// operators, UTF-8 literals, __makeref and its kin, and any kind these rules do not know (a newer compiler's) are
/// reported here, so the KML compiler never meets an operation that no rule has judged.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OtherConstructsAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public OtherConstructsAnalyzer()
        : base(DiagnosticDescriptors.OtherConstructs)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        // A block action walks all operations, including kinds that did not exist when this was written.
        context.RegisterOperationBlockAction(AnalyzeBlock);
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
    }

    private void AnalyzeMethod(SymbolAnalysisContext context)
    {
        // void M(__arglist): a C-style variable argument list.
        var method = (IMethodSymbol)context.Symbol;
        if (method.IsVararg && !method.IsImplicitlyDeclared)
        {
            context.ReportDiagnostic(Create(method.Locations[0], Constructs.VarargMethod(method)));
        }
    }

    private void AnalyzeBlock(OperationBlockAnalysisContext context)
    {
        foreach (var block in context.OperationBlocks)
        {
            Visit(context, block);
        }
    }

    private void Visit(OperationBlockAnalysisContext context, IOperation operation)
    {
        if (operation is INameOfOperation || operation.Kind == OperationKind.Invalid)
        {
            // nameof is a constant; invalid code already has compiler errors.
            return;
        }
        if (Judge(operation) is { } construct)
        {
            context.ReportDiagnostic(Create(operation.Syntax.GetLocation(), construct));
        }
        foreach (var child in operation.ChildOperations)
        {
            Visit(context, child);
        }
    }

    private static string? Judge(IOperation operation)
    {
        switch (operation.Kind)
        {
            case OperationKind.Unary when operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat }:
                return InsideImplicitIndexer(operation) ? null : Constructs.IndexFromEnd;
            case OperationKind.Range:
                return InsideImplicitIndexer(operation) ? null : Constructs.Range;
            case OperationKind.ImplicitIndexerReference:
                return Constructs.IndexOrRangeAccess;
            case OperationKind.Utf8String:
                return Constructs.Utf8Literal;
            case OperationKind.None:
                return JudgeNone(operation);
            default:
                return OperationPolicy.IsKnown(operation.Kind) ? null : Constructs.UnknownConstruct(operation.Kind.ToString());
        }
    }

    /// <summary>s[^1] and s[1..] on a string are reported as one index or range access.</summary>
    private static bool InsideImplicitIndexer(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IImplicitIndexerReferenceOperation)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Operations Roslyn has no interface for: stackalloc and unsafe code (KML0008), or the undocumented keywords.</summary>
    private static string? JudgeNone(IOperation operation)
    {
        var syntax = operation.Syntax;
        if (syntax.IsKind(SyntaxKind.StackAllocArrayCreationExpression) || syntax.IsKind(SyntaxKind.ImplicitStackAllocArrayCreationExpression)
            || SyntaxContext.IsInUnsafeContext(syntax))
        {
            return null;
        }
        if (syntax is InvocationExpressionSyntax { Expression: var callee } && callee.IsKind(SyntaxKind.ArgListExpression))
        {
            return Constructs.Keyword("__arglist");
        }
        return syntax.Kind() switch
        {
            SyntaxKind.MakeRefExpression => Constructs.Keyword("__makeref"),
            SyntaxKind.RefTypeExpression => Constructs.Keyword("__reftype"),
            SyntaxKind.RefValueExpression => Constructs.Keyword("__refvalue"),
            SyntaxKind.ArgListExpression => Constructs.Keyword("__arglist"),
            var kind => Constructs.UnknownConstruct(kind.ToString()),
        };
    }
}
