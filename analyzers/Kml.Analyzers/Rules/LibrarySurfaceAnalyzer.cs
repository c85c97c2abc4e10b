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
/// KML0021: library types, members and attributes outside the allowed surface (Subset/LibrarySurface.txt), unless a
/// more specific rule owns them (generics, LINQ, reflection, threads, tasks, exceptions, delegates, floating point).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LibrarySurfaceAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public LibrarySurfaceAnalyzer()
        : base(DiagnosticDescriptors.LibrarySurface)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        LibraryMembers.Register(context, Rule);
        context.RegisterOperationAction(AnalyzeAttribute, OperationKind.Attribute);
    }

    private void AnalyzeAttribute(OperationAnalysisContext context)
    {
        var attribute = (IAttributeOperation)context.Operation;
        var type = attribute.Operation is IObjectCreationOperation creation ? creation.Type as INamedTypeSymbol : null;
        if (type is null or IErrorTypeSymbol || SymbolFacts.IsDeclaredInProgram(type, context.Compilation) || SymbolFacts.IsKmlApi(type)
            || LibrarySurface.IsAllowedType(type))
        {
            // The program's own attribute classes derive from System.Attribute: KML0004 reports them.
            return;
        }
        var location = attribute.Syntax is AttributeSyntax syntax ? syntax.Name.GetLocation() : attribute.Syntax.GetLocation();
        context.ReportDiagnostic(Create(location, Constructs.Attribute(type)));
    }
}
