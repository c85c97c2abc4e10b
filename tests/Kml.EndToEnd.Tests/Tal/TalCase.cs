using System.Text;

namespace Kml.EndToEnd.Tests.Tal;

/// <summary>
/// One block of a TAL case file: a name, a TAL program, and what must happen (<c>--- key: value</c> lines).
/// <code>
/// === name
/// ...TAL source...
/// --- exit: 134
/// --- stderr: Unhandled exception. System.NullReferenceException
/// </code>
/// Blocks start with <c>=== </c>; lines starting with <c>#</c> before the first block are comments.
/// </summary>
public sealed record TalCase(string File, int Line, string Name, string Source, IReadOnlyDictionary<string, string> Expect)
{
    /// <summary>An expectation, or null.</summary>
    public string? Get(string key) => Expect.TryGetValue(key, out var v) ? v : null;

    /// <summary>"file:line: name": what a failing theory row shows.</summary>
    public override string ToString() => $"{File}:{Line}: {Name}";

    /// <summary>The blocks of <c>Tal/Cases/<paramref name="name"/></c>.</summary>
    public static IEnumerable<TalCase> Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Tal", "Cases", name);
        var lines = System.IO.File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("=== ", StringComparison.Ordinal)) continue;
            int start = i + 1;
            string caseName = lines[i][4..].Trim();
            var source = new StringBuilder();
            var expect = new Dictionary<string, string>(StringComparer.Ordinal);
            int j = start;
            for (; j < lines.Length && !lines[j].StartsWith("=== ", StringComparison.Ordinal); j++)
            {
                if (lines[j].StartsWith("--- ", StringComparison.Ordinal))
                {
                    int colon = lines[j].IndexOf(':');
                    if (colon < 0) throw new FormatException($"{name}:{j + 1}: expected '--- key: value'");
                    expect[lines[j][4..colon].Trim()] = lines[j][(colon + 1)..].Trim();
                }
                else if (expect.Count == 0) source.AppendLine(lines[j]);
            }
            yield return new TalCase(name, i + 1, caseName, source.ToString(), expect);
            i = j - 1;
        }
    }

    /// <summary>xunit rows: one per case.</summary>
    public static IEnumerable<object[]> Rows(string name) => Load(name).Select(c => new object[] { c });
}
