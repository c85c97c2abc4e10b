using System.CommandLine;
using Spectre.Console;

namespace Kml.Cli.Commands.Bench;

/// <summary>
/// <c>kml bench find</c>: Debian's busybox <c>find</c> over the generated 20,000-file tree, user mode (level 2) against
/// kernel mode (level 5, KML call); whole-process emulated time and host time, medians of several runs.
/// </summary>
internal static class FindBench
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "runs per mode (the median is reported)", DefaultValueFactory = _ => 3 };
        var files = new Option<int>("--files") { Description = "files in the generated tree", DefaultValueFactory = _ => 20000 };
        var busybox = new Option<string?>("--busybox") { Description = "the i386 busybox (default: the cached one from samples/busybox/fetch.sh)" };
        var model = new Option<string>("--cpu-model") { Description = "cycle model: pentium4 or modern", DefaultValueFactory = _ => "pentium4" };
        model.AcceptOnlyFromAmong("pentium4", "modern");
        var quick = new Option<bool>("--quick") { Description = "2,000 files, one run (seconds)" };
        var command = new Command("find", "busybox find over the generated 20,000-file tree: user vs kernel mode.") { runs, files, busybox, model, quick };
        command.SetAction(parse => ErrorReporting.Run(() =>
        {
            bool q = parse.GetValue(quick);
            int r = q ? 1 : parse.GetValue(runs), n = q ? 2000 : parse.GetValue(files);
            if (r is <= 0 or > 50 || n <= 0) throw new InvalidDataException($"--runs {r} --files {n}: expected 1 to 50 runs and a positive number of files");
            Run(parse.GetValue(busybox) ?? DefaultBusybox(), BenchHost.Model(parse.GetValue(model)!), r, n);
            return 0;
        }));
        return command;
    }

    /// <summary>The cached i386 busybox (samples/busybox/fetch.sh puts it there).</summary>
    public static string DefaultBusybox() => Path.Combine(BenchHost.Cache, "busybox-i386", "busybox");

    private static void Run(string busybox, Kml.Machine.CycleModel model, int runs, int files)
    {
        if (!File.Exists(busybox)) throw new FileNotFoundException($"{busybox}: no such file (samples/busybox/fetch.sh fetches Debian's i386 busybox)");
        string[] args = ["find", ".", "-name", "*7.dat", "-type", "f"];
        var rows = new List<(GuestMode Mode, double Emulated, double Host, long Instructions, long Syscalls, string Output)>();
        foreach (var mode in new[] { GuestMode.Sysenter, GuestMode.KmlCall })
        {
            var emulated = new List<double>();
            var host = new List<double>();
            GuestResult? last = null;
            for (int i = 0; i < runs; i++)
            {
                Console.Error.WriteLine($"kml bench find: {mode.Label} ({mode.Level}), run {i + 1} of {runs}");
                last = BenchHost.Run(busybox, args, mode, model, generatedTree: files);
                emulated.Add(last.Statistics.EmulatedSeconds);
                host.Add(last.Statistics.HostTime.TotalSeconds);
            }
            rows.Add((mode, BenchHost.Median(emulated), BenchHost.Median(host), last!.Statistics.Instructions,
                last.Statistics.SyscallCounts.Sum(), last.Stdout));
        }
        if (rows[0].Output != rows[1].Output) throw new InvalidOperationException("busybox find printed different results in user and kernel mode");
        int found = rows[0].Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var t = new Table().Title($"busybox find . -name '*7.dat' -type f over a generated tree of {files:N0} files ({found:N0} found); whole process, median of {runs}")
            .AddColumn("mode").AddColumn(new TableColumn("emulated time").RightAligned()).AddColumn(new TableColumn("vs user (emulated)").RightAligned())
            .AddColumn(new TableColumn("host time").RightAligned()).AddColumn(new TableColumn("guest instructions").RightAligned()).AddColumn(new TableColumn("system calls").RightAligned());
        foreach (var r in rows)
            t.AddRow($"{(r.Mode == GuestMode.KmlCall ? "kernel" : "user")}: {r.Mode.Label} (level {r.Mode.Level.Number})", $"{r.Emulated * 1000:0.00} ms",
                $"{(1 - r.Emulated / rows[0].Emulated) * 100:+0.0;-0.0} % faster", $"{r.Host * 1000:0} ms", r.Instructions.ToString("N0"), r.Syscalls.ToString("N0"));
        var console = BenchHost.Console();
        console.Write(t);
        Console.WriteLine($"Paper: a TAL version of find ran {PaperNumbers.FindImprovement:0} % faster in kernel mode (their find, their tree); here the same busybox binary in both modes. " +
            $"Cycle model {model.Name}. {BenchHost.MachineLine()}");
    }
}
