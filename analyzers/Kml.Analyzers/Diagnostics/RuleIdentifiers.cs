namespace Kml.Analyzers.Diagnostics;

/// <summary>
/// The IDs of the KML subset's rules, one per concept outside the subset. IDs are never reused or renumbered;
/// each has a page at <c>docs/rules/&lt;ID&gt;.md</c> and an entry in <c>AnalyzerReleases.*.md</c>.
/// </summary>
public static class RuleIdentifiers
{
    /// <summary>float, double, decimal: types, literals.</summary>
    public const string FloatingPoint = "KML0001";
    /// <summary>try, catch, finally, throw, using; exception types.</summary>
    public const string Exceptions = "KML0002";
    /// <summary>Generic declarations and uses of generic library types and methods.</summary>
    public const string Generics = "KML0003";
    /// <summary>Base classes, interfaces, virtual/abstract/override/sealed members, abstract classes.</summary>
    public const string Inheritance = "KML0004";
    /// <summary>Delegates, lambdas, anonymous methods, local functions, method groups, events.</summary>
    public const string Delegates = "KML0005";
    /// <summary>ref/out/in parameters, ref locals, ref returns, ref structs and fields, scoped.</summary>
    public const string RefKinds = "KML0006";
    /// <summary>Query expressions and System.Linq.</summary>
    public const string Linq = "KML0007";
    /// <summary>unsafe, pointers, function pointers, fixed, stackalloc, extern, nint/nuint.</summary>
    public const string Unsafe = "KML0008";
    /// <summary>async, await, yield, System.Threading.Tasks, foreach over anything but arrays and strings.</summary>
    public const string AsyncAndIterators = "KML0009";
    /// <summary>typeof, dynamic, System.Reflection, System.Type, GetType().</summary>
    public const string Reflection = "KML0010";
    /// <summary>lock, volatile, System.Threading.</summary>
    public const string Threads = "KML0011";
    /// <summary>is, as, patterns, switch expressions, pattern case labels, switch on other types.</summary>
    public const string Patterns = "KML0012";
    /// <summary>Tuple types and literals, deconstruction.</summary>
    public const string Tuples = "KML0013";
    /// <summary>Nullable value types (int?, Nullable&lt;T&gt;).</summary>
    public const string NullableValueTypes = "KML0014";
    /// <summary>?., ?[], ??, ??=.</summary>
    public const string NullOperators = "KML0015";
    /// <summary>checked expressions and statements, CheckForOverflowUnderflow.</summary>
    public const string CheckedArithmetic = "KML0016";
    /// <summary>Multi-dimensional (rectangular) arrays.</summary>
    public const string MultiDimensionalArrays = "KML0017";
    /// <summary>Interpolated strings.</summary>
    public const string StringInterpolation = "KML0018";
    /// <summary>The object type and string concatenation that would box.</summary>
    public const string ObjectAndBoxing = "KML0019";
    /// <summary>goto and labels.</summary>
    public const string Goto = "KML0020";
    /// <summary>Library types, members and attributes outside the allowed surface.</summary>
    public const string LibrarySurface = "KML0021";
    /// <summary>Records, static constructors, finalizers, operators, indexers, extension methods, primary constructors, partial methods.</summary>
    public const string Declarations = "KML0022";
    /// <summary>Object and collection initializers, collection expressions, with, anonymous types.</summary>
    public const string Initializers = "KML0023";
    /// <summary>Everything else: index and range operators, UTF-8 literals, __makeref, constructs the rules do not know.</summary>
    public const string OtherConstructs = "KML0024";
}
