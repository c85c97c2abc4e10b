using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Analyzers.Subset;

/// <summary>Where a piece of syntax sits, and the precise spans the rules report at.</summary>
public static class SyntaxContext
{
    /// <summary>
    /// Whether a type name is part of a construct that another rule reports as a whole, so that naming the type
    /// there is not a second diagnostic: inside typeof (KML0010), nameof (a constant), an attribute (KML0021),
    /// throw and catch (KML0002), a base list (KML0004), or a documentation comment.
    /// </summary>
    /// <param name="node">The type syntax.</param>
    /// <param name="model">Its semantic model.</param>
    /// <returns>True when the type reference is covered by its context.</returns>
    public static bool IsCoveredTypeReference(SyntaxNode node, SemanticModel model)
    {
        if (node.IsPartOfStructuredTrivia())
        {
            return true;
        }
        if (node.Parent is BaseTypeSyntax { Parent: BaseListSyntax { Parent: not EnumDeclarationSyntax } })
        {
            return true;
        }
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case TypeOfExpressionSyntax or AttributeSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or CatchDeclarationSyntax:
                    return true;
                case InvocationExpressionSyntax invocation when IsNameOf(invocation, model):
                    return true;
                case StatementSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }
        return false;
    }

    /// <summary>Whether an invocation is the nameof operator (and not a method that happens to be called nameof).</summary>
    /// <param name="invocation">The invocation.</param>
    /// <param name="model">Its semantic model.</param>
    /// <returns>True for nameof(...).</returns>
    public static bool IsNameOf(InvocationExpressionSyntax invocation, SemanticModel model) =>
        invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" } && model.GetOperation(invocation) is INameOfOperation;

    /// <summary>Whether an operation is inside a construct that another rule reports as a whole (throw, nameof, an attribute).</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>True when an ancestor covers it.</returns>
    public static bool IsInsideCoveringOperation(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IThrowOperation or INameOfOperation or IAttributeOperation or ITypeOfOperation)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether syntax is inside an unsafe context (an unsafe block, or a member or type declared unsafe).</summary>
    /// <param name="node">The syntax.</param>
    /// <returns>True inside unsafe code, which KML0008 reports at its 'unsafe' keyword.</returns>
    public static bool IsInUnsafeContext(SyntaxNode node)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            if (ancestor is UnsafeStatementSyntax || Modifiers(ancestor).Any(SyntaxKind.UnsafeKeyword))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The modifiers of a declaration (member, type, local function, parameter, field variable, accessor).</summary>
    /// <param name="declaration">The declaration syntax, as a symbol's declaring syntax reference gives it.</param>
    /// <returns>Its modifiers, or an empty list.</returns>
    public static SyntaxTokenList Modifiers(SyntaxNode declaration) => declaration switch
    {
        MemberDeclarationSyntax member => member.Modifiers,
        LocalFunctionStatementSyntax function => function.Modifiers,
        ParameterSyntax parameter => parameter.Modifiers,
        AccessorDeclarationSyntax accessor => accessor.Modifiers,
        VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax field } => field.Modifiers,
        _ => default,
    };

    /// <summary>The location of a modifier keyword on a declaration, or null when it does not have it.</summary>
    /// <param name="declaration">The declaration syntax.</param>
    /// <param name="kind">The modifier's keyword kind.</param>
    /// <returns>The keyword's location.</returns>
    public static Location? ModifierLocation(SyntaxNode declaration, SyntaxKind kind)
    {
        foreach (var token in Modifiers(declaration))
        {
            if (token.IsKind(kind))
            {
                return token.GetLocation();
            }
        }
        return null;
    }

    /// <summary>
    /// Where to report the use of a member: its name (<c>Sqrt</c> in <c>Math.Sqrt(2)</c>), or the whole expression
    /// for constructors and indexers.
    /// </summary>
    /// <param name="operation">An invocation, member reference or object creation.</param>
    /// <returns>The location.</returns>
    public static Location MemberNameLocation(IOperation operation)
    {
        var syntax = operation.Syntax;
        if (syntax is InvocationExpressionSyntax invocation)
        {
            syntax = invocation.Expression;
        }
        return syntax switch
        {
            MemberAccessExpressionSyntax access => access.Name.GetLocation(),
            MemberBindingExpressionSyntax binding => binding.Name.GetLocation(),
            _ => syntax.GetLocation(),
        };
    }

    /// <summary>
    /// Whether a static member is reached through the name of its type (<c>Thread.Sleep</c>), as opposed to
    /// <c>using static</c> or an extension method call. Then the type's name is where the type rules report.
    /// </summary>
    /// <param name="operation">An invocation or member reference.</param>
    /// <param name="model">The semantic model of its syntax.</param>
    /// <returns>True when a type name qualifies the member.</returns>
    public static bool IsQualifiedByTypeName(IOperation operation, SemanticModel model)
    {
        var syntax = operation.Syntax is InvocationExpressionSyntax invocation ? invocation.Expression : operation.Syntax;
        return syntax is MemberAccessExpressionSyntax access && model.GetSymbolInfo(access.Expression).Symbol is ITypeSymbol;
    }
}
