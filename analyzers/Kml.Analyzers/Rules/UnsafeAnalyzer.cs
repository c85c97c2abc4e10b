using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>
/// KML0008: the unsafe modifier and unsafe blocks, pointer and function pointer types, fixed statements and
/// fixed-size buffers, stackalloc, extern methods, and nint/nuint. The modifier and the statements have no
/// operation, so they are syntax actions; extern and fixed buffers are symbol actions.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsafeAnalyzer : KmlAnalyzer
{
    private static readonly SyntaxKind[] DeclarationKinds =
    [
        SyntaxKind.ClassDeclaration, SyntaxKind.StructDeclaration, SyntaxKind.RecordDeclaration, SyntaxKind.RecordStructDeclaration,
        SyntaxKind.InterfaceDeclaration, SyntaxKind.DelegateDeclaration, SyntaxKind.MethodDeclaration, SyntaxKind.ConstructorDeclaration,
        SyntaxKind.DestructorDeclaration, SyntaxKind.OperatorDeclaration, SyntaxKind.ConversionOperatorDeclaration,
        SyntaxKind.PropertyDeclaration, SyntaxKind.IndexerDeclaration, SyntaxKind.EventDeclaration, SyntaxKind.FieldDeclaration,
        SyntaxKind.EventFieldDeclaration, SyntaxKind.LocalFunctionStatement,
    ];

    /// <summary>Creates the analyzer.</summary>
    public UnsafeAnalyzer()
        : base(DiagnosticDescriptors.Unsafe)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        context.RegisterSyntaxNodeAction(AnalyzeModifiers, DeclarationKinds);
        context.RegisterSyntaxNodeAction(AnalyzeStatement, SyntaxKind.UnsafeStatement, SyntaxKind.FixedStatement);
        context.RegisterSyntaxNodeAction(AnalyzeStackAlloc, SyntaxKind.StackAllocArrayCreationExpression, SyntaxKind.ImplicitStackAllocArrayCreationExpression);
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
        context.RegisterSymbolAction(AnalyzeField, SymbolKind.Field);
    }

    private void AnalyzeModifiers(SyntaxNodeAnalysisContext context)
    {
        if (SyntaxContext.ModifierLocation(context.Node, SyntaxKind.UnsafeKeyword) is { } location)
        {
            context.ReportDiagnostic(Create(location, Constructs.UnsafeModifier));
        }
    }

    private void AnalyzeStatement(SyntaxNodeAnalysisContext context)
    {
        switch (context.Node)
        {
            case UnsafeStatementSyntax statement:
                context.ReportDiagnostic(Create(statement.UnsafeKeyword.GetLocation(), Constructs.UnsafeBlock));
                break;
            case FixedStatementSyntax statement:
                context.ReportDiagnostic(Create(statement.FixedKeyword.GetLocation(), Constructs.FixedStatement));
                break;
        }
    }

    private void AnalyzeStackAlloc(SyntaxNodeAnalysisContext context) =>
        context.ReportDiagnostic(Create(context.Node.GetLocation(), Constructs.StackAlloc));

    private void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!method.IsExtern || method.IsImplicitlyDeclared)
        {
            return;
        }
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(context.CancellationToken);
            var location = SyntaxContext.ModifierLocation(syntax, SyntaxKind.ExternKeyword);
            if (location is not null)
            {
                context.ReportDiagnostic(Create(location, Constructs.ExternMethod(method)));
            }
        }
    }

    private void AnalyzeField(SymbolAnalysisContext context)
    {
        var field = (IFieldSymbol)context.Symbol;
        if (!field.IsFixedSizeBuffer)
        {
            return;
        }
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (SyntaxContext.ModifierLocation(reference.GetSyntax(context.CancellationToken), SyntaxKind.FixedKeyword) is { } location)
            {
                context.ReportDiagnostic(Create(location, Constructs.FixedSizeBuffer(field)));
            }
        }
    }
}
