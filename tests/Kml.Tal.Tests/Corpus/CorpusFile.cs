using System.Runtime.CompilerServices;
using System.Text;

namespace Kml.Tal.Tests.Corpus;

/// <summary>
/// Reads a corpus file. Format (PREVAIL-style, one block per case):
/// <code>
/// # comment
/// %prelude            (optional: lines prepended to every case of the file, until %end)
/// %end
/// === case name
/// TAL source lines
/// --- accept | --- reject | --- asm-error
/// expected message lines (reject / asm-error)
/// </code>
/// With KML_BLESS=1 the tests rewrite the expected lines of rejections from the checker's output
/// (review the diff before committing it).
/// </summary>
public static class CorpusFile
{
    public static string Directory([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here)!)!, "Cases");

    public static IReadOnlyList<CorpusCase> Load(string file)
    {
        var path = Path.Combine(Directory(), file);
        var lines = File.ReadAllLines(path);
        var prelude = new StringBuilder();
        var cases = new List<CorpusCase>();
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i];
            if (line.StartsWith("%prelude", StringComparison.Ordinal))
            {
                i++;
                while (i < lines.Length && !lines[i].StartsWith("%end", StringComparison.Ordinal)) prelude.AppendLine(lines[i++]);
                i++;
                continue;
            }
            if (!line.StartsWith("=== ", StringComparison.Ordinal)) { i++; continue; }
            var name = line[4..].Trim();
            var start = i + 1;
            var source = new StringBuilder(prelude.ToString());
            i++;
            while (i < lines.Length && !lines[i].StartsWith("--- ", StringComparison.Ordinal)) source.AppendLine(lines[i++]);
            if (i >= lines.Length) throw new InvalidDataException($"{file}:{start}: case '{name}' has no '--- verdict' line");
            var verdict = lines[i][4..].Trim() switch
            {
                "accept" => Verdict.Accept,
                "reject" => Verdict.Reject,
                "asm-error" => Verdict.AsmError,
                var v => throw new InvalidDataException($"{file}:{i + 1}: unknown verdict '{v}'"),
            };
            i++;
            var expected = new List<string>();
            while (i < lines.Length && !lines[i].StartsWith("=== ", StringComparison.Ordinal))
            {
                var e = lines[i++];
                if (e.Length > 0 && !e.StartsWith('#')) expected.Add(e);
            }
            cases.Add(new CorpusCase(file, start, name, source.ToString(), verdict, expected));
        }
        return cases;
    }

    /// <summary>Rewrites the expected messages of the named cases (bless mode).</summary>
    public static void Bless(string file, string caseName, IReadOnlyList<string> actual)
    {
        var path = Path.Combine(Directory(), file);
        var lines = File.ReadAllLines(path).ToList();
        var output = new List<string>();
        var i = 0;
        var currentCase = "";
        while (i < lines.Count)
        {
            var line = lines[i];
            if (line.StartsWith("=== ", StringComparison.Ordinal)) currentCase = line[4..].Trim();
            output.Add(line);
            i++;
            if (line.StartsWith("--- reject", StringComparison.Ordinal) || line.StartsWith("--- asm-error", StringComparison.Ordinal))
            {
                if (currentCase == caseName)
                {
                    while (i < lines.Count && !lines[i].StartsWith("=== ", StringComparison.Ordinal) && !lines[i].StartsWith('#') && lines[i].Length > 0) i++;
                    output.AddRange(actual);
                }
            }
        }
        File.WriteAllLines(path, output);
    }
}
