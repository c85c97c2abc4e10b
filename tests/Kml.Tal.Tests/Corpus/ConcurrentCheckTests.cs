using Kml.Tal.Assembler;
using Kml.Tal.Checker;

namespace Kml.Tal.Tests.Corpus;

/// <summary>The checker is used from several threads at once (tests, the fuzzer, a kernel per thread): its messages must
/// not depend on what other checkers do meanwhile.</summary>
public sealed class ConcurrentCheckTests
{
    [Fact]
    public void Checker_GivesTheSameMessages_WhenCheckersRunOnManyThreadsAtOnce()
    {
        // Every rejected case of two corpus files, checked once alone, then 200 times over on all cores at once.
        var elves = new[] { "conditions.txt", "pointers.txt" }
            .SelectMany(CorpusFile.Load)
            .Where(c => c.Verdict == Verdict.Reject)
            .Select(c => TalAssembler.AssembleToElf(c.Source, "case.tal"))
            .ToArray();
        Assert.NotEmpty(elves);
        string Messages(byte[] elf) => string.Join("\n", TalChecker.Check(elf).Diagnostics.Select(d => d.ToString()));
        var expected = elves.Select(Messages).ToArray();
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, elves.Length * 200, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount) }, i =>
        {
            int k = i % elves.Length;
            string actual = Messages(elves[k]);
            if (actual != expected[k]) mismatches.Add($"case {k}: {actual}");
        });
        Assert.Empty(mismatches);
    }
}
