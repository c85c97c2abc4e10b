using System.Linq;
using Microsoft.CodeAnalysis;

namespace Kml.Analyzers.Diagnostics;

/// <summary>
/// The phrases that name a construct in a diagnostic ("floating-point type 'double'"); each message is the phrase
/// followed by "is not in the KML subset". All the wording of the rules is here and in
/// <see cref="DiagnosticDescriptors"/>, so it stays consistent and reviewable in one place.
/// </summary>
public static class Constructs
{
    /// <summary>How symbols are shown: C# names as the compiler's own messages show them, without nullable annotations.</summary>
    public static readonly SymbolDisplayFormat Format = SymbolDisplayFormat.CSharpErrorMessageFormat
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>A symbol as the messages show it; constructors as "new T(parameters)".</summary>
    /// <param name="symbol">The symbol.</param>
    /// <returns>Its display.</returns>
    public static string Show(ISymbol symbol) => symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
        ? "new " + constructor.ContainingType.ToDisplayString(Format) + "(" + string.Join(", ", constructor.Parameters.Select(p => p.Type.ToDisplayString(Format))) + ")"
        : symbol.ToDisplayString(Format);

    private static string Q(ISymbol symbol) => "'" + Show(symbol) + "'";

#pragma warning disable CS1591 // Each phrase's name says what it is.
    // KML0001
    public static string FloatingPointType(ITypeSymbol type) => "floating-point type " + Q(type);
    public static string FloatingPointLiteral(string text) => "floating-point literal '" + text + "'";

    // KML0002
    public const string TryStatement = "'try' statement";
    public const string ThrowStatement = "'throw' statement";
    public const string ThrowExpression = "'throw' expression";
    public const string UsingStatement = "'using' statement (an implicit try/finally)";
    public const string UsingDeclaration = "'using' declaration (an implicit try/finally)";
    public static string ExceptionType(ITypeSymbol type) => "exception type " + Q(type);

    // KML0003
    public static string GenericTypeDeclaration(ISymbol type) => "generic type declaration " + Q(type);
    public static string GenericMethodDeclaration(ISymbol method) => "generic method declaration " + Q(method);
    public static string GenericType(ITypeSymbol type) => "generic type " + Q(type);
    public static string GenericMethod(ISymbol method) => "generic method " + Q(method);

    // KML0004
    public static string BaseClass(ITypeSymbol type) => "base class " + Q(type);
    public static string InterfaceImplementation(ITypeSymbol type) => "interface implementation " + Q(type);
    public static string InterfaceDeclaration(ISymbol type) => "interface declaration " + Q(type);
    public static string ModifiedMember(string modifier, string kind, ISymbol member) => "'" + modifier + "' " + kind + " " + Q(member);

    // KML0005
    public const string Lambda = "lambda expression";
    public const string AnonymousMethod = "anonymous method";
    public static string LocalFunction(ISymbol function) => "local function " + Q(function);
    public static string MethodGroupConversion(ISymbol method, ITypeSymbol delegateType) => "conversion of method group " + Q(method) + " to delegate type " + Q(delegateType);
    public static string DelegateDeclaration(ISymbol type) => "delegate type declaration " + Q(type);
    public static string DelegateType(ITypeSymbol type) => "delegate type " + Q(type);
    public static string EventDeclaration(ISymbol @event) => "event " + Q(@event);
    public static string EventSubscription(ISymbol @event, bool adds) => "event " + (adds ? "subscription" : "unsubscription") + " to " + Q(@event);

    // KML0006
    public static string RefParameter(string modifier, ISymbol parameter) => "'" + modifier + "' parameter '" + parameter.Name + "'";
    public static string RefReturn(ISymbol member) => "ref return of " + Q(member);
    public static string RefLocal(ISymbol local) => "ref local '" + local.Name + "'";
    public static string RefStruct(ISymbol type) => "ref struct " + Q(type);
    public static string RefField(ISymbol field) => "ref field " + Q(field);
    public static string Scoped(ISymbol variable) => "'scoped' modifier on '" + variable.Name + "'";

    // KML0007
    public const string QueryExpression = "query expression";
    public static string LinqType(ITypeSymbol type) => "LINQ type " + Q(type);
    public static string LinqMember(ISymbol member) => "LINQ method " + Q(member);

    // KML0008
    public const string UnsafeModifier = "'unsafe' modifier";
    public const string UnsafeBlock = "'unsafe' block";
    public const string FixedStatement = "'fixed' statement";
    public const string StackAlloc = "'stackalloc' expression";
    public static string PointerType(ITypeSymbol type) => "pointer type " + Q(type);
    public static string FunctionPointerType(ITypeSymbol type) => "function pointer type " + Q(type);
    public static string FixedSizeBuffer(ISymbol field) => "fixed-size buffer " + Q(field);
    public static string ExternMethod(ISymbol method) => "extern method " + Q(method);
    public static string NativeInteger(ITypeSymbol type) => "native-sized integer type " + Q(type);

    // KML0009
    public static string AsyncMethod(ISymbol method) => "'async' method " + Q(method);
    public const string Await = "'await' expression";
    public const string AwaitForEach = "'await foreach' statement";
    public const string AwaitUsing = "'await using'";
    public const string YieldReturn = "'yield return' statement";
    public const string YieldBreak = "'yield break' statement";
    public static string ForEachOver(ITypeSymbol type) => "foreach over " + Q(type) + " (only arrays and strings can be enumerated)";
    public static string TaskType(ITypeSymbol type) => "task type " + Q(type);
    public static string TaskMember(ISymbol member) => "task member " + Q(member);

    // KML0010
    public const string TypeOf = "'typeof' expression";
    public const string Dynamic = "type 'dynamic'";
    public static string ReflectionType(ITypeSymbol type) => "reflection type " + Q(type);
    public static string ReflectionMember(ISymbol member) => "reflection member " + Q(member);

    // KML0011
    public const string Lock = "'lock' statement";
    public static string VolatileField(ISymbol field) => "'volatile' field " + Q(field);
    public static string ThreadingType(ITypeSymbol type) => "threading type " + Q(type);
    public static string ThreadingMember(ISymbol member) => "threading member " + Q(member);

    // KML0012
    public const string IsTypeTest = "'is' type test";
    public const string IsPattern = "'is' pattern";
    public const string AsConversion = "'as' conversion";
    public const string SwitchExpression = "switch expression";
    public const string PatternCaseLabel = "pattern case label";
    public const string WhenClause = "'when' clause";
    public static string SwitchOn(ITypeSymbol type) => "switch on a value of type " + Q(type) + " (only integers, char and enums)";

    // KML0013
    public static string TupleType(ITypeSymbol type) => "tuple type " + Q(type);
    public const string TupleLiteral = "tuple literal";
    public const string Deconstruction = "deconstruction";

    // KML0014
    public static string NullableValueType(ITypeSymbol type) => "nullable value type " + Q(type);

    // KML0015
    public const string NullConditionalMember = "null-conditional operator '?.'";
    public const string NullConditionalElement = "null-conditional operator '?[]'";
    public const string NullCoalescing = "null-coalescing operator '??'";
    public const string NullCoalescingAssignment = "null-coalescing assignment '??='";

    // KML0016
    public const string CheckedExpression = "'checked' expression";
    public const string CheckedStatement = "'checked' statement";
    public const string CheckedProject = "checked arithmetic (the project sets CheckForOverflowUnderflow)";

    // KML0017
    public static string MultiDimensionalArrayType(ITypeSymbol type) => "multi-dimensional array type " + Q(type);
    public static string MultiDimensionalArrayCreation(ITypeSymbol type) => "multi-dimensional array creation " + Q(type);

    // KML0018
    public const string InterpolatedString = "interpolated string";

    // KML0019
    public const string ObjectType = "type 'object'";
    public static string ConcatenationWith(ITypeSymbol type) => "string concatenation with a value of type " + Q(type) + " (only strings, integers, char and bool)";

    // KML0020
    public const string GotoStatement = "'goto' statement";
    public static string Label(ISymbol label) => "label '" + label.Name + "'";

    // KML0021
    public static string LibraryType(ITypeSymbol type) => "library type " + Q(type);
    public static string LibraryMember(ISymbol member) => "library member " + Q(member);
    public static string Attribute(ITypeSymbol type) => "attribute " + Q(type);

    // KML0022
    public static string Record(ISymbol type) => "record " + Q(type);
    public static string StaticConstructor(ISymbol type) => "static constructor of " + Q(type);
    public static string Finalizer(ISymbol type) => "finalizer of " + Q(type);
    public static string UserDefinedOperator(ISymbol method) => "user-defined operator " + Q(method);
    public static string UserDefinedConversion(ISymbol method) => "user-defined conversion " + Q(method);
    public static string Indexer(ISymbol property) => "indexer " + Q(property);
    public static string ExtensionMethod(ISymbol method) => "extension method " + Q(method);
    public static string PrimaryConstructor(ISymbol type) => "primary constructor of " + Q(type);
    public static string PartialMethod(ISymbol method) => "partial method " + Q(method);
    public static string UnknownDeclaration(ISymbol symbol, string kind) => "declaration " + Q(symbol) + " of kind " + kind;

    // KML0023
    public const string ObjectInitializer = "object initializer";
    public const string CollectionInitializer = "collection initializer";
    public const string CollectionExpression = "collection expression";
    public const string WithExpression = "'with' expression";
    public const string AnonymousType = "anonymous type";

    // KML0024
    public const string IndexFromEnd = "index-from-end operator '^'";
    public const string Range = "range operator '..'";
    public const string IndexOrRangeAccess = "index or range access";
    public const string Utf8Literal = "UTF-8 string literal";
    public static string Keyword(string keyword) => "'" + keyword + "'";
    public static string VarargMethod(ISymbol method) => "'__arglist' method " + Q(method);
    public static string UnknownConstruct(string kind) => "construct '" + kind + "'";
#pragma warning restore CS1591
}
