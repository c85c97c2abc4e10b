using System.CommandLine;
using System.Globalization;
using Kml.Kernel;
using Spectre.Console;

namespace Kml.Cli.Commands.Bench;

/// <summary>
/// <c>kml bench copy</c>: the multi-level protection paper's experiment, copying a 64 KiB file in 8 KiB blocks, with the
/// same C binary at each protection level it can run at (1, 2 and 5; 3 and 4 are for TAL binaries).
/// </summary>
internal static class CopyBench
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "copies per level (the median is reported)", DefaultValueFactory = _ => 50 };
        var model = new Option<string>("--cpu-model") { Description = "cycle model: pentium4 or modern", DefaultValueFactory = _ => "pentium4" };
        model.AcceptOnlyFromAmong("pentium4", "modern");
        var quick = new Option<bool>("--quick") { Description = "10 copies per level (seconds)" };
        var command = new Command("copy", "Copy a 64 KiB file in 8 KiB blocks at each protection level (the multi-level paper's experiment).") { runs, model, quick };
        command.SetAction(parse => ErrorReporting.Run(() =>
        {
            int r = parse.GetValue(quick) ? 10 : parse.GetValue(runs);
            if (r is <= 0 or > 1000) throw new InvalidDataException($"--runs {r}: expected 1 to 1000");
            Run(BenchHost.Model(parse.GetValue(model)!), r);
            return 0;
        }));
        return command;
    }

    private static void Run(Kml.Machine.CycleModel model, int runs)
    {
        string binary = BenchHost.Compile("copy64k");
        var measured = new Dictionary<int, (double Emulated, double Host, long Records)>();
        foreach (var level in new[] { ProtectionLevel.One, ProtectionLevel.Two, ProtectionLevel.Five })
        {
            Console.Error.WriteLine($"kml bench copy: {level}");
            var mode = new GuestMode($"level {level.Number}", level, level.DefaultSyscallEntry);
            var run = BenchHost.Run(binary, [runs.ToString(CultureInfo.InvariantCulture)], mode, model);
            var w = run.Stdout.Trim().Split(' ');
            if (w.Length != 3 || w[0] != "copy64k") throw new InvalidDataException($"copy64k: unexpected output \"{run.Stdout.Trim()}\"");
            measured[level.Number] = (double.Parse(w[1], CultureInfo.InvariantCulture), double.Parse(w[2], CultureInfo.InvariantCulture), run.Statistics.RecoveryRecords);
        }
        double five = measured[5].Emulated;
        var t = new Table().Title($"copy a 64 KiB file in 8 KiB blocks: µs per copy (median of {runs}), each protection level, the same binary")
            .AddColumn("level").AddColumn("what it is").AddColumn(new TableColumn("emulated").RightAligned()).AddColumn(new TableColumn("÷ level 5 (emulated)").RightAligned())
            .AddColumn(new TableColumn("host").RightAligned()).AddColumn(new TableColumn("recovery-log records").RightAligned());
        foreach (var level in ProtectionLevel.All)
        {
            if (!measured.TryGetValue(level.Number, out var m))
            {
                t.AddRow(level.Number.ToString(CultureInfo.InvariantCulture), Markup.Escape(level.Summary), "TAL binaries only", "", "", "");
                continue;
            }
            t.AddRow(level.Number.ToString(CultureInfo.InvariantCulture), Markup.Escape(level.Summary), $"{m.Emulated:0.0}", $"{m.Emulated / five:0.00}×",
                $"{m.Host:0.0}", m.Records.ToString("N0", CultureInfo.InvariantCulture));
        }
        BenchHost.Console().Write(t);
        Console.WriteLine($"Paper (NetBSD file-system modules on a SPARCstation 5): level 1 took {PaperNumbers.CopyLevel1OverLevel5Smfs:0}× level 5 for SMFS (a RAM disk) and " +
            $"{PaperNumbers.CopyLevel1OverLevel5Snfs:0.0}× for SNFS (NFS); their levels were other mechanisms (shared-memory protection, replication, address-space switches, logging, deadlock checks). " +
            $"Cycle model {model.Name}. {BenchHost.MachineLine()}");
    }
}
