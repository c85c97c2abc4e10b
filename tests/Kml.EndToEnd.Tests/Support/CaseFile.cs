using System.Text;

namespace Kml.EndToEnd.Tests.Support;

/// <summary>One case of a data file: where it is, and its words (after shell-like quoting).</summary>
public sealed record Case(string File, int Line, string Kind, IReadOnlyList<string> Words, string Text)
{
    public override string ToString() => $"{File}:{Line}: {Text}";
}

/// <summary>
/// Reads case files: one case per line, <c>#</c> comments, an optional <c>kind:</c> prefix, and words split like a
/// shell does (single quotes keep everything, double quotes keep spaces, backslash escapes one character).
/// </summary>
public static class CaseFile
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Cases");

    public static IEnumerable<Case> Load(string name)
    {
        string path = Path.Combine(Directory, name);
        int line = 0;
        foreach (string raw in System.IO.File.ReadLines(path))
        {
            line++;
            string text = raw.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            string kind = "run";
            int colon = text.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && text[..colon].All(char.IsLetter))
            {
                kind = text[..colon];
                text = text[(colon + 2)..];
            }
            yield return new Case(name, line, kind, Split(text), text);
        }
    }

    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                if (end < 0) throw new FormatException($"unterminated ' in: {text}");
                current.Append(text, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '"')
            {
                int j = i + 1;
                for (; j < text.Length && text[j] != '"'; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length && text[j + 1] is '"' or '\\') j++;
                    current.Append(text[j]);
                }
                if (j >= text.Length) throw new FormatException($"unterminated \" in: {text}");
                i = j;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
