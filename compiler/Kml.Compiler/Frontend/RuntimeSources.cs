using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kml.Compiler;

/// <summary>
/// The runtime compiled to TAL with every program, embedded in this assembly: the routines written in the subset
/// (runtime/Kml.Runtime/Subset, shared with the host runtime) and the TAL side of the Kml API (Runtime/ here),
/// whose public members have the same signatures as the host implementation's.
/// </summary>
public static class RuntimeSources
{
    /// <summary>The path prefix of runtime files in messages and the line map.</summary>
    public const string PathPrefix = "kml-runtime/";

    private static readonly Lazy<IReadOnlyList<(string Path, string Text)>> Files = new(Load);

    /// <summary>The runtime's files: (path, text).</summary>
    public static IReadOnlyList<(string Path, string Text)> All => Files.Value;

    /// <summary>The runtime's files parsed with the given options.</summary>
    public static IEnumerable<SyntaxTree> Parse(CSharpParseOptions options) =>
        All.Select(f => CSharpSyntaxTree.ParseText(f.Text, options, f.Path, System.Text.Encoding.UTF8));

    private static IReadOnlyList<(string, string)> Load()
    {
        var assembly = typeof(RuntimeSources).Assembly;
        var list = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(PathPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            list.Add((name, reader.ReadToEnd()));
        }
        return list;
    }
}
