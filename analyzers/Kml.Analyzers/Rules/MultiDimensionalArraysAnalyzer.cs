using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>KML0017: rectangular array types where named, and implicitly typed rectangular array creations (new[,] { ... }).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MultiDimensionalArraysAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public MultiDimensionalArraysAnalyzer()
        : base(DiagnosticDescriptors.MultiDimensionalArrays)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ArrayCreation);
    }

    private void AnalyzeCreation(OperationAnalysisContext context)
    {
        // new int[2, 3] names its type (reported there); new[,] { ... } does not.
        var creation = (IArrayCreationOperation)context.Operation;
        if (creation.DimensionSizes.Length > 1 && creation.Syntax is ImplicitArrayCreationExpressionSyntax && creation.Type is { } type)
        {
            context.ReportDiagnostic(Create(creation.Syntax.GetLocation(), Constructs.MultiDimensionalArrayCreation(type)));
        }
    }
}
