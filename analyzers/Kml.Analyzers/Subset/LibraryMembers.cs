using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Analyzers.Subset;

/// <summary>
/// Checks every use of a member (calls, property and field accesses, constructors) against
/// <see cref="MemberClassifier"/>; each rule that owns library members registers it and reports its own findings.
/// Not reported, because another diagnostic already covers them: implicit operations (compiler-generated calls of
/// a construct reported as a whole, such as a query expression), constructors of types that are themselves outside
/// the subset (their type name is reported), static members reached through such a type's name, and anything inside
/// throw, nameof or attributes.
/// </summary>
public static class LibraryMembers
{
    /// <summary>Reports the member uses that <paramref name="rule"/> owns.</summary>
    /// <param name="context">The analyzer's context.</param>
    /// <param name="rule">The rule to report for.</param>
    public static void Register(AnalysisContext context, DiagnosticDescriptor rule) =>
        context.RegisterOperationAction(c => Analyze(c, rule),
            OperationKind.Invocation, OperationKind.PropertyReference, OperationKind.FieldReference, OperationKind.ObjectCreation);

    private static void Analyze(OperationAnalysisContext context, DiagnosticDescriptor rule)
    {
        var operation = context.Operation;
        if (operation.IsImplicit || SyntaxContext.IsInsideCoveringOperation(operation))
        {
            return;
        }
        var compilation = context.Compilation;
        ISymbol? member;
        switch (operation)
        {
            case IInvocationOperation invocation:
                member = invocation.TargetMethod;
                break;
            case IMemberReferenceOperation reference:
                member = reference.Member;
                break;
            case IObjectCreationOperation creation:
                if (creation.Type is null || TypeClassifier.Classify(creation.Type, compilation) is not null)
                {
                    return;
                }
                member = creation.Constructor;
                break;
            default:
                return;
        }
        if (member is null)
        {
            return;
        }
        if (member.IsStatic && member.ContainingType is { } type && TypeClassifier.Classify(type, compilation) is not null
            && SyntaxContext.IsQualifiedByTypeName(operation, operation.SemanticModel!))
        {
            return;
        }
        if (MemberClassifier.Classify(member, compilation) is { } finding && finding.Rule.Id == rule.Id)
        {
            context.ReportDiagnostic(Diagnostic.Create(rule, SyntaxContext.MemberNameLocation(operation), finding.Construct));
        }
    }
}
