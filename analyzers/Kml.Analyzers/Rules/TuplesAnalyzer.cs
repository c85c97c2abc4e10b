using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>KML0013: tuple types, tuple literals, deconstructing assignments and declarations, foreach deconstruction.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TuplesAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public TuplesAnalyzer()
        : base(DiagnosticDescriptors.Tuples)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        context.RegisterOperationAction(AnalyzeTuple, OperationKind.Tuple);
        context.RegisterOperationAction(AnalyzeDeconstruction, OperationKind.DeconstructionAssignment);
        context.RegisterOperationAction(AnalyzeLoop, OperationKind.Loop);
    }

    private void AnalyzeTuple(OperationAnalysisContext context)
    {
        var tuple = context.Operation;
        for (var parent = tuple.Parent; parent is not null; parent = parent.Parent)
        {
            // Nested tuples and the two sides of a deconstruction belong to the construct reported there.
            if (parent is ITupleOperation or IDeconstructionAssignmentOperation or IDeclarationExpressionOperation)
            {
                return;
            }
        }
        if (!tuple.IsImplicit)
        {
            context.ReportDiagnostic(Create(tuple.Syntax.GetLocation(), Constructs.TupleLiteral));
        }
    }

    private void AnalyzeDeconstruction(OperationAnalysisContext context)
    {
        var deconstruction = (IDeconstructionAssignmentOperation)context.Operation;
        context.ReportDiagnostic(Create(deconstruction.Target.Syntax.GetLocation(), Constructs.Deconstruction));
    }

    private void AnalyzeLoop(OperationAnalysisContext context)
    {
        if (context.Operation is IForEachLoopOperation { LoopControlVariable: IDeclarationExpressionOperation or ITupleOperation } loop)
        {
            context.ReportDiagnostic(Create(loop.LoopControlVariable.Syntax.GetLocation(), Constructs.Deconstruction));
        }
    }
}
