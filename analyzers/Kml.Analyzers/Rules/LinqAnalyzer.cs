using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>KML0007: query expressions, and System.Linq types and methods (including extension method calls on arrays).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LinqAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public LinqAnalyzer()
        : base(DiagnosticDescriptors.Linq)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        LibraryMembers.Register(context, Rule);
        context.RegisterOperationAction(AnalyzeQuery, OperationKind.TranslatedQuery);
    }

    private void AnalyzeQuery(OperationAnalysisContext context)
    {
        if (context.Operation.Syntax is QueryExpressionSyntax query)
        {
            context.ReportDiagnostic(Create(query.FromClause.GetLocation(), Constructs.QueryExpression));
        }
    }
}
