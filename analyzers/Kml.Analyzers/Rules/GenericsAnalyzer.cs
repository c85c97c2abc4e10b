using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Analyzers.Rules;

/// <summary>KML0003: generic type and method declarations, and uses of generic library types and methods.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GenericsAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public GenericsAnalyzer()
        : base(DiagnosticDescriptors.Generics)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        LibraryMembers.Register(context, Rule);
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
    }

    private void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeParameters.IsEmpty || type.IsImplicitlyDeclared)
        {
            return;
        }
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var list = reference.GetSyntax(context.CancellationToken) switch
            {
                TypeDeclarationSyntax declaration => declaration.TypeParameterList,
                DelegateDeclarationSyntax declaration => declaration.TypeParameterList,
                _ => null,
            };
            if (list is not null)
            {
                context.ReportDiagnostic(Create(list.GetLocation(), Constructs.GenericTypeDeclaration(type)));
            }
        }
    }

    private void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.TypeParameters.IsEmpty || method.IsImplicitlyDeclared)
        {
            return;
        }
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is MethodDeclarationSyntax { TypeParameterList: { } list })
            {
                context.ReportDiagnostic(Create(list.GetLocation(), Constructs.GenericMethodDeclaration(method)));
            }
        }
    }
}
