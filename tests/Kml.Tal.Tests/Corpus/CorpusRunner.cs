using Kml.Tal.Assembler;
using Kml.Tal.Assembler.Syntax;
using Kml.Tal.Checker;

namespace Kml.Tal.Tests.Corpus;

/// <summary>Runs corpus cases: assemble, write and re-read the ELF, check, compare the verdict and messages.</summary>
public static class CorpusRunner
{
    private static readonly object BlessLock = new();

    public static IEnumerable<object[]> Cases(string file) => CorpusFile.Load(file).Select(c => new object[] { c });

    public static void Run(CorpusCase c)
    {
        var actual = Outcome(c, out var verdict);
        if (Environment.GetEnvironmentVariable("KML_BLESS") == "1" && c.Verdict != Verdict.Accept && verdict == c.Verdict)
        {
            lock (BlessLock) CorpusFile.Bless(c.File, c.Name, actual);
            return;
        }
        if (verdict != c.Verdict)
            Assert.Fail($"{c}: expected {c.Verdict}, found {verdict}:{Environment.NewLine}{string.Join(Environment.NewLine, actual)}");
        if (c.Verdict != Verdict.Accept)
            Assert.Equal(string.Join("\n", c.Expected), string.Join("\n", actual));
    }

    /// <summary>The messages of a case and its verdict.</summary>
    public static IReadOnlyList<string> Outcome(CorpusCase c, out Verdict verdict)
    {
        byte[] elf;
        try { elf = TalAssembler.AssembleToElf(c.Source, "case.tal"); }
        catch (AssemblyException e)
        {
            verdict = Verdict.AsmError;
            return e.Diagnostics.Select(d => d.ToString()).ToList();
        }
        var result = TalChecker.Check(elf);
        verdict = result.Accepted ? Verdict.Accept : Verdict.Reject;
        return result.Diagnostics.Select(d => d.ToString()).ToList();
    }
}
