using System.Collections.Immutable;
using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Analyzers.Rules;

/// <summary>KML0023: object and collection initializers, collection expressions, with expressions, anonymous types.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InitializersAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public InitializersAnalyzer()
        : base(DiagnosticDescriptors.Initializers)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        context.RegisterOperationAction(AnalyzeInitializer, OperationKind.ObjectOrCollectionInitializer);
        context.RegisterOperationAction(AnalyzeCollectionExpression, OperationKind.CollectionExpression);
        context.RegisterOperationAction(c => Report(c, Constructs.WithExpression), OperationKind.With);
        context.RegisterOperationAction(c => Report(c, Constructs.AnonymousType), OperationKind.AnonymousObjectCreation);
    }

    private void Report(OperationAnalysisContext context, string construct) =>
        context.ReportDiagnostic(Create(context.Operation.Syntax.GetLocation(), construct));

    private void AnalyzeCollectionExpression(OperationAnalysisContext context)
    {
        // A params collection argument (M(1, 2, 3) for params ReadOnlySpan<int>) is an implicit collection
        // expression: the params parameter's type is reported at its declaration, or the library member called.
        if (!context.Operation.IsImplicit)
        {
            Report(context, Constructs.CollectionExpression);
        }
    }

    private void AnalyzeInitializer(OperationAnalysisContext context)
    {
        var initializer = context.Operation;
        // Nested initializers (new A { B = { X = 1 } }) and a with expression's initializer belong to the outer construct.
        if (initializer.Parent is IMemberInitializerOperation or IWithOperation || initializer.Syntax is not InitializerExpressionSyntax syntax)
        {
            return;
        }
        var construct = syntax.IsKind(SyntaxKind.CollectionInitializerExpression) ? Constructs.CollectionInitializer : Constructs.ObjectInitializer;
        context.ReportDiagnostic(Create(syntax.GetLocation(), construct));
    }
}
