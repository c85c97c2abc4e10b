using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>KML0010: typeof, dynamic, GetType(), System.Type, Activator and System.Reflection.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReflectionAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public ReflectionAnalyzer()
        : base(DiagnosticDescriptors.Reflection)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        LibraryMembers.Register(context, Rule);
        context.RegisterOperationAction(AnalyzeTypeOf, OperationKind.TypeOf);
    }

    private void AnalyzeTypeOf(OperationAnalysisContext context)
    {
        if (!SyntaxContext.IsInsideCoveringOperation(context.Operation))
        {
            context.ReportDiagnostic(Create(context.Operation.Syntax.GetLocation(), Constructs.TypeOf));
        }
    }
}
