using System.CommandLine;
using System.Globalization;
using Kml.Compiler;
using Kml.Kernel;
using Spectre.Console;

namespace Kml.Cli.Commands.Bench;

/// <summary>
/// <c>kml bench copy</c>: the multi-level protection paper's experiment, copying a 64 KiB file in 8 KiB blocks, with the
/// same C binary at each protection level it can run at (1, 2 and 5; 3 and 4 are for TAL binaries), and the same
/// algorithm in C# compiled to a TAL binary at all five.
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

    /// <summary>One binary at one level: emulated µs per copy (median), host µs per copy (C only), the whole run's host time and log records.</summary>
    private sealed record Measured(double Emulated, double? Host, double HostRunMs, long Records);

    private static void Run(Kml.Machine.CycleModel model, int runs)
    {
        string binary = BenchHost.Compile("copy64k");
        string arg = runs.ToString(CultureInfo.InvariantCulture);
        var c = new Dictionary<int, Measured>();
        foreach (var level in new[] { ProtectionLevel.One, ProtectionLevel.Two, ProtectionLevel.Five })
        {
            Console.Error.WriteLine($"kml bench copy: C, {level}");
            var run = BenchHost.Run(binary, [arg], Mode(level), model);
            var w = run.Stdout.Trim().Split(' ');
            if (w.Length != 3 || w[0] != "copy64k") throw new InvalidDataException($"copy64k: unexpected output \"{run.Stdout.Trim()}\"");
            c[level.Number] = new(Parse(w[1]), Parse(w[2]), run.Statistics.HostTime.TotalMilliseconds, run.Statistics.RecoveryRecords);
        }
        var tal = new Dictionary<int, Measured>();
        string work = Directory.CreateTempSubdirectory("kml-bench-copy-").FullName;
        try
        {
            string elf = Path.Combine(work, "Copy64k.elf");
            File.WriteAllBytes(elf, CompileCSharp());
            foreach (var level in ProtectionLevel.All)
            {
                Console.Error.WriteLine($"kml bench copy: C# (TAL), {level}");
                var run = BenchHost.Run(elf, [arg], Mode(level), model);
                var w = run.Stdout.Trim().Split(' ');
                if (w.Length != 2 || w[0] != "copy64k") throw new InvalidDataException($"Copy64k.cs: unexpected output \"{run.Stdout.Trim()}\"");
                tal[level.Number] = new(Parse(w[1]), null, run.Statistics.HostTime.TotalMilliseconds, run.Statistics.RecoveryRecords);
            }
        }
        finally
        {
            Directory.Delete(work, true);
        }
        var t = new Table().Title($"copy a 64 KiB file in 8 KiB blocks: µs per copy (median of {runs}), each protection level; EMULATED time (cycle model {model.Name}) and HOST time")
            .AddColumn("binary").AddColumn("level").AddColumn("what it is").AddColumn(new TableColumn("emulated µs").RightAligned())
            .AddColumn(new TableColumn("÷ own level 5").RightAligned()).AddColumn(new TableColumn("host µs").RightAligned())
            .AddColumn(new TableColumn("host ms (run)").RightAligned()).AddColumn(new TableColumn("log records").RightAligned());
        AddRows(t, "C (gcc -O2)", c);
        t.AddEmptyRow();
        AddRows(t, "C# (KML TAL)", tal);
        BenchHost.Console().Write(t);
        Console.WriteLine("C: samples/c/bench/copy64k.c (gcc -m32 -O2 -static), a plain ELF: levels 3 and 4 run only TAL binaries. C#: samples/bench/copy/Copy64k.cs, " +
            "compiled by the KML compiler now; the same TAL binary at every level (1-2 ring 3, 3-4 ring 0 after the checker, 5 ring 0 unverified). " +
            "Host µs per copy needs the kml host clock, which the C program reads (clock 0x4B4D) and the Kml API does not offer; the whole run's host time " +
            "(kernel statistics) covers start-up, the file's creation, the warm-up copy, the check and all copies.");
        Console.WriteLine($"Paper (NetBSD file-system modules on a SPARCstation 5): level 1 took {PaperNumbers.CopyLevel1OverLevel5Smfs:0}× level 5 for SMFS (a RAM disk) and " +
            $"{PaperNumbers.CopyLevel1OverLevel5Snfs:0.0}× for SNFS (NFS); their levels were other mechanisms (shared-memory protection, replication, address-space switches, logging, deadlock checks). " +
            $"Cycle model {model.Name}. {BenchHost.MachineLine()}");
    }

    private static GuestMode Mode(ProtectionLevel level) => new($"level {level.Number}", level, level.DefaultSyscallEntry);

    private static double Parse(string word) => double.Parse(word, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void AddRows(Table t, string binary, Dictionary<int, Measured> measured)
    {
        double five = measured[5].Emulated;
        foreach (var level in ProtectionLevel.All)
        {
            string n = level.Number.ToString(CultureInfo.InvariantCulture);
            if (!measured.TryGetValue(level.Number, out var m))
            {
                t.AddRow(binary, n, Markup.Escape(level.Summary), "TAL binaries only", "", "", "", "");
                continue;
            }
            t.AddRow(binary, n, Markup.Escape(level.Summary), $"{m.Emulated:0.00}", $"{m.Emulated / five:0.00}×", m.Host is { } h ? $"{h:0.0}" : "n/a",
                $"{m.HostRunMs:0}", m.Records.ToString("N0", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>samples/bench/copy/Copy64k.cs with the KML compiler (in process, every run: the compiler is part of what is exercised).</summary>
    private static byte[] CompileCSharp()
    {
        string source = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(BenchHost.BenchSources)!)!, "bench", "copy", "Copy64k.cs");
        if (!File.Exists(source)) throw new FileNotFoundException($"{source}: no such file (kml bench copy runs from a checkout of the repository)");
        var result = KmlCompiler.CompileFilesAsync([source]).GetAwaiter().GetResult();
        if (!result.Success) throw new InvalidDataException(string.Join("\n", result.Errors));
        return result.Elf!;
    }
}
