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
/// KML0006: ref, out, in and ref readonly parameters, scoped, ref returns, ref locals (and ref foreach variables),
/// ref fields and ref structs. Call sites (M(ref x)) are not reported: the declaration they need is.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RefKindsAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public RefKindsAnalyzer()
        : base(DiagnosticDescriptors.RefKinds)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
        context.RegisterSymbolAction(AnalyzeProperty, SymbolKind.Property);
        context.RegisterSymbolAction(AnalyzeField, SymbolKind.Field);
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
        context.RegisterOperationAction(AnalyzeLocal, OperationKind.VariableDeclarator);
    }

    private void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.IsImplicitlyDeclared || method.MethodKind is MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove)
        {
            return;
        }
        foreach (var parameter in method.Parameters)
        {
            AnalyzeParameter(context, parameter);
        }
        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var returnType = reference.GetSyntax(context.CancellationToken) switch
                {
                    MethodDeclarationSyntax declaration => declaration.ReturnType,
                    DelegateDeclarationSyntax declaration => declaration.ReturnType,
                    _ => null,
                };
                if (returnType is RefTypeSyntax refType)
                {
                    context.ReportDiagnostic(Create(RefKeywords(refType), Constructs.RefReturn(method)));
                }
            }
        }
    }

    private void AnalyzeParameter(SymbolAnalysisContext context, IParameterSymbol parameter)
    {
        foreach (var reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is not ParameterSyntax syntax)
            {
                continue;
            }
            var modifiers = syntax.Modifiers;
            var first = FirstOf(modifiers, SyntaxKind.RefKeyword, SyntaxKind.OutKeyword, SyntaxKind.InKeyword);
            if (parameter.RefKind != RefKind.None && first != default)
            {
                // "ref readonly" is reported as one modifier.
                var last = first.IsKind(SyntaxKind.RefKeyword) ? FirstOf(modifiers, SyntaxKind.ReadOnlyKeyword) : default;
                var end = last != default ? last.Span.End : first.Span.End;
                var text = last != default ? "ref readonly" : first.ValueText;
                context.ReportDiagnostic(Create(Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(first.SpanStart, end)), Constructs.RefParameter(text, parameter)));
            }
            else if (FirstOf(modifiers, SyntaxKind.ScopedKeyword) is { } scoped && scoped != default)
            {
                context.ReportDiagnostic(Create(scoped.GetLocation(), Constructs.Scoped(parameter)));
            }
        }
    }

    private void AnalyzeProperty(SymbolAnalysisContext context)
    {
        var property = (IPropertySymbol)context.Symbol;
        if (!property.ReturnsByRef && !property.ReturnsByRefReadonly)
        {
            return;
        }
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is BasePropertyDeclarationSyntax { Type: RefTypeSyntax refType })
            {
                context.ReportDiagnostic(Create(RefKeywords(refType), Constructs.RefReturn(property)));
            }
        }
    }

    private void AnalyzeField(SymbolAnalysisContext context)
    {
        var field = (IFieldSymbol)context.Symbol;
        if (field.RefKind == RefKind.None || field.IsImplicitlyDeclared)
        {
            return;
        }
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Type: RefTypeSyntax refType } })
            {
                context.ReportDiagnostic(Create(RefKeywords(refType), Constructs.RefField(field)));
            }
        }
    }

    private void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!type.IsRefLikeType || type.IsImplicitlyDeclared)
        {
            return;
        }
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (SyntaxContext.ModifierLocation(reference.GetSyntax(context.CancellationToken), SyntaxKind.RefKeyword) is { } location)
            {
                context.ReportDiagnostic(Create(location, Constructs.RefStruct(type)));
            }
        }
    }

    private void AnalyzeLocal(OperationAnalysisContext context)
    {
        var declarator = (IVariableDeclaratorOperation)context.Operation;
        var local = declarator.Symbol;
        if (!local.IsRef && local.ScopedKind == ScopedKind.None)
        {
            return;
        }
        // The declared type: "ref int r = ref x;", "foreach (ref var x in span)", "scoped Span<int> s".
        var type = declarator.Syntax switch
        {
            VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } => declaration.Type,
            ForEachStatementSyntax forEach => forEach.Type,
            TypeSyntax syntax => syntax,
            _ => null,
        };
        if (type is ScopedTypeSyntax scoped)
        {
            context.ReportDiagnostic(Create(scoped.ScopedKeyword.GetLocation(), Constructs.Scoped(local)));
        }
        else if (type is RefTypeSyntax refType)
        {
            context.ReportDiagnostic(Create(RefKeywords(refType), Constructs.RefLocal(local)));
        }
        else
        {
            context.ReportDiagnostic(Create(declarator.Syntax.GetLocation(), Constructs.RefLocal(local)));
        }
    }

    private static Location RefKeywords(RefTypeSyntax refType)
    {
        var end = refType.ReadOnlyKeyword != default ? refType.ReadOnlyKeyword.Span.End : refType.RefKeyword.Span.End;
        return Location.Create(refType.SyntaxTree, TextSpan.FromBounds(refType.RefKeyword.SpanStart, end));
    }

    private static SyntaxToken FirstOf(SyntaxTokenList modifiers, params SyntaxKind[] kinds)
    {
        foreach (var token in modifiers)
        {
            foreach (var kind in kinds)
            {
                if (token.IsKind(kind))
                {
                    return token;
                }
            }
        }
        return default;
    }
}
