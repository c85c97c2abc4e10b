using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>KML0011: lock, volatile fields, and System.Threading types and members.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ThreadsAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public ThreadsAnalyzer()
        : base(DiagnosticDescriptors.Threads)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        LibraryMembers.Register(context, Rule);
        context.RegisterOperationAction(AnalyzeLock, OperationKind.Lock);
        context.RegisterSymbolAction(AnalyzeField, SymbolKind.Field);
    }

    private void AnalyzeLock(OperationAnalysisContext context)
    {
        if (context.Operation.Syntax is LockStatementSyntax statement)
        {
            context.ReportDiagnostic(Create(statement.LockKeyword.GetLocation(), Constructs.Lock));
        }
    }

    private void AnalyzeField(SymbolAnalysisContext context)
    {
        var field = (IFieldSymbol)context.Symbol;
        if (!field.IsVolatile)
        {
            return;
        }
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (SyntaxContext.ModifierLocation(reference.GetSyntax(context.CancellationToken), SyntaxKind.VolatileKeyword) is { } location)
            {
                context.ReportDiagnostic(Create(location, Constructs.VolatileField(field)));
            }
        }
    }
}
