using System.Globalization;
using System.Text;
using Kml.Tal.Assembler;
using Kml.Tal.Checker;
using Kml.Tal.Elf;
using Kml.Tal.Fuzz;

// kml-tal-fuzz [--mutants N] [--seed S] [--out DIR] [--native]
// Seeds: samples/tal/*.tal, every accepted case of tests/Kml.Tal.Tests/Cases/accepted.txt, and a generated program.
var mutants = 100_000L;
var randomSeed = 1;
var outDir = Path.Combine("artifacts", "tal-fuzz");
var native = false;
for (var a = 0; a < args.Length; a++)
{
    switch (args[a])
    {
        case "--mutants": mutants = long.Parse(args[++a], CultureInfo.InvariantCulture); break;
        case "--seed": randomSeed = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
        case "--out": outDir = args[++a]; break;
        case "--native": native = true; break;
        default: Console.Error.WriteLine($"kml-tal-fuzz: unknown option {args[a]}"); return 2;
    }
}

var root = FindRoot();
var seeds = new List<(string, TalObject)>();
foreach (var file in Directory.GetFiles(Path.Combine(root, "samples", "tal"), "*.tal").Order(StringComparer.Ordinal))
    seeds.Add((Path.GetFileName(file), TalAssembler.Assemble(File.ReadAllText(file), Path.GetFileName(file))));
var corpus = File.ReadAllText(Path.Combine(root, "tests", "Kml.Tal.Tests", "Cases", "accepted.txt"));
foreach (var block in corpus.Split("\n=== ").Skip(1))
{
    var name = block[..block.IndexOf('\n')];
    var source = block[(block.IndexOf('\n') + 1)..block.IndexOf("--- accept", StringComparison.Ordinal)];
    seeds.Add(("accepted.txt: " + name, TalAssembler.Assemble(source, name)));
}
seeds.Add(("generated (400 instructions)", TalAssembler.Assemble(Kml.Benchmarks.Tal.TalProgramGenerator.Generate(400), "generated.tal")));
foreach (var (name, obj) in seeds)
    if (!TalChecker.Check(ElfWriter.Write(obj)).Accepted) { Console.Error.WriteLine($"kml-tal-fuzz: seed {name} is rejected"); return 2; }

Directory.CreateDirectory(outDir);
var log = new StringBuilder();
if (native && !NativeOracle.Available) { Console.Error.WriteLine("kml-tal-fuzz: --native needs gcc -m32"); return 2; }
IMutantOracle oracle = native ? new NativeOracle() : new NoOracle();
var fuzzer = new MutationFuzzer(seeds, oracle, randomSeed);
var triage = new Dictionary<string, int>(StringComparer.Ordinal);
var seedByName = seeds.ToDictionary(s => s.Item1, s => s.Item2);
Console.WriteLine($"kml-tal-fuzz: {seeds.Count} seed programs, {mutants} mutants, random seed {randomSeed}");
var summary = fuzzer.Run(mutants,
    m =>
    {
        log.AppendLine(CultureInfo.InvariantCulture, $"{m.Seed}\t{m.Region}\t{string.Join(",", m.Bits)}\t{m.Oracle}\t{m.OracleDetail.ReplaceLineEndings(" ")}");
        if (m.Oracle == OracleVerdict.Violation) Console.WriteLine($"VIOLATION: {m.Seed} {m.Region} bits [{string.Join(",", m.Bits)}]: {m.OracleDetail}");
        if (m.Region != Region.Code) return;
        var original = seedByName[m.Seed].Text;
        var mutated = (byte[])original.Bytes.Clone();
        foreach (var bit in m.Bits) mutated[bit / 8] ^= (byte)(1 << (bit % 8));
        var kind = MutantTriage.Classify(original.Bytes, mutated, original.Address);
        triage[kind] = triage.GetValueOrDefault(kind) + 1;
    },
    i => Console.Error.Write($"\r{i} mutants"));
Console.Error.WriteLine();
File.WriteAllText(Path.Combine(outDir, "accepted-mutants.tsv"), "# seed\tregion\tflipped bits (byte*8+bit)\toracle\toracle detail\n" + log);

string[] lines =
[
    $"mutants:            {summary.Mutants} ({summary.MutantsCode} in .text, {summary.MutantsAnnotations} in .kml.tal)",
    $"rejected:           {summary.Rejected}",
    $"accepted:           {summary.Accepted} ({summary.AcceptedCode} code mutants, {summary.AcceptedAnnotations} annotation mutants)",
    $"checker exceptions: {summary.Crashes}",
    $"checks over {MutationFuzzer.HangLimit.TotalSeconds} s:   {summary.Hangs}",
    $"oracle violations:  {summary.Violations} (oracle: {(native ? "native run under talrun" : "none")}; accepted mutants listed in {Path.Combine(outDir, "accepted-mutants.tsv")})",
    $"time:               {summary.Elapsed.TotalSeconds:0.0} s ({summary.Mutants / Math.Max(summary.Elapsed.TotalSeconds, 1e-9):0} mutants/s)",
];
lines = [.. lines, "accepted code mutants by what changed:", .. triage.OrderByDescending(t => t.Value).Select(t => $"  {t.Key}: {t.Value}")];
foreach (var l in lines) Console.WriteLine(l);
foreach (var c in summary.CrashDetails) Console.WriteLine("  " + c);
File.WriteAllLines(Path.Combine(outDir, "summary.txt"), lines.Concat(summary.CrashDetails));
return summary.Crashes == 0 && summary.Hangs == 0 && summary.Violations == 0 ? 0 : 1;

static string FindRoot()
{
    var dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "Kml.sln"))) dir = Path.GetDirectoryName(dir);
    return dir ?? throw new DirectoryNotFoundException("kml-tal-fuzz: run it inside the repository (Kml.sln not found above the tool)");
}
