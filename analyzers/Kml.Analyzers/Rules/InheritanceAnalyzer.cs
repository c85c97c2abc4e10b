using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Analyzers.Rules;

/// <summary>
/// KML0004: base classes and implemented interfaces (at their base-list entry), interface declarations, abstract
/// classes, and virtual, abstract, override and sealed members. A sealed or static class without a base is fine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InheritanceAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public InheritanceAnalyzer()
        : base(DiagnosticDescriptors.Inheritance)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        // A base-list entry names a type but has no operation: a syntax action.
        context.RegisterSyntaxNodeAction(AnalyzeBaseType, SyntaxKind.SimpleBaseType, SyntaxKind.PrimaryConstructorBaseType);
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
        context.RegisterSymbolAction(AnalyzeMember, SymbolKind.Method, SymbolKind.Property, SymbolKind.Event);
    }

    private void AnalyzeBaseType(SyntaxNodeAnalysisContext context)
    {
        var baseType = (BaseTypeSyntax)context.Node;
        if (baseType.Parent?.Parent is EnumDeclarationSyntax or InterfaceDeclarationSyntax)
        {
            // An enum's underlying type is not a base; an interface is reported at its declaration.
            return;
        }
        var type = context.SemanticModel.GetTypeInfo(baseType.Type, context.CancellationToken).Type;
        if (type is null or IErrorTypeSymbol || type.SpecialType == SpecialType.System_Object)
        {
            return;
        }
        var construct = type.TypeKind == TypeKind.Interface ? Constructs.InterfaceImplementation(type) : Constructs.BaseClass(type);
        context.ReportDiagnostic(Create(baseType.GetLocation(), construct));
    }

    private void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.IsImplicitlyDeclared)
        {
            return;
        }
        if (type.TypeKind == TypeKind.Interface)
        {
            context.ReportDiagnostic(Create(type.Locations[0], Constructs.InterfaceDeclaration(type)));
        }
        else if (type.IsAbstract && type.TypeKind == TypeKind.Class && !type.IsStatic)
        {
            ReportModifier(context, type, SyntaxKind.AbstractKeyword, "abstract", "class");
        }
    }

    private void AnalyzeMember(SymbolAnalysisContext context)
    {
        var member = context.Symbol;
        if (member.IsImplicitlyDeclared || member.ContainingType?.TypeKind == TypeKind.Interface
            || member is IMethodSymbol { MethodKind: not MethodKind.Ordinary })
        {
            // Accessors share their property's modifiers; interfaces are reported as a whole.
            return;
        }
        var kind = member switch
        {
            IMethodSymbol => "method",
            IPropertySymbol => "property",
            _ => "event",
        };
        if (member.IsOverride)
        {
            ReportModifier(context, member, SyntaxKind.OverrideKeyword, "override", kind);
        }
        else if (member.IsVirtual)
        {
            ReportModifier(context, member, SyntaxKind.VirtualKeyword, "virtual", kind);
        }
        else if (member.IsAbstract)
        {
            ReportModifier(context, member, SyntaxKind.AbstractKeyword, "abstract", kind);
        }
        else if (member.IsSealed)
        {
            ReportModifier(context, member, SyntaxKind.SealedKeyword, "sealed", kind);
        }
    }

    private void ReportModifier(SymbolAnalysisContext context, ISymbol symbol, SyntaxKind keyword, string modifier, string kind)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (SyntaxContext.ModifierLocation(reference.GetSyntax(context.CancellationToken), keyword) is { } location)
            {
                context.ReportDiagnostic(Create(location, Constructs.ModifiedMember(modifier, kind, symbol)));
            }
        }
    }
}
