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
/// KML0022: declarations the subset does not have: records, primary constructors, static constructors, finalizers,
/// user-defined operators and conversions, indexers, extension methods, partial methods, and any type or member
/// kind newer than these rules.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeclarationsAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public DeclarationsAnalyzer()
        : base(DiagnosticDescriptors.Declarations)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
        context.RegisterSymbolAction(AnalyzeProperty, SymbolKind.Property);
    }

    private void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.IsImplicitlyDeclared)
        {
            return;
        }
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Enum or TypeKind.Interface or TypeKind.Delegate))
        {
            context.ReportDiagnostic(Create(type.Locations[0], Constructs.UnknownDeclaration(type, type.TypeKind.ToString())));
            return;
        }
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            switch (reference.GetSyntax(context.CancellationToken))
            {
                case RecordDeclarationSyntax record:
                    context.ReportDiagnostic(Create(record.Keyword.GetLocation(), Constructs.Record(type)));
                    break;
                case TypeDeclarationSyntax { ParameterList: { } parameters }:
                    context.ReportDiagnostic(Create(parameters.GetLocation(), Constructs.PrimaryConstructor(type)));
                    break;
            }
        }
    }

    private void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.IsImplicitlyDeclared)
        {
            return;
        }
        switch (method.MethodKind)
        {
            case MethodKind.StaticConstructor:
                context.ReportDiagnostic(Create(method.Locations[0], Constructs.StaticConstructor(method.ContainingType)));
                break;
            case MethodKind.Destructor:
                context.ReportDiagnostic(Create(method.Locations[0], Constructs.Finalizer(method.ContainingType)));
                break;
            case MethodKind.UserDefinedOperator:
                context.ReportDiagnostic(Create(method.Locations[0], Constructs.UserDefinedOperator(method)));
                break;
            case MethodKind.Conversion:
                context.ReportDiagnostic(Create(method.Locations[0], Constructs.UserDefinedConversion(method)));
                break;
            case MethodKind.Ordinary:
                AnalyzeOrdinaryMethod(context, method);
                break;
            case MethodKind.Constructor or MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove
                or MethodKind.EventRaise or MethodKind.ExplicitInterfaceImplementation or MethodKind.LocalFunction or MethodKind.AnonymousFunction:
                // In the subset, or reported by the rule that owns them (events, interfaces, local functions, lambdas).
                break;
            default:
                context.ReportDiagnostic(Create(method.Locations[0], Constructs.UnknownDeclaration(method, method.MethodKind.ToString())));
                break;
        }
    }

    private void AnalyzeOrdinaryMethod(SymbolAnalysisContext context, IMethodSymbol method)
    {
        if (method.IsExtensionMethod && method.Parameters.Length > 0
            && method.Parameters[0].DeclaringSyntaxReferences.Length > 0
            && SyntaxContext.ModifierLocation(method.Parameters[0].DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken), SyntaxKind.ThisKeyword) is { } thisLocation)
        {
            context.ReportDiagnostic(Create(thisLocation, Constructs.ExtensionMethod(method)));
        }
        // A partial method has two symbols (definition and implementation); report the definition's 'partial' once.
        if (method.PartialImplementationPart is not null || (method.PartialDefinitionPart is null && IsPartial(method, context)))
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (SyntaxContext.ModifierLocation(reference.GetSyntax(context.CancellationToken), SyntaxKind.PartialKeyword) is { } location)
                {
                    context.ReportDiagnostic(Create(location, Constructs.PartialMethod(method)));
                }
            }
        }
    }

    private static bool IsPartial(IMethodSymbol method, SymbolAnalysisContext context)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (SyntaxContext.Modifiers(reference.GetSyntax(context.CancellationToken)).Any(SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }
        return false;
    }

    private void AnalyzeProperty(SymbolAnalysisContext context)
    {
        var property = (IPropertySymbol)context.Symbol;
        if (property.IsIndexer && !property.IsImplicitlyDeclared)
        {
            context.ReportDiagnostic(Create(property.Locations[0], Constructs.Indexer(property)));
        }
    }
}
