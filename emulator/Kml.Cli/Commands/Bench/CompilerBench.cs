using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Kml.Compiler;
using Kml.Kernel;
using Spectre.Console;

namespace Kml.Cli.Commands.Bench;

/// <summary>
/// <c>kml bench compiler</c>: the code quality of the KML compiler. The same algorithms (samples/bench/compiler: a
/// sieve, a quicksort, a matrix product) in C built with <c>gcc -m32 -O2 -static</c> and in the C# subset built with
/// the KML compiler run in the same emulated machine, both in ring 0 (the C binary at protection level 5, the TAL
/// binary checked at level 4); each times only its algorithm with the emulated monotonic clock. Reported: emulated
/// cycles of the timed part (median of the runs), their ratio, whole-process guest instructions, host time, and the
/// compile time of each C# program and of the largest C# program in the repository.
/// </summary>
internal static class CompilerBench
{
    private static readonly string[] Programs = ["sieve", "sort", "matmul"];

    /// <summary>Adds <c>compiler</c> to the <c>bench</c> command (so the CLI catalog changes by one line).</summary>
    public static Command AddTo(Command bench)
    {
        bench.Subcommands.Add(Create());
        return bench;
    }

    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "runs per program and language (the median is reported)", DefaultValueFactory = _ => 3 };
        var model = new Option<string>("--cpu-model") { Description = "cycle model: pentium4 or modern", DefaultValueFactory = _ => "pentium4" };
        model.AcceptOnlyFromAmong("pentium4", "modern");
        var only = new Option<string?>("--only") { Description = "one program: sieve, sort or matmul" };
        only.AcceptOnlyFromAmong(Programs);
        var command = new Command("compiler", "Code quality: sieve, sort and matrix multiply in KML-compiled C# against gcc -m32 -O2, in the same emulator.") { runs, model, only };
        command.SetAction(parse => ErrorReporting.Run(() =>
        {
            int r = parse.GetValue(runs);
            if (r is <= 0 or > 50) throw new InvalidDataException($"--runs {r}: expected 1 to 50");
            Run(BenchHost.Model(parse.GetValue(model)!), r, parse.GetValue(only) is { } one ? [one] : Programs);
            return 0;
        }));
        return command;
    }

    /// <summary>One program in one language: the timed part's emulated cycles and the whole process's counts.</summary>
    private sealed record Measured(double Cycles, long Instructions, double HostSeconds, string Checksum);

    private static void Run(Kml.Machine.CycleModel model, int runs, IReadOnlyList<string> programs)
    {
        string sources = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(BenchHost.BenchSources)!)!, "bench", "compiler");
        if (!Directory.Exists(sources)) throw new DirectoryNotFoundException($"{sources}: no such directory (kml bench compiler runs from a checkout of the repository)");
        string work = Directory.CreateTempSubdirectory("kml-bench-compiler-").FullName;
        try
        {
            var table = new Table().Title($"compiled C# (KML, ring 0, level 4, checked) against C (gcc -m32 -O2 -static, ring 0, level 5): the timed algorithm, median of {runs}, cycle model {model.Name}")
                .AddColumn("program").AddColumn(new TableColumn("C: Mcycles").RightAligned()).AddColumn(new TableColumn("C#: Mcycles").RightAligned())
                .AddColumn(new TableColumn("C# ÷ C").RightAligned()).AddColumn(new TableColumn("C: guest instr. (process)").RightAligned())
                .AddColumn(new TableColumn("C#: guest instr. (process)").RightAligned()).AddColumn(new TableColumn("host ms C / C#").RightAligned())
                .AddColumn(new TableColumn("C# compile ms").RightAligned()).AddColumn(new TableColumn("C# code bytes").RightAligned()).AddColumn("checksum");
            var ratios = new List<double>();
            foreach (var name in programs)
            {
                string c = BenchHost.CompileC(Path.Combine(sources, name + ".c"), "compiler-" + name);
                var (elf, compileMs, codeBytes) = CompileCSharp([Path.Combine(sources, name + ".cs")], runs);
                string talPath = Path.Combine(work, name + ".elf");
                File.WriteAllBytes(talPath, elf);
                var native = Measure(name, c, new GuestMode("C, level 5", ProtectionLevel.Five, SyscallEntry.Call), model, runs);
                var compiled = Measure(name, talPath, new GuestMode("TAL, level 4", ProtectionLevel.Four, SyscallEntry.Call), model, runs);
                if (native.Checksum != compiled.Checksum)
                    throw new InvalidOperationException($"{name}: the C and C# versions disagree: C printed {native.Checksum}, C# {compiled.Checksum}");
                double ratio = compiled.Cycles / native.Cycles;
                ratios.Add(ratio);
                table.AddRow(name, M(native.Cycles), M(compiled.Cycles), $"{ratio:0.00}×", native.Instructions.ToString("N0", CultureInfo.InvariantCulture),
                    compiled.Instructions.ToString("N0", CultureInfo.InvariantCulture), $"{native.HostSeconds * 1000:0} / {compiled.HostSeconds * 1000:0}",
                    $"{compileMs:0}", codeBytes.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(native.Checksum));
            }
            if (ratios.Count > 1)
                table.AddRow("geometric mean", "", "", $"{Math.Exp(ratios.Average(Math.Log)):0.00}×", "", "", "", "", "", "");
            BenchHost.Console().Write(table);
            CompileTimeOfTheLargest(runs);
            Console.WriteLine($"Cycles of the timed part: emulated monotonic-clock nanoseconds × the model's clock ({model.Name}); the guest instructions are the whole " +
                $"process's (start-up, input generation and output included). The v1 target is C# within 2× of C. {BenchHost.MachineLine()}");
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    private static string M(double cycles) => (cycles / 1e6).ToString("0.00", CultureInfo.InvariantCulture);

    private static Measured Measure(string name, string binary, GuestMode mode, Kml.Machine.CycleModel model, int runs)
    {
        var cycles = new List<double>();
        var host = new List<double>();
        GuestResult? last = null;
        string? checksum = null;
        for (int i = 0; i < runs; i++)
        {
            Console.Error.WriteLine($"kml bench compiler: {name} ({mode.Label}), run {i + 1} of {runs}");
            last = BenchHost.Run(binary, [], mode, model);
            var words = last.Stdout.Trim().Split(' ');
            if (words.Length != 3 || words[0] != name || !long.TryParse(words[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long ns))
                throw new InvalidDataException($"{binary}: unexpected output \"{last.Stdout.Trim()}\" (expected \"{name} <ns> <checksum>\")");
            cycles.Add(ns * (double)last.Statistics.ClockHz / 1e9);
            host.Add(last.Statistics.HostTime.TotalSeconds);
            checksum = words[2];
        }
        return new Measured(BenchHost.Median(cycles), last!.Statistics.Instructions, BenchHost.Median(host), checksum!);
    }

    /// <summary>Compiles a C# program <paramref name="runs"/> times: the ELF, the median compile time (ms) and the code size.</summary>
    private static (byte[] Elf, double Milliseconds, int CodeBytes) CompileCSharp(IReadOnlyList<string> files, int runs)
    {
        var times = new List<double>();
        CompilationResult? result = null;
        for (int i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            result = KmlCompiler.CompileFilesAsync(files).GetAwaiter().GetResult();
            times.Add(watch.Elapsed.TotalMilliseconds);
            if (!result.Success) throw new InvalidDataException(string.Join("\n", result.Errors));
        }
        return (result!.Elf!, BenchHost.Median(times), result.Object!.Text.Bytes.Length);
    }

    /// <summary>The compile time of the largest C# program in the repository (the compiler corpus and the samples), by phase.</summary>
    private static void CompileTimeOfTheLargest(int runs)
    {
        string root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(BenchHost.BenchSources)!)!)!;
        var candidates = new[] { Path.Combine(root, "tests", "Kml.Compiler.Tests", "Programs"), Path.Combine(root, "samples") }
            .Where(Directory.Exists).SelectMany(d => Directory.GetFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0) return;
        var largest = candidates.OrderByDescending(f => new FileInfo(f).Length).First();
        var phases = new List<CompilationTimes>();
        CompilationResult? result = null;
        for (int i = 0; i < Math.Max(runs, 3); i++)
        {
            result = KmlCompiler.CompileFilesAsync([largest]).GetAwaiter().GetResult();
            if (!result.Success || result.Times is null) return;
            phases.Add(result.Times);
        }
        string Med(Func<CompilationTimes, TimeSpan> f) => BenchHost.Median(phases.Select(p => f(p).TotalMilliseconds)).ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine($"Compile time of the largest C# program ({Path.GetRelativePath(root, largest)}, {File.ReadAllLines(largest).Length} lines, " +
            $"{result!.Object!.Text.Bytes.Length.ToString("N0", CultureInfo.InvariantCulture)} code bytes with the runtime), median of {phases.Count} in this process: " +
            $"{Med(t => t.Total)} ms (analysis {Med(t => t.Analysis)}, lowering {Med(t => t.Lowering)}, code {Med(t => t.CodeGeneration)}, checker {Med(t => t.Verification)}).");
    }
}
