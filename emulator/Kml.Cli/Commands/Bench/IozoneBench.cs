using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Kml.Cli.Commands.Bench;

/// <summary>
/// <c>kml bench iozone</c>: Write, Re-write, Read and Re-read throughput with 16 KiB records over file sizes from
/// 64 KiB to 16 MiB, the same C binary in user mode (level 2, sysenter) and kernel mode (level 5, KML call).
/// </summary>
internal static class IozoneBench
{
    private static readonly string[] Operations = ["write", "rewrite", "read", "reread"];

    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "runs per measurement (the median is reported)", DefaultValueFactory = _ => 3 };
        var maxKib = new Option<int>("--max-kib") { Description = "largest file size in KiB (sizes double from 64)", DefaultValueFactory = _ => 16384 };
        var model = new Option<string>("--cpu-model") { Description = "cycle model: pentium4 or modern", DefaultValueFactory = _ => "pentium4" };
        model.AcceptOnlyFromAmong("pentium4", "modern");
        var quick = new Option<bool>("--quick") { Description = "sizes up to 1 MiB, one run (seconds)" };
        var command = new Command("iozone", "IOzone-like Read/Write/Re-read/Re-write throughput, 16 KiB records, 64 KiB to 16 MiB: user vs kernel mode.")
        {
            runs, maxKib, model, quick,
        };
        command.SetAction(parse => ErrorReporting.Run(() =>
        {
            bool q = parse.GetValue(quick);
            int r = q ? 1 : parse.GetValue(runs), max = q ? 1024 : parse.GetValue(maxKib);
            if (r is <= 0 or > 64 || max < 64) throw new InvalidDataException($"--runs {r} --max-kib {max}: expected 1 to 64 runs and at least 64 KiB");
            Run(BenchHost.Model(parse.GetValue(model)!), r, max);
            return 0;
        }));
        return command;
    }

    private static void Run(Kml.Machine.CycleModel model, int runs, int maxKib)
    {
        // The file lives in the guest's in-memory file system; 16 MiB files need room beside the programs.
        string binary = BenchHost.Compile("iozone");
        var results = new Dictionary<GuestMode, Dictionary<(int Kib, string Op), (double Emulated, double Host)>>();
        foreach (var mode in new[] { GuestMode.Sysenter, GuestMode.KmlCall })
        {
            Console.Error.WriteLine($"kml bench iozone: {mode.Label} ({mode.Level})");
            var run = BenchHost.Run(binary, [maxKib.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture)], mode, model);
            var rows = new Dictionary<(int, string), (double, double)>();
            foreach (var line in run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var w = line.Split(' ');
                if (w.Length != 4) throw new InvalidDataException($"iozone: unexpected output line \"{line}\"");
                rows[(int.Parse(w[0], CultureInfo.InvariantCulture), w[1])] = (double.Parse(w[2], CultureInfo.InvariantCulture), double.Parse(w[3], CultureInfo.InvariantCulture));
            }
            results[mode] = rows;
        }
        var console = BenchHost.Console();
        var sizes = results[GuestMode.Sysenter].Keys.Select(k => k.Kib).Distinct().Order().ToList();
        var best = new Dictionary<string, (double Gain, int Kib)>();
        foreach (var op in Operations)
        {
            var t = new Table().Title($"IOzone-like {op}, 16 KiB records: MiB/s (median of {runs}); user = level 2 (ring 3, sysenter), kernel = level 5 (ring 0, KML call)")
                .AddColumn(new TableColumn("file size").RightAligned())
                .AddColumn(new TableColumn("user, emulated").RightAligned()).AddColumn(new TableColumn("kernel, emulated").RightAligned())
                .AddColumn(new TableColumn("kernel vs user (emulated)").RightAligned())
                .AddColumn(new TableColumn("user, host").RightAligned()).AddColumn(new TableColumn("kernel, host").RightAligned());
            foreach (int kib in sizes)
            {
                var u = results[GuestMode.Sysenter][(kib, op)];
                var k = results[GuestMode.KmlCall][(kib, op)];
                double gain = (k.Emulated / u.Emulated - 1) * 100;
                if (!best.TryGetValue(op, out var b) || gain > b.Gain) best[op] = (gain, kib);
                t.AddRow(Size(kib), M(u.Emulated), M(k.Emulated), $"{gain:+0.0;-0.0} %", M(u.Host), M(k.Host));
            }
            console.Write(t);
        }
        var summary = new Table().Title("largest improvement of kernel mode over user mode (EMULATED time), beside the paper's (IOzone, 16 KiB records, Pentium 4)")
            .AddColumn("operation").AddColumn(new TableColumn("kml (at size)").RightAligned()).AddColumn(new TableColumn("paper: up to").RightAligned());
        foreach (var op in Operations)
            summary.AddRow(op, $"{best[op].Gain:+0.0;-0.0} % ({Size(best[op].Kib)})", $"{PaperNumbers.IozoneMaxImprovement[op]:0.0} %");
        console.Write(summary);
        Console.WriteLine($"Cycle model {model.Name}; the file is in the kernel's in-memory file system (no disk: the paper's larger files also measured the disk). {BenchHost.MachineLine()}");
    }

    private static string M(double kibPerSecond) => (kibPerSecond / 1024).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Size(int kib) => kib >= 1024 ? $"{kib / 1024} MiB" : $"{kib} KiB";
}
