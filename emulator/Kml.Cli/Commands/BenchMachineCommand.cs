using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Kml.Kernel.Vfs;
using Spectre.Console;

namespace Kml.Cli.Commands;

/// <summary>
/// <c>kml bench machine</c>: busybox workloads timed as a user would (whole process, start-up included), natively,
/// under qemu-i386 and under <c>kml run</c>, side by side in one run; medians of N runs; emulated time labelled.
/// </summary>
internal static class BenchMachineCommand
{
    public static Command Create()
    {
        var busybox = new Option<string?>("--busybox") { Description = "the i386 busybox (default: the cached one from samples/busybox/fetch.sh)" };
        var runs = new Option<int>("--runs") { Description = "runs per measurement (the median is reported)", DefaultValueFactory = _ => 5 };
        var work = new Option<string?>("--work") { Description = "directory for the inputs (default: a temporary directory, removed afterwards)" };
        var only = new Option<string?>("--only") { Description = "run one workload: sha256sum, gzip or find" };
        var machine = new Command("machine", "Time busybox sha256sum (64 MiB), gzip -c (16 MiB) and find (20,000 files): native, qemu-i386, kml run.")
        {
            busybox, runs, work, only,
        };
        machine.SetAction(parse => ErrorReporting.Run(() => Run(parse.GetValue(busybox), Math.Max(1, parse.GetValue(runs)), parse.GetValue(work), parse.GetValue(only))));
        return new Command("bench", "Benchmarks of the machine, and the papers' experiments (docs/bench.md).")
        {
            machine,
            Bench.SyscallBench.Create(),
            Bench.IozoneBench.Create(),
            Bench.FindBench.Create(),
            Bench.CopyBench.Create(),
        };
    }

    private sealed record Workload(string Name, string Input, string[] Args, string? KmlRoot, int GeneratedTree);

    private sealed record Measurement(string Workload, string Runner, double MedianSeconds, double? EmulatedSeconds, long? Instructions);

    private static int Run(string? busyboxPath, int runs, string? workDir, string? only)
    {
        string busybox = busyboxPath ?? DefaultBusybox();
        if (!File.Exists(busybox)) throw new FileNotFoundException($"{busybox}: no such file (samples/busybox/fetch.sh fetches Debian's i386 busybox)");
        bool temporary = workDir == null;
        string dir = workDir ?? Directory.CreateTempSubdirectory("kml-bench-").FullName;
        try
        {
            Console.Error.WriteLine($"kml bench machine: preparing inputs in {dir}");
            var workloads = PrepareInputs(dir).Where(w => only == null || w.Name.StartsWith(only, StringComparison.Ordinal)).ToList();
            bool haveQemu = FindOnPath("qemu-i386") != null;
            if (!haveQemu)
                Console.Error.WriteLine("kml bench machine: qemu-i386 is not on PATH, so its column stays empty (Debian: apt-get install qemu-user)");
            var results = new List<Measurement>();
            foreach (var w in workloads)
            {
                results.Add(Measure(w, "native", runs, () => Timed(busybox, w.Args, w.Input)));
                if (haveQemu) results.Add(Measure(w, "qemu-i386", runs, () => Timed("qemu-i386", [busybox, .. w.Args], w.Input)));
                results.Add(MeasureKml(w, busybox, runs, w.KmlRoot != null ? ["--root", w.KmlRoot] : [], "kml run --root"));
                if (w.GeneratedTree > 0)
                    results.Add(MeasureKml(w, busybox, runs, ["--gen-tree", w.GeneratedTree.ToString()], "kml run --gen-tree"));
            }
            Print(results, runs);
            return 0;
        }
        finally
        {
            if (temporary) Directory.Delete(dir, true);
        }
    }

    private static List<Workload> PrepareInputs(string dir)
    {
        string data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        string big = Path.Combine(data, "random64.bin");
        if (!File.Exists(big) || new FileInfo(big).Length != 64 << 20)
        {
            var bytes = new byte[64 << 20];
            new Random(64).NextBytes(bytes);
            File.WriteAllBytes(big, bytes);
        }
        string text = Path.Combine(data, "text16.txt");
        if (!File.Exists(text) || new FileInfo(text).Length != 16 << 20)
        {
            // Compressible text (gzip's realistic case): numbered lines with words from a small vocabulary.
            string[] words = ["kernel", "mode", "linux", "typed", "assembly", "ring", "zero", "checker", "emulator", "busybox", "syscall", "page"];
            var rng = new Random(16);
            using var w = new StreamWriter(text);
            long written = 0;
            for (int line = 0; written < 16 << 20; line++)
            {
                string s = $"{line:D8} {words[rng.Next(words.Length)]} {words[rng.Next(words.Length)]} {rng.Next(100000)} {words[rng.Next(words.Length)]}\n";
                if (written + s.Length > 16 << 20) s = s[..(int)((16 << 20) - written)];
                w.Write(s);
                written += s.Length;
            }
        }
        string tree = Path.Combine(dir, "tree");
        if (!Directory.Exists(tree))
        {
            GeneratedTree.WriteToHost(tree + ".tmp", 20000);
            Directory.Move(tree + ".tmp", tree);
        }
        return
        [
            new Workload("sha256sum 64 MiB", data, ["sha256sum", "random64.bin"], data, 0),
            new Workload("gzip -c 16 MiB", data, ["gzip", "-c", "text16.txt"], data, 0),
            new Workload("find 20,000 files", tree, ["find", ".", "-name", "*7.dat", "-type", "f"], tree, 20000),
        ];
    }

    private static Measurement Measure(Workload w, string runner, int runs, Func<double> once)
    {
        Console.Error.WriteLine($"  {w.Name}: {runner}");
        var times = Enumerable.Range(0, runs).Select(_ => once()).ToList();
        return new Measurement(w.Name, runner, Median(times), null, null);
    }

    private static Measurement MeasureKml(Workload w, string busybox, int runs, string[] kmlOptions, string runner)
    {
        Console.Error.WriteLine($"  {w.Name}: {runner}");
        string self = typeof(BenchMachineCommand).Assembly.Location;
        string dotnet = Environment.ProcessPath ?? "dotnet";
        // The timed runs are the plain command a user types; the emulated figures come from one more, untimed run with
        // --stats-json (writing the statistics costs the process tens of milliseconds).
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
            times.Add(Timed(dotnet, [self, "run", .. kmlOptions, busybox, "--", .. w.Args], w.Input));
        string statsFile = Path.GetTempFileName();
        try
        {
            Timed(dotnet, [self, "run", "--stats-json", statsFile, .. kmlOptions, busybox, "--", .. w.Args], w.Input);
            var stats = JsonDocument.Parse(File.ReadAllText(statsFile)).RootElement;
            return new Measurement(w.Name, runner, Median(times), stats.GetProperty("emulatedSeconds").GetDouble(), stats.GetProperty("instructions").GetInt64());
        }
        finally
        {
            File.Delete(statsFile);
        }
    }

    /// <summary>Runs a program to completion with its output discarded; returns the wall-clock seconds.</summary>
    private static double Timed(string program, string[] args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        var drainOut = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var drainErr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        double seconds = watch.Elapsed.TotalSeconds;
        drainOut.Wait();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed with {p.ExitCode}: {drainErr.Result.Trim()}");
        return seconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static void Print(List<Measurement> results, int runs)
    {
        var table = new Table()
            .Title($"busybox on this host (median of {runs} runs, wall-clock host time of the whole process, start-up included)")
            .AddColumn("workload").AddColumn("runner").AddColumn(new TableColumn("host time").RightAligned())
            .AddColumn(new TableColumn("× native").RightAligned()).AddColumn(new TableColumn("× qemu-i386").RightAligned())
            .AddColumn(new TableColumn("emulated time (cycle model)").RightAligned()).AddColumn(new TableColumn("guest instructions").RightAligned());
        foreach (var group in results.GroupBy(r => r.Workload))
        {
            double native = group.First(r => r.Runner == "native").MedianSeconds;
            double? qemu = group.FirstOrDefault(r => r.Runner == "qemu-i386")?.MedianSeconds;
            foreach (var r in group)
            {
                table.AddRow(Markup.Escape(r.Workload), Markup.Escape(r.Runner), $"{r.MedianSeconds * 1000:F0} ms",
                    $"{r.MedianSeconds / native:F1}", qemu is { } q ? $"{r.MedianSeconds / q:F2}" : "-",
                    r.EmulatedSeconds is { } e ? $"{e * 1000:F1} ms" : "", r.Instructions is { } n ? n.ToString("N0") : "");
            }
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Console.IsOutputRedirected) console.Profile.Width = 160;
        console.Write(table);
    }

    private static string DefaultBusybox()
    {
        string cache = Environment.GetEnvironmentVariable("KML_CACHE")
            ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "kml");
        return Path.Combine(cache, "busybox-i386", "busybox");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
