using System.Runtime.CompilerServices;

namespace Kml.Compiler.Tests.Harness;

/// <summary>
/// A program of the differential corpus: one file in Programs/ (or a directory of files for a program of several
/// files), with optional directives in its leading comment lines:
/// <c>// native-exit: N reason</c> (what the native runner gives instead of CoreCLR's status, and why);
/// <c>// native: no (reason)</c> (the native runner cannot run it at all; the emulated kernel runs it in both rings);
/// <c>// exit: N reason</c> (the status the program means to end with, when it is not 0; Error* programs end with 134);
/// <c>// args: a "b c" ""</c> (the command-line arguments every runner passes: separated by spaces, double quotes
/// around one with spaces or an empty one).
/// </summary>
public sealed record CorpusProgram(string Name, IReadOnlyList<string> Files)
{
    /// <summary>The test project's source directory (this file is in its Harness folder).</summary>
    public static string SourceDirectory() => Path.GetDirectoryName(Path.GetDirectoryName(ThisFile())!)!;

    private static string ThisFile([CallerFilePath] string here = "") => here;

    public static string ProgramsDirectory => Path.Combine(SourceDirectory(), "Programs");

    public static IEnumerable<CorpusProgram> All()
    {
        foreach (var f in Directory.GetFiles(ProgramsDirectory, "*.cs").Order(StringComparer.Ordinal))
            yield return new CorpusProgram(Path.GetFileNameWithoutExtension(f), [f]);
        foreach (var d in Directory.GetDirectories(ProgramsDirectory).Order(StringComparer.Ordinal))
            yield return new CorpusProgram(Path.GetFileName(d), [.. Directory.GetFiles(d, "*.cs").Order(StringComparer.Ordinal)]);
        // The analyzers' whole programs (with their recorded CoreCLR output) belong to the corpus too.
        var analyzers = Path.Combine(Path.GetDirectoryName(SourceDirectory())!, "Kml.Analyzers.Tests", "Cases", "Programs");
        foreach (var f in Directory.GetFiles(analyzers, "*.cs").Order(StringComparer.Ordinal))
            yield return new CorpusProgram("Analyzers." + Path.GetFileNameWithoutExtension(f), [f]);
    }

    public static CorpusProgram Named(string name) => All().Single(p => p.Name == name);

    public IReadOnlyList<(string Path, string Text)> Sources => [.. Files.Select(f => (f, File.ReadAllText(f)))];

    /// <summary>A directive's value (<c>// name: value</c> in the first file's leading comments), or null.</summary>
    public string? Directive(string name)
    {
        foreach (var line in File.ReadLines(Files[0]))
        {
            if (!line.StartsWith("//", StringComparison.Ordinal)) break;
            var text = line[2..].Trim();
            if (text.StartsWith(name + ":", StringComparison.Ordinal)) return text[(name.Length + 1)..].Trim();
        }
        return null;
    }

    /// <summary>The program's command-line arguments (the <c>// args:</c> directive), none without it.</summary>
    public IReadOnlyList<string> Arguments => Directive("args") is { } line ? SplitArguments(line) : [];

    private IReadOnlyList<string> SplitArguments(string line)
    {
        var list = new List<string>();
        int i = 0;
        while (i < line.Length)
        {
            if (line[i] == ' ') { i++; continue; }
            if (line[i] == '"')
            {
                int end = line.IndexOf('"', i + 1);
                if (end < 0) throw new InvalidDataException($"{Files[0]}: // args: an unclosed quote at column {i + 1}");
                list.Add(line[(i + 1)..end]);
                i = end + 1;
                continue;
            }
            int next = line.IndexOf(' ', i);
            if (next < 0) next = line.Length;
            list.Add(line[i..next]);
            i = next;
        }
        return list;
    }

    public override string ToString() => Name;
}
