global using Xunit;

namespace Kml.Tal.Tests.Corpus;

/// <summary>The expected outcome of a corpus case.</summary>
public enum Verdict { Accept, Reject, AsmError }

/// <summary>
/// One checker case from a file under Cases/: a name, TAL source, the verdict, and for rejections the
/// exact messages ("location: rule: detail", one per line, in order).
/// </summary>
public sealed record CorpusCase(string File, int Line, string Name, string Source, Verdict Verdict, IReadOnlyList<string> Expected)
{
    /// <summary>xunit shows this, so a failure names the file, line and case.</summary>
    public override string ToString() => $"{File}:{Line} {Name}";
}
