namespace Kml.Analyzers.Tests.Harness;

/// <summary>
/// One case of a case file. A case starts at a line "// case: name" (code outside the subset, with markup) or
/// "// accept: name" (code inside the subset: no diagnostic at all) and runs to the next such line. Inside it,
/// "// expect: message" lines list the expected messages in the order of the marked spans, and "// options: ..."
/// sets compilation options (checked, unsafe).
/// </summary>
public sealed record Case(string File, int Line, string Name, bool Accept, string Text, IReadOnlyList<string> Messages, IReadOnlySet<string> Options)
{
    public override string ToString() => $"{System.IO.Path.GetFileName(File)}:{Line} {Name}";
}

public static class CaseFile
{
    public static string Directory => System.IO.Path.Combine(AppContext.BaseDirectory, "Cases");

    public static IReadOnlyList<Case> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var cases = new List<Case>();
        var start = -1;
        for (var i = 0; i <= lines.Length; i++)
        {
            if (i == lines.Length || Header(lines[i]) is not null)
            {
                if (start >= 0)
                {
                    cases.Add(Build(path, lines, start, i));
                }
                start = i;
            }
        }
        return cases;
    }

    private static (bool Accept, string Name)? Header(string line)
    {
        var t = line.Trim();
        return t.StartsWith("// case:", StringComparison.Ordinal) ? (false, t[8..].Trim())
            : t.StartsWith("// accept:", StringComparison.Ordinal) ? (true, t[10..].Trim())
            : null;
    }

    private static Case Build(string path, string[] lines, int start, int end)
    {
        var (accept, name) = Header(lines[start])!.Value;
        var messages = new List<string>();
        var options = new HashSet<string>(StringComparer.Ordinal);
        var body = new List<string>();
        for (var i = start + 1; i < end; i++)
        {
            var t = lines[i].Trim();
            if (t.StartsWith("// expect:", StringComparison.Ordinal))
            {
                messages.Add(t[10..].Trim());
            }
            else if (t.IndexOf("// options:", StringComparison.Ordinal) is var at and >= 0)
            {
                // Markup may precede it (a diagnostic at the very start of the file).
                options.UnionWith(t[(at + 11)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            body.Add(lines[i]);
        }
        return new Case(path, start + 1, name, accept, string.Join("\n", body), messages, options);
    }
}
