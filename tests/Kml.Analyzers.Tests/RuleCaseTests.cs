using Kml.Analyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Shouldly;

namespace Kml.Analyzers.Tests;

/// <summary>
/// The rule cases in Cases/KMLxxxx.cs: each violating case must produce exactly the marked diagnostics (ID, span,
/// message) and nothing else; each accepted case must produce none at all.
/// </summary>
public sealed class RuleCaseTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.GetFiles(CaseFile.Directory, "KML*.cs").Order(StringComparer.Ordinal))
        {
            foreach (var c in CaseFile.Read(file))
            {
                data.Add(Path.GetFileName(file), c.Line);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rule_ReportsExactlyTheMarkedConstructs(string file, int line)
    {
        var c = CaseFile.Read(Path.Combine(CaseFile.Directory, file)).Single(x => x.Line == line);
        var markup = Markup.Parse(c.Text, Path.GetFileNameWithoutExtension(file));
        if (c.Accept)
        {
            markup.Spans.ShouldBeEmpty($"{c}: an accepted case has no markup");
        }
        markup.Spans.Count.ShouldBe(c.Messages.Count, $"{c}: one '// expect:' line per marked span");

        var diagnostics = await Analysis.RunAsync(Analysis.Compile(markup.Source, file, options: c.Options));

        var actual = diagnostics.Select(d => (d.Id, d.Location.SourceSpan, Message: d.GetMessage())).OrderBy(d => d.SourceSpan.Start).ThenBy(d => d.SourceSpan.End).ToList();
        var expected = markup.Spans.Zip(c.Messages, (s, m) => (s.Id, s.Span, Message: m)).ToList();
        if (!actual.SequenceEqual(expected))
        {
            var found = Markup.Render(markup.Source, actual.Select(a => (a.Id, a.SourceSpan)));
            var messages = string.Join("\n", actual.Select(a => $"// expect: {a.Message}   [{a.Id}]"));
            Assert.Fail($"{c}: the analyzers found\n{found}\n{messages}");
        }
    }
}
