using Microsoft.CodeAnalysis;

namespace Kml.Analyzers.Diagnostics;

/// <summary>
/// Every descriptor of the KML rules, in one place. All messages read "&lt;construct&gt; is not in the KML
/// subset", where the construct phrase comes from <see cref="Constructs"/>. The rules are errors that cannot be
/// reconfigured, because the KML compiler runs exactly these rules and the IDE must never disagree with it.
/// </summary>
public static class DiagnosticDescriptors
{
    /// <summary>Where the rule pages live; the help link of a rule is this plus "&lt;ID&gt;.md".</summary>
    public const string HelpLinkBase = "docs/rules/";

    private const string MessageFormat = "{0} is not in the KML subset";

    /// <summary>KML0001.</summary>
    public static readonly DiagnosticDescriptor FloatingPoint = Create(RuleIdentifiers.FloatingPoint, "Floating-point types are not in the KML subset", Categories.Types,
        "float, double and decimal (and System.Half) have no IA-32 code generation in KML v1: there is no x87/SSE support. Use integer types, for example fixed-point arithmetic on long.");

    /// <summary>KML0002.</summary>
    public static readonly DiagnosticDescriptor Exceptions = Create(RuleIdentifiers.Exceptions, "Exceptions are not in the KML subset", Categories.Statements,
        "KML v1 has no exception handling: try, catch, finally, throw, using and exception types are rejected. Report failures through return values; run-time errors end the program with exit code 134.");

    /// <summary>KML0003.</summary>
    public static readonly DiagnosticDescriptor Generics = Create(RuleIdentifiers.Generics, "Generics are not in the KML subset", Categories.Types,
        "KML v1 compiles no generic types or methods, neither declared in the program nor taken from the library (List<T>, Span<T>, ...). Use arrays and concrete types.");

    /// <summary>KML0004.</summary>
    public static readonly DiagnosticDescriptor Inheritance = Create(RuleIdentifiers.Inheritance, "Inheritance and interfaces are not in the KML subset", Categories.Declarations,
        "Classes in KML v1 have no base class other than object and implement no interfaces; there are no virtual, abstract, override or sealed members. Use composition and plain methods.");

    /// <summary>KML0005.</summary>
    public static readonly DiagnosticDescriptor Delegates = Create(RuleIdentifiers.Delegates, "Delegates and lambdas are not in the KML subset", Categories.Expressions,
        "KML v1 has no delegates: lambdas, anonymous methods, local functions, method group conversions, delegate types and events are rejected. Use ordinary (static) methods.");

    /// <summary>KML0006.</summary>
    public static readonly DiagnosticDescriptor RefKinds = Create(RuleIdentifiers.RefKinds, "ref, out and in are not in the KML subset", Categories.Declarations,
        "KML v1 passes and returns everything by value: ref/out/in parameters, ref locals, ref returns, ref structs, ref fields and scoped are rejected. Return a value, or pass a class instance or an array to be filled.");

    /// <summary>KML0007.</summary>
    public static readonly DiagnosticDescriptor Linq = Create(RuleIdentifiers.Linq, "LINQ is not in the KML subset", Categories.Library,
        "Query expressions and System.Linq need generics, delegates and iterators, none of which KML v1 has. Write the loop.");

    /// <summary>KML0008.</summary>
    public static readonly DiagnosticDescriptor Unsafe = Create(RuleIdentifiers.Unsafe, "Unsafe code and native interop are not in the KML subset", Categories.Types,
        "The TAL checker must prove every memory access safe, so pointers, function pointers, unsafe, fixed, stackalloc, extern methods and native-sized integers are rejected. Use arrays and int/long.");

    /// <summary>KML0009.</summary>
    public static readonly DiagnosticDescriptor AsyncAndIterators = Create(RuleIdentifiers.AsyncAndIterators, "Async methods and iterators are not in the KML subset", Categories.Statements,
        "KML v1 has no state machines: async, await, yield, tasks and foreach over anything but arrays and strings are rejected. Use loops over arrays and blocking Kml calls.");

    /// <summary>KML0010.</summary>
    public static readonly DiagnosticDescriptor Reflection = Create(RuleIdentifiers.Reflection, "Reflection and dynamic are not in the KML subset", Categories.Library,
        "KML programs carry no run-time type information: typeof, GetType(), System.Reflection, System.Type and dynamic are rejected.");

    /// <summary>KML0011.</summary>
    public static readonly DiagnosticDescriptor Threads = Create(RuleIdentifiers.Threads, "Threads and locks are not in the KML subset", Categories.Library,
        "A KML process has one thread: lock, volatile and System.Threading are rejected.");

    /// <summary>KML0012.</summary>
    public static readonly DiagnosticDescriptor Patterns = Create(RuleIdentifiers.Patterns, "Type tests and pattern matching are not in the KML subset", Categories.Expressions,
        "KML v1 has no run-time type tests or patterns: is, as, switch expressions, pattern and when case labels, and switch statements on anything but integers, char and enums are rejected. Use ==, if and switch with constant case labels.");

    /// <summary>KML0013.</summary>
    public static readonly DiagnosticDescriptor Tuples = Create(RuleIdentifiers.Tuples, "Tuples are not in the KML subset", Categories.Types,
        "Tuples are generic ValueTuple structs: tuple types, tuple literals and deconstruction are rejected. Declare a struct with named fields.");

    /// <summary>KML0014.</summary>
    public static readonly DiagnosticDescriptor NullableValueTypes = Create(RuleIdentifiers.NullableValueTypes, "Nullable value types are not in the KML subset", Categories.Types,
        "int? is the generic struct Nullable<int>, and its lifted operators box and compare flags: rejected in KML v1. Use a separate bool, or a sentinel value. Nullable annotations on reference types (string?) are fine.");

    /// <summary>KML0015.</summary>
    public static readonly DiagnosticDescriptor NullOperators = Create(RuleIdentifiers.NullOperators, "Null-conditional and null-coalescing operators are not in the KML subset", Categories.Expressions,
        "?., ?[], ?? and ??= are rejected in KML v1 (?. on a value member yields a nullable value type). Test for null with == and ?: or if.");

    /// <summary>KML0016.</summary>
    public static readonly DiagnosticDescriptor CheckedArithmetic = Create(RuleIdentifiers.CheckedArithmetic, "Checked arithmetic is not in the KML subset", Categories.Expressions,
        "KML arithmetic is C#'s unchecked arithmetic: overflow wraps. checked expressions and statements, and projects that set CheckForOverflowUnderflow, are rejected.");

    /// <summary>KML0017.</summary>
    public static readonly DiagnosticDescriptor MultiDimensionalArrays = Create(RuleIdentifiers.MultiDimensionalArrays, "Multi-dimensional arrays are not in the KML subset", Categories.Types,
        "KML v1 arrays are single-dimensional. Use a jagged array (int[][]) or index a single array with row * width + column.");

    /// <summary>KML0018.</summary>
    public static readonly DiagnosticDescriptor StringInterpolation = Create(RuleIdentifiers.StringInterpolation, "String interpolation is not in the KML subset", Categories.Expressions,
        "Interpolated strings go through format handlers, alignment and format strings: rejected in KML v1. Concatenate with + (strings, integers, char and bool).");

    /// <summary>KML0019.</summary>
    public static readonly DiagnosticDescriptor ObjectAndBoxing = Create(RuleIdentifiers.ObjectAndBoxing, "object and boxing are not in the KML subset", Categories.Types,
        "KML v1 has no boxed values and no virtual object methods: the type object, and string concatenation with values other than strings, integers, char and bool, are rejected.");

    /// <summary>KML0020.</summary>
    public static readonly DiagnosticDescriptor Goto = Create(RuleIdentifiers.Goto, "goto is not in the KML subset", Categories.Statements,
        "goto and labels are rejected: use loops with break and continue.");

    /// <summary>KML0021.</summary>
    public static readonly DiagnosticDescriptor LibrarySurface = Create(RuleIdentifiers.LibrarySurface, "Library member outside the KML surface", Categories.Library,
        "Only a small part of the .NET library exists in KML: Console.Write/WriteLine, a few string members, ToString and int.Parse, Math.Min/Max/Abs on integers, array Length, integer MinValue/MaxValue, and everything in the Kml namespace. Everything else is rejected.");

    /// <summary>KML0022.</summary>
    public static readonly DiagnosticDescriptor Declarations = Create(RuleIdentifiers.Declarations, "Declaration outside the KML subset", Categories.Declarations,
        "KML v1 declarations are classes, structs and enums with fields, constructors, methods and properties. Records, static constructors, finalizers, operators, conversions, indexers, extension methods, primary constructors and partial methods are rejected.");

    /// <summary>KML0023.</summary>
    public static readonly DiagnosticDescriptor Initializers = Create(RuleIdentifiers.Initializers, "Initializers are not in the KML subset", Categories.Expressions,
        "Object and collection initializers, collection expressions, with expressions and anonymous types are rejected in KML v1. Assign the fields after construction; create arrays with new T[] { ... }.");

    /// <summary>KML0024.</summary>
    public static readonly DiagnosticDescriptor OtherConstructs = Create(RuleIdentifiers.OtherConstructs, "Construct outside the KML subset", Categories.Expressions,
        "A construct that no other rule covers and that KML v1 does not compile: index and range operators (^1, a..b), UTF-8 string literals, __makeref and its kin, and any construct newer than the rules.");

    /// <summary>All descriptors, in ID order.</summary>
    public static readonly System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> All = System.Collections.Immutable.ImmutableArray.Create(
        FloatingPoint, Exceptions, Generics, Inheritance, Delegates, RefKinds, Linq, Unsafe, AsyncAndIterators, Reflection, Threads, Patterns,
        Tuples, NullableValueTypes, NullOperators, CheckedArithmetic, MultiDimensionalArrays, StringInterpolation, ObjectAndBoxing, Goto,
        LibrarySurface, Declarations, Initializers, OtherConstructs);

    private static DiagnosticDescriptor Create(string id, string title, string category, string description) =>
        new(id, title, MessageFormat, category, DiagnosticSeverity.Error, isEnabledByDefault: true, description,
            helpLinkUri: HelpLinkBase + id + ".md", WellKnownDiagnosticTags.NotConfigurable);

    /// <summary>The categories the rules are grouped in.</summary>
    public static class Categories
    {
        /// <summary>Types outside the subset.</summary>
        public const string Types = "KML.Types";
        /// <summary>Statements outside the subset.</summary>
        public const string Statements = "KML.Statements";
        /// <summary>Expressions outside the subset.</summary>
        public const string Expressions = "KML.Expressions";
        /// <summary>Declarations outside the subset.</summary>
        public const string Declarations = "KML.Declarations";
        /// <summary>Library surface outside the subset.</summary>
        public const string Library = "KML.Library";
    }
}
