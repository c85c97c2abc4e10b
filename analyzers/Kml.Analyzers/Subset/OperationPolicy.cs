using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Kml.Analyzers.Subset;

/// <summary>
/// Every operation kind the rules know, grouped by who judges it. The KML compiler lowers the kinds in
/// <see cref="Subset"/> (further restricted by the specific rules: which conversions, which members, ...); the
/// others are reported by the rule named beside them, or belong to a construct reported as a whole. A kind in none
/// of the lists is reported by KML0024.
/// </summary>
public static class OperationPolicy
{
    /// <summary>The operations of the subset.</summary>
    public static readonly ImmutableHashSet<OperationKind> Subset = ImmutableHashSet.Create(
        OperationKind.Block, OperationKind.VariableDeclarationGroup, OperationKind.VariableDeclaration, OperationKind.VariableDeclarator,
        OperationKind.VariableInitializer, OperationKind.Switch, OperationKind.SwitchCase, OperationKind.CaseClause, OperationKind.Loop,
        OperationKind.Branch, OperationKind.Empty, OperationKind.Return, OperationKind.ExpressionStatement, OperationKind.Literal,
        OperationKind.Conversion, OperationKind.Invocation, OperationKind.Argument, OperationKind.ArrayElementReference,
        OperationKind.LocalReference, OperationKind.ParameterReference, OperationKind.FieldReference, OperationKind.PropertyReference,
        OperationKind.InstanceReference, OperationKind.Unary, OperationKind.Binary, OperationKind.Conditional, OperationKind.ObjectCreation,
        OperationKind.ArrayCreation, OperationKind.ArrayInitializer, OperationKind.SimpleAssignment, OperationKind.CompoundAssignment,
        OperationKind.Increment, OperationKind.Decrement, OperationKind.NameOf, OperationKind.DefaultValue, OperationKind.SizeOf,
        OperationKind.FieldInitializer, OperationKind.PropertyInitializer, OperationKind.ParameterInitializer, OperationKind.MethodBody,
        OperationKind.ConstructorBody, OperationKind.Discard, OperationKind.Attribute);

    /// <summary>The operations another rule reports (the rule's ID beside each).</summary>
    public static readonly ImmutableHashSet<OperationKind> ReportedElsewhere = ImmutableHashSet.Create(
        OperationKind.Try, OperationKind.Throw, OperationKind.Using, OperationKind.UsingDeclaration,             // KML0002
        OperationKind.AnonymousFunction, OperationKind.LocalFunction, OperationKind.DelegateCreation,
        OperationKind.EventAssignment,                                                                            // KML0005
        OperationKind.TranslatedQuery,                                                                            // KML0007
        OperationKind.Await, OperationKind.YieldReturn, OperationKind.YieldBreak,                                 // KML0009
        OperationKind.TypeOf,                                                                                     // KML0010
        OperationKind.Lock,                                                                                       // KML0011
        OperationKind.IsType, OperationKind.IsPattern, OperationKind.SwitchExpression,                            // KML0012
        OperationKind.Tuple, OperationKind.DeconstructionAssignment,                                              // KML0013
        OperationKind.Coalesce, OperationKind.CoalesceAssignment, OperationKind.ConditionalAccess,                // KML0015
        OperationKind.InterpolatedString,                                                                         // KML0018
        OperationKind.Labeled,                                                                                    // KML0020
        OperationKind.ObjectOrCollectionInitializer, OperationKind.CollectionExpression, OperationKind.With,
        OperationKind.AnonymousObjectCreation);                                                                   // KML0023

    /// <summary>
    /// Operations that are parts of a construct reported as a whole (patterns inside a pattern, the pieces of an
    /// interpolated string), or that only exist where their source is reported (dynamic operations come from a
    /// value of type dynamic, pointer operations from unsafe code, new T() from a generic declaration).
    /// </summary>
    public static readonly ImmutableHashSet<OperationKind> Covered = ImmutableHashSet.Create(
        OperationKind.MethodReference, OperationKind.EventReference, OperationKind.ConditionalAccessInstance, OperationKind.MemberInitializer,
        OperationKind.Spread, OperationKind.InterpolatedStringText, OperationKind.Interpolation,
        OperationKind.InterpolatedStringHandlerCreation, OperationKind.InterpolatedStringAddition, OperationKind.InterpolatedStringAppendLiteral,
        OperationKind.InterpolatedStringAppendFormatted, OperationKind.InterpolatedStringAppendInvalid,
        OperationKind.InterpolatedStringHandlerArgumentPlaceholder, OperationKind.ConstantPattern, OperationKind.DeclarationPattern,
        OperationKind.RecursivePattern, OperationKind.DiscardPattern, OperationKind.SwitchExpressionArm, OperationKind.PropertySubpattern,
        OperationKind.NegatedPattern, OperationKind.BinaryPattern, OperationKind.TypePattern, OperationKind.RelationalPattern,
        OperationKind.ListPattern, OperationKind.SlicePattern, OperationKind.TupleBinary, OperationKind.DeclarationExpression,
        OperationKind.CatchClause, OperationKind.CaughtException, OperationKind.DynamicObjectCreation, OperationKind.DynamicMemberReference,
        OperationKind.DynamicInvocation, OperationKind.DynamicIndexerAccess, OperationKind.TypeParameterObjectCreation,
        OperationKind.AddressOf, OperationKind.FunctionPointerInvocation, OperationKind.InlineArrayAccess, OperationKind.RaiseEvent);

    /// <summary>Whether a kind is in one of the lists (everything else is reported by KML0024).</summary>
    /// <param name="kind">An operation kind.</param>
    /// <returns>True for known kinds.</returns>
    public static bool IsKnown(OperationKind kind) => Subset.Contains(kind) || ReportedElsewhere.Contains(kind) || Covered.Contains(kind);
}
