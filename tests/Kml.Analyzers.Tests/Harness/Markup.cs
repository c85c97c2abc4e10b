using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Tests.Harness;

/// <summary>A span the test expects a diagnostic at: [|...|] for the case file's own rule, {|KML0005:...|} for another.</summary>
public sealed record ExpectedSpan(string Id, TextSpan Span);

/// <summary>Source text with the markup removed, and the spans it marked.</summary>
public sealed record Markup(string Source, IReadOnlyList<ExpectedSpan> Spans)
{
    /// <summary>Strips the markup; nested markup is allowed. Unbalanced markup is a broken test case.</summary>
    public static Markup Parse(string text, string defaultId)
    {
        var source = new System.Text.StringBuilder(text.Length);
        var open = new Stack<(string Id, int Start)>();
        var spans = new List<ExpectedSpan>();
        for (var i = 0; i < text.Length; i++)
        {
            // "[|" opens, except in "[|]" and "[|}" where the bar belongs to a closer (a span ending in '[').
            if (text[i] == '[' && At(text, i + 1, '|') && !At(text, i + 2, ']') && !At(text, i + 2, '}'))
            {
                open.Push((defaultId, source.Length));
                i++;
            }
            else if (text[i] == '{' && At(text, i + 1, '|') && text.IndexOf(':', i) is var colon and > 0)
            {
                open.Push((text[(i + 2)..colon], source.Length));
                i = colon;
            }
            else if (text[i] == '|' && (At(text, i + 1, ']') || At(text, i + 1, '}')))
            {
                if (open.Count == 0)
                {
                    throw new InvalidDataException($"markup closes at offset {i} without an opening");
                }
                var (id, start) = open.Pop();
                spans.Add(new ExpectedSpan(id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(text[i]);
            }
        }
        if (open.Count > 0)
        {
            throw new InvalidDataException("markup is not closed");
        }
        return new Markup(source.ToString(), spans.OrderBy(s => s.Span.Start).ThenBy(s => s.Span.End).ToList());
    }

    /// <summary>The source with diagnostics written back as markup, to show what the analyzers found.</summary>
    public static string Render(string source, IEnumerable<(string Id, TextSpan Span)> spans)
    {
        var inserts = new List<(int Position, int Order, string Text)>();
        foreach (var (id, span) in spans)
        {
            inserts.Add((span.Start, 1, "{|" + id + ":"));
            inserts.Add((span.End, 0, "|}"));
        }
        var result = source;
        foreach (var (position, _, text) in inserts.OrderByDescending(x => x.Position).ThenBy(x => x.Order))
        {
            result = result.Insert(position, text);
        }
        return result;
    }

    private static bool At(string text, int index, char c) => index < text.Length && text[index] == c;
}
