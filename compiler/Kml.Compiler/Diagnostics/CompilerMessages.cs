namespace Kml.Compiler.Diagnostics;

/// <summary>
/// Every message of the compiler itself, in one place (the subset's rules have their own, in Kml.Analyzers).
/// Compiler diagnostics have IDs KML1xxx and print in MSBuild's format, like the rules.
/// </summary>
public static class CompilerMessages
{
    // KML1001 (a Kml API member whose kernel entry point the typed kernel interface lacked) is retired: every member
    // of the Kml API now has its entry.

    /// <summary>A construct the rules accept but this compiler does not implement.</summary>
    public const string UnsupportedId = "KML1002";

    /// <summary>A C# compile error (the program is not valid C#).</summary>
    public const string CSharpErrorPrefix = "CS";

    /// <summary>The program has no entry point.</summary>
    public const string NoEntryPointId = "KML1003";

    /// <summary>The checker rejected what the compiler emitted: a compiler bug.</summary>
    public const string CheckerRejectedId = "KML1004";

    /// <summary>"... is not supported by the KML compiler v1".</summary>
    public static string Unsupported(string construct) => $"{construct} is not supported by the KML compiler v1";

    /// <summary>No Main.</summary>
    public const string NoEntryPoint = "the program has no entry point (a static Main or top-level statements)";

    /// <summary>The checker's verdict on the compiler's output.</summary>
    public static string CheckerRejected(string detail) => $"internal compiler error: the TAL checker rejected the generated code: {detail}";
}
