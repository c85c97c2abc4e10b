using System.Diagnostics;
using Kml.Tal.Checker;
using Kml.Tal.Elf;

namespace Kml.Tal.Fuzz;

/// <summary>Where a mutant's bits were flipped.</summary>
public enum Region { Code, Annotations }

/// <summary>One mutant: which seed program, which region, which bits (byte offset × 8 + bit), and the verdicts.</summary>
public sealed record Mutant(string Seed, Region Region, int[] Bits, bool Accepted, string? FirstDiagnostic, OracleVerdict Oracle, string OracleDetail)
{
    /// <summary>The mutant's object file.</summary>
    public byte[] Elf { get; init; } = [];
}

/// <summary>Totals of a fuzzing run.</summary>
public sealed class FuzzSummary
{
    public long Mutants, Accepted, Rejected, Crashes, Hangs, Violations, Ran, Timeouts;
    public long AcceptedCode, AcceptedAnnotations, MutantsCode, MutantsAnnotations;
    public TimeSpan Elapsed;
    public List<string> CrashDetails { get; } = [];
}

/// <summary>
/// Mutation fuzzing of the checker: takes accepted programs, flips 1 to 4 random bits in .text or in
/// .kml.tal, and runs the checker on every mutant. The checker must never throw or hang on them;
/// every accepted mutant goes to the oracle (the emulator with a safety monitor, once it exists).
/// </summary>
public sealed class MutationFuzzer(IReadOnlyList<(string Name, TalObject Object)> seeds, IMutantOracle oracle, int randomSeed)
{
    /// <summary>Builds the object of a mutant: <paramref name="bits"/> flipped in one region of <paramref name="obj"/>.</summary>
    public static TalObject Mutate(TalObject obj, Region region, IEnumerable<int> bits)
    {
        var bytes = (byte[])(region == Region.Code ? obj.Text.Bytes : obj.Annotations).Clone();
        foreach (var bit in bits) bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        return region == Region.Code
            ? new TalObject { Text = new TalSection(obj.Text.Address, bytes), RoData = obj.RoData, Imports = obj.Imports, Data = obj.Data, Entry = obj.Entry, Annotations = obj.Annotations }
            : new TalObject { Text = obj.Text, RoData = obj.RoData, Imports = obj.Imports, Data = obj.Data, Entry = obj.Entry, Annotations = bytes };
    }

    /// <summary>A check slower than this counts as a hang.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(2);

    private readonly Random _random = new(randomSeed);

    public FuzzSummary Run(long count, Action<Mutant>? onAccepted = null, Action<long>? progress = null) => Run(count, onAccepted, progress, CancellationToken.None);

    /// <summary>Runs <paramref name="count"/> mutants (fewer if cancelled).</summary>
    public FuzzSummary Run(long count, Action<Mutant>? onAccepted, Action<long>? progress, CancellationToken cancel)
    {
        var summary = new FuzzSummary();
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < count && !cancel.IsCancellationRequested; i++)
        {
            if ((i & 0x3FF) == 0) progress?.Invoke(i);
            var (name, obj) = seeds[_random.Next(seeds.Count)];
            var region = _random.Next(2) == 0 ? Region.Code : Region.Annotations;
            var original = region == Region.Code ? obj.Text.Bytes : obj.Annotations;
            if (original.Length == 0) { i--; continue; }
            var bytes = (byte[])original.Clone();
            var bits = new int[1 + _random.Next(4)];
            for (var b = 0; b < bits.Length; b++)
            {
                bits[b] = _random.Next(bytes.Length * 8);
                bytes[bits[b] / 8] ^= (byte)(1 << (bits[b] % 8));
            }
            var mutant = region == Region.Code
                ? new TalObject { Text = new TalSection(obj.Text.Address, bytes), RoData = obj.RoData, Imports = obj.Imports, Data = obj.Data, Entry = obj.Entry, Annotations = obj.Annotations }
                : new TalObject { Text = obj.Text, RoData = obj.RoData, Imports = obj.Imports, Data = obj.Data, Entry = obj.Entry, Annotations = bytes };
            var elf = ElfWriter.Write(mutant);
            summary.Mutants++;
            if (region == Region.Code) summary.MutantsCode++; else summary.MutantsAnnotations++;

            CheckResult? result = null;
            var started = clock.Elapsed;
            try { result = TalChecker.Check(elf); }
            catch (Exception e)
            {
                summary.Crashes++;
                if (summary.CrashDetails.Count < 20) summary.CrashDetails.Add($"{name} {region} bits [{string.Join(",", bits)}]: {e.GetType().Name}: {e.Message}");
                continue;
            }
            if (clock.Elapsed - started > HangLimit)
            {
                summary.Hangs++;
                if (summary.CrashDetails.Count < 20) summary.CrashDetails.Add($"{name} {region} bits [{string.Join(",", bits)}]: took {(clock.Elapsed - started).TotalSeconds:0.0} s");
            }
            if (!result.Accepted) { summary.Rejected++; continue; }
            summary.Accepted++;
            if (region == Region.Code) summary.AcceptedCode++; else summary.AcceptedAnnotations++;
            var verdict = oracle.Run(elf, out var detail);
            if (verdict != OracleVerdict.NotRun) summary.Ran++;
            if (verdict == OracleVerdict.Violation) summary.Violations++;
            if (verdict == OracleVerdict.Timeout) summary.Timeouts++;
            onAccepted?.Invoke(new Mutant(name, region, bits, true, null, verdict, detail) { Elf = elf });
        }
        summary.Elapsed = clock.Elapsed;
        return summary;
    }
}
