using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kml.Analyzers.Subset;

/// <summary>
/// Checks every place the program names a type (declarations, casts, creations, type arguments, default(T), ...)
/// against <see cref="TypeClassifier"/>. A type name has no operation of its own, so this is a syntax action;
/// each rule that owns types registers it and reports only the findings that are its own, so every type name gets
/// at most one diagnostic. Each syntax node is judged for what it adds: a name for the type it names, <c>T[,]</c>
/// for its rank, <c>T?</c> for Nullable, <c>T*</c> for the pointer, <c>(T, U)</c> for the tuple; the types inside
/// are judged at their own names. 'var' names no type and is never reported: the expression it takes its type from is.
/// </summary>
public static class TypeReferences
{
    private static readonly SyntaxKind[] Kinds =
    [
        SyntaxKind.PredefinedType, SyntaxKind.IdentifierName, SyntaxKind.GenericName, SyntaxKind.ArrayType,
        SyntaxKind.NullableType, SyntaxKind.PointerType, SyntaxKind.FunctionPointerType, SyntaxKind.TupleType,
    ];

    /// <summary>Reports the type names that <paramref name="rule"/> owns.</summary>
    /// <param name="context">The analyzer's context.</param>
    /// <param name="rule">The rule to report for.</param>
    public static void Register(AnalysisContext context, DiagnosticDescriptor rule) =>
        context.RegisterSyntaxNodeAction(c => Analyze(c, rule), Kinds);

    private static void Analyze(SyntaxNodeAnalysisContext context, DiagnosticDescriptor rule)
    {
        var node = context.Node;
        var model = context.SemanticModel;
        var type = node switch
        {
            IdentifierNameSyntax { IsVar: true } => null,
            IdentifierNameSyntax or GenericNameSyntax or PredefinedTypeSyntax => model.GetSymbolInfo(node, context.CancellationToken).Symbol as ITypeSymbol,
            _ => model.GetTypeInfo(node, context.CancellationToken).Type,
        };
        // A constructed type syntax adds only its own constructor; string? (an annotation) and int[] add nothing.
        var judged = node switch
        {
            ArrayTypeSyntax => type is IArrayTypeSymbol { Rank: > 1 },
            NullableTypeSyntax => type?.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T,
            _ => type is not null,
        };
        if (!judged || type is null)
        {
            return;
        }
        var finding = TypeClassifier.Classify(type, context.Compilation);
        if (finding is { } f && f.Rule.Id == rule.Id)
        {
            var name = QualifiedName(node, model);
            if (!SyntaxContext.IsCoveredTypeReference(name, model))
            {
                context.ReportDiagnostic(Diagnostic.Create(rule, name.GetLocation(), f.Construct));
            }
        }
    }

    /// <summary>The name with its namespace qualification, if written: all of <c>System.Text.StringBuilder</c>.</summary>
    private static SyntaxNode QualifiedName(SyntaxNode node, SemanticModel model)
    {
        while (true)
        {
            switch (node.Parent)
            {
                case QualifiedNameSyntax qualified when qualified.Right == node && model.GetSymbolInfo(qualified.Left).Symbol is INamespaceSymbol:
                    node = qualified;
                    break;
                case AliasQualifiedNameSyntax alias when alias.Name == node:
                    node = alias;
                    break;
                case MemberAccessExpressionSyntax access when access.Name == node && model.GetSymbolInfo(access.Expression).Symbol is INamespaceSymbol:
                    node = access;
                    break;
                default:
                    return node;
            }
        }
    }
}
