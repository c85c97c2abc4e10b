using System.Globalization;
using System.Text;
using Kml.Tal.Assembler;
using Kml.Tal.Checker;
using Kml.Tal.Elf;
using Kml.Tal.Fuzz;

// kml-tal-fuzz [--mutants N] [--seed S] [--out DIR] [--oracle emulator|native|none] [--native] [--seeds-only] [--self-test]
//              [--seeds-from DIR]
// Seeds: samples/tal/*.tal, every accepted case of tests/Kml.Tal.Tests/Cases/accepted.txt, a generated program, and
// with --seeds-from every *.elf in DIR (e.g. C# programs built with `kml build`: larger, compiler-shaped code).
var mutants = 100_000L;
var randomSeed = 1;
var outDir = Path.Combine("artifacts", "tal-fuzz");
var oracleName = "emulator";
var seedsOnly = false;
string? seedDir = null;
for (var a = 0; a < args.Length; a++)
{
    switch (args[a])
    {
        case "--mutants": mutants = long.Parse(args[++a], CultureInfo.InvariantCulture); break;
        case "--seed": randomSeed = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
        case "--out": outDir = args[++a]; break;
        case "--oracle": oracleName = args[++a]; break;
        case "--native": oracleName = "native"; break;
        case "--seeds-only": seedsOnly = true; break;
        case "--seeds-from": seedDir = args[++a]; break;
        case "--self-test": return SelfTest();
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
if (seedDir != null)
{
    foreach (var file in Directory.GetFiles(seedDir, "*.elf").Order(StringComparer.Ordinal))
    {
        try { seeds.Add((Path.GetFileName(file), ElfReader.Read(File.ReadAllBytes(file)))); }
        catch (InvalidDataException e) { Console.Error.WriteLine($"kml-tal-fuzz: {file}: {e.Message}"); return 2; }
    }
}
seeds.Add(("generated (400 instructions)", TalAssembler.Assemble(Kml.Benchmarks.Tal.TalProgramGenerator.Generate(400), "generated.tal")));
foreach (var (name, obj) in seeds)
    if (!TalChecker.Check(ElfWriter.Write(obj)).Accepted) { Console.Error.WriteLine($"kml-tal-fuzz: seed {name} is rejected"); return 2; }

Directory.CreateDirectory(outDir);
var log = new StringBuilder();
if (oracleName == "native" && !NativeOracle.Available) { Console.Error.WriteLine("kml-tal-fuzz: --oracle native needs gcc -m32"); return 2; }
var emulator = new EmulatorOracle();
IMutantOracle oracle = oracleName switch
{
    "emulator" => emulator,
    "native" => new NativeOracle(),
    "none" => new NoOracle(),
    _ => throw new ArgumentException($"kml-tal-fuzz: --oracle {oracleName}: expected emulator, native or none"),
};
var oracleDescription = oracleName switch
{
    "emulator" => "emulated kernel, ring 0, safety monitor, 20M-cycle and 2 s limits",
    "native" => "native run under talrun",
    _ => "none",
};

if (seedsOnly)
{
    // The oracle on the unmutated seeds: every one must run without a violation (no false alarms).
    int bad = 0;
    foreach (var (name, obj) in seeds)
    {
        var verdict = oracle.Run(ElfWriter.Write(obj), out var detail);
        Console.WriteLine($"{verdict,-9} {name}: {detail}");
        if (verdict is OracleVerdict.Violation or OracleVerdict.NotRun) bad++;
    }
    Console.WriteLine($"{seeds.Count} seeds, {bad} with a violation or not run");
    return bad == 0 ? 0 : 1;
}

var fuzzer = new MutationFuzzer(seeds, oracle, randomSeed);
var triage = new Dictionary<string, int>(StringComparer.Ordinal);
var ends = new Dictionary<string, int>(StringComparer.Ordinal);
var seedByName = seeds.ToDictionary(s => s.Item1, s => s.Item2);
var violations = new List<string>();
Console.WriteLine($"kml-tal-fuzz: {seeds.Count} seed programs, {mutants} mutants, random seed {randomSeed}, oracle: {oracleDescription}");
var summary = fuzzer.Run(mutants,
    m =>
    {
        log.AppendLine(CultureInfo.InvariantCulture, $"{m.Seed}\t{m.Region}\t{string.Join(",", m.Bits)}\t{m.Oracle}\t{m.OracleDetail.ReplaceLineEndings(" ")}");
        if (oracle == emulator && m.Oracle != OracleVerdict.NotRun) ends[emulator.LastEnd.ToString()] = ends.GetValueOrDefault(emulator.LastEnd.ToString()) + 1;
        if (m.Oracle == OracleVerdict.Violation)
        {
            Console.WriteLine($"\nVIOLATION: {m.Seed} {m.Region} bits [{string.Join(",", m.Bits)}]: {m.OracleDetail}");
            violations.Add(Record(m, violations.Count));
        }
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
    $"mutants generated:  {summary.Mutants} ({summary.MutantsCode} in .text, {summary.MutantsAnnotations} in .kml.tal)",
    $"rejected:           {summary.Rejected}",
    $"accepted:           {summary.Accepted} ({summary.AcceptedCode} code mutants, {summary.AcceptedAnnotations} annotation mutants)",
    $"ran in the oracle:  {summary.Ran}",
    $"checker exceptions: {summary.Crashes}",
    $"checks over {MutationFuzzer.HangLimit.TotalSeconds} s:   {summary.Hangs}",
    $"oracle violations:  {summary.Violations} (oracle: {oracleDescription}; accepted mutants listed in {Path.Combine(outDir, "accepted-mutants.tsv")})",
    $"oracle timeouts:    {summary.Timeouts} (stopped at a limit without a violation)",
    $"time:               {summary.Elapsed.TotalSeconds:0.0} s ({summary.Mutants / Math.Max(summary.Elapsed.TotalSeconds, 1e-9):0} mutants/s)",
];
if (oracle == emulator)
    lines = [.. lines, $"monitor:            {emulator.Instructions:N0} guest instructions, {emulator.Accesses:N0} memory accesses and {emulator.Transfers:N0} control transfers checked"];
if (ends.Count > 0) lines = [.. lines, "accepted mutants by how they ended:", .. ends.OrderByDescending(e => e.Value).Select(e => $"  {e.Key}: {e.Value}")];
lines = [.. lines, "accepted code mutants by what changed:", .. triage.OrderByDescending(t => t.Value).Select(t => $"  {t.Key}: {t.Value}")];
lines = [.. lines, .. violations];
foreach (var l in lines) Console.WriteLine(l);
foreach (var c in summary.CrashDetails) Console.WriteLine("  " + c);
File.WriteAllLines(Path.Combine(outDir, "summary.txt"), lines.Concat(summary.CrashDetails));
return summary.Crashes == 0 && summary.Hangs == 0 && summary.Violations == 0 ? 0 : 1;

// Saves a violating mutant (and a minimised one: flipped bits that are not needed for the violation are undone).
string Record(Mutant m, int index)
{
    var seed = seedByName[m.Seed];
    var bits = m.Bits.ToList();
    foreach (var bit in m.Bits)
    {
        var fewer = bits.Where(b => b != bit).ToList();
        if (fewer.Count == 0) continue;
        var elf = ElfWriter.Write(MutationFuzzer.Mutate(seed, m.Region, fewer));
        if (TalChecker.Check(elf).Accepted && oracle.Run(elf, out _) == OracleVerdict.Violation) bits = fewer;
    }
    var minimal = ElfWriter.Write(MutationFuzzer.Mutate(seed, m.Region, bits));
    var stem = Path.Combine(outDir, $"violation-{index}");
    File.WriteAllBytes(stem + ".elf", m.Elf);
    File.WriteAllBytes(stem + ".min.elf", minimal);
    oracle.Run(minimal, out var minimalDetail);
    File.WriteAllText(stem + ".txt", $"seed: {m.Seed}\nregion: {m.Region}\nbits: {string.Join(",", m.Bits)}\nminimal bits: {string.Join(",", bits)}\nviolation: {m.OracleDetail}\nminimal: {minimalDetail}\n");
    return $"  violation {index}: {m.Seed} {m.Region} bits [{string.Join(",", bits)}] (minimised from [{string.Join(",", m.Bits)}]): {m.OracleDetail} -> {stem}.elf";
}

// The oracle must see what the checker forbids: the monitor cases of the end-to-end tests (programs the checker
// rejects), run in ring 0 unverified (level 5), must each give a violation.
static int SelfTest()
{
    var oracle = new EmulatorOracle(level: Kml.Kernel.ProtectionLevel.Five);
    var file = Path.Combine(FindRoot(), "tests", "Kml.EndToEnd.Tests", "Tal", "Cases", "monitor.txt");
    int missed = 0, cases = 0;
    foreach (var block in File.ReadAllText(file).Split("\n=== ").Skip(1))
    {
        var name = block[..block.IndexOf('\n')];
        var source = block[(block.IndexOf('\n') + 1)..block.IndexOf("\n--- ", StringComparison.Ordinal)];
        var verdict = oracle.Run(ElfWriter.Write(TalAssembler.Assemble(source, name)), out var detail);
        cases++;
        if (verdict != OracleVerdict.Violation) missed++;
        Console.WriteLine($"{verdict,-9} {name}: {detail}");
    }
    Console.WriteLine($"{cases} programs the checker rejects, {missed} without a violation");
    return missed == 0 && cases > 0 ? 0 : 1;
}

static string FindRoot()
{
    var dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "Kml.sln"))) dir = Path.GetDirectoryName(dir);
    return dir ?? throw new DirectoryNotFoundException("kml-tal-fuzz: run it inside the repository (Kml.sln not found above the tool)");
}
