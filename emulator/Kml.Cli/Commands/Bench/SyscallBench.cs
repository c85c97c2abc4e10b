using System.CommandLine;
using System.Globalization;
using Kml.Kernel;
using Kml.Machine;
using Spectre.Console;

namespace Kml.Cli.Commands.Bench;

/// <summary>
/// <c>kml bench syscall</c>: lmbench-style system-call latency (getpid, read, write, fstat) of the same C binary through
/// int 0x80, sysenter, sysenter with KPTI, and KML's direct call, beside the paper's table. The kernel-side work of
/// each call was calibrated once from the paper's KML column (<c>--calibrate</c> recomputes it); the transition costs
/// come only from the cycle model, so the sysenter column is a prediction checked against the paper's.
/// </summary>
internal static class SyscallBench
{
    /// <summary>The bench's rows and the system calls behind them (fstat is fstat64(2), as the paper's glibc made it).</summary>
    public static readonly (string Row, string Syscall)[] Calls = [("getpid", "getpid"), ("read", "read"), ("write", "write"), ("fstat", "fstat64")];

    public static Command Create()
    {
        var iterations = new Option<int>("--iterations") { Description = "calls per timed loop", DefaultValueFactory = _ => 200_000 };
        var runs = new Option<int>("--runs") { Description = "timed loops per call (the median is reported)", DefaultValueFactory = _ => 5 };
        var model = new Option<string>("--cpu-model") { Description = "cycle model: pentium4 (the papers' machine) or modern", DefaultValueFactory = _ => "pentium4" };
        model.AcceptOnlyFromAmong("pentium4", "modern");
        var calibrate = new Option<bool>("--calibrate") { Description = "recompute the kernel-side work of each call from the paper's KML column (pentium4 only)" };
        var quick = new Option<bool>("--quick") { Description = "20,000 calls × 3 loops (seconds)" };
        var command = new Command("syscall", "System-call latency (getpid, read, write, fstat), ns per call: int 0x80, sysenter, KPTI, KML call; beside the paper.")
        {
            iterations, runs, model, calibrate, quick,
        };
        command.SetAction(parse => ErrorReporting.Run(() =>
        {
            bool q = parse.GetValue(quick);
            int n = q ? 20_000 : parse.GetValue(iterations), r = q ? 3 : parse.GetValue(runs);
            if (n <= 0 || r is <= 0 or > 64) throw new InvalidDataException($"--iterations {n} --runs {r}: expected iterations > 0 and 1 to 64 runs");
            var cycleModel = BenchHost.Model(parse.GetValue(model)!);
            if (parse.GetValue(calibrate))
            {
                if (cycleModel != CycleModel.Pentium4) throw new InvalidDataException("--calibrate: the calibration is against the paper's Pentium 4; use --cpu-model pentium4");
                Calibrate(n, r);
            }
            else Print(Measure(cycleModel, n, r), cycleModel, n, r);
            return 0;
        }));
        return command;
    }

    /// <summary>Per mode, per row: (emulated ns, host ns) per call.</summary>
    public static Dictionary<GuestMode, Dictionary<string, (double Emulated, double Host)>> Measure(CycleModel model, int iterations, int runs, KernelCostModel? costs = null)
    {
        string binary = BenchHost.Compile("syscall_bench");
        var results = new Dictionary<GuestMode, Dictionary<string, (double, double)>>();
        foreach (var mode in new[] { GuestMode.Int80, GuestMode.Sysenter, GuestMode.Kpti, GuestMode.KmlCall })
        {
            Console.Error.WriteLine($"kml bench syscall: {mode.Label} ({mode.Level})");
            var run = BenchHost.Run(binary, [iterations.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture)], mode, model, costs);
            results[mode] = Parse(run.Stdout);
        }
        return results;
    }

    private static Dictionary<string, (double, double)> Parse(string output)
    {
        var rows = new Dictionary<string, (double, double)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var w = line.Split(' ');
            if (w.Length != 3) throw new InvalidDataException($"syscall_bench: unexpected output line \"{line}\"");
            rows[w[0]] = (double.Parse(w[1], CultureInfo.InvariantCulture), double.Parse(w[2], CultureInfo.InvariantCulture));
        }
        return rows;
    }

    private static void Print(Dictionary<GuestMode, Dictionary<string, (double Emulated, double Host)>> r, CycleModel model, int iterations, int runs)
    {
        var console = BenchHost.Console();
        bool p4 = model == CycleModel.Pentium4;
        var t = new Table().Title($"system-call latency, ns per call, EMULATED time ({model.Name} cycle model, {model.ClockHz / 1e9:0.0} GHz): median of {runs} loops of {iterations:N0} calls")
            .AddColumn("call").AddColumn(new TableColumn("int 0x80").RightAligned()).AddColumn(new TableColumn("sysenter").RightAligned());
        if (p4) t.AddColumn(new TableColumn("paper: sysenter").RightAligned()).AddColumn(new TableColumn("predicted / paper").RightAligned());
        t.AddColumn(new TableColumn("KML call").RightAligned());
        if (p4) t.AddColumn(new TableColumn("paper: KML").RightAligned());
        t.AddColumn(new TableColumn("sysenter + KPTI").RightAligned()).AddColumn(new TableColumn("sysenter − KML").RightAligned());
        if (p4) t.AddColumn(new TableColumn("paper: sysenter − KML").RightAligned());
        foreach (var (row, _) in Calls)
        {
            var paper = PaperNumbers.SyscallLatency[row];
            double s = r[GuestMode.Sysenter][row].Emulated, k = r[GuestMode.KmlCall][row].Emulated;
            var cells = new List<string> { row, F(r[GuestMode.Int80][row].Emulated), F(s) };
            if (p4) cells.AddRange([F(paper.Sysenter), $"{s / paper.Sysenter:0.00}×"]);
            cells.Add(F(k));
            if (p4) cells.Add(F(paper.Kml));
            cells.AddRange([F(r[GuestMode.Kpti][row].Emulated), F(s - k)]);
            if (p4) cells.Add(F(paper.Sysenter - paper.Kml));
            t.AddRow(cells.ToArray());
        }
        console.Write(t);
        var h = new Table().Title($"the same runs in HOST time, ns per call (this emulator on this host; median of {runs} loops)")
            .AddColumn("call").AddColumn(new TableColumn("int 0x80").RightAligned()).AddColumn(new TableColumn("sysenter").RightAligned())
            .AddColumn(new TableColumn("KML call").RightAligned()).AddColumn(new TableColumn("sysenter + KPTI").RightAligned());
        foreach (var (row, _) in Calls)
            h.AddRow(row, F(r[GuestMode.Int80][row].Host), F(r[GuestMode.Sysenter][row].Host), F(r[GuestMode.KmlCall][row].Host), F(r[GuestMode.Kpti][row].Host));
        console.Write(h);
        Console.WriteLine(p4
            ? "The kernel-side work of getpid, read, write and fstat64 was calibrated once so that the KML column reproduces the paper's KML column " +
              "(kml bench syscall --calibrate; clamped at 0 where the model's own path already costs more); the transition costs come only from the " +
              "cycle model (int 0x80/iret and sysenter/sysexit round trips measured on Pentium 4s, docs/cycle-model.md). So the sysenter column is a " +
              "prediction checked against the paper's, not a fit."
            : "The modern model has no paper to compare with (the paper measured a Pentium 4). Kernel-side work is the Pentium 4 calibration, in cycles; KPTI without PCID.");
        Console.WriteLine($"int 0x80 and sysenter: protection level 2 (ring 3); sysenter + KPTI: level 1; KML call: level 5 (ring 0). {BenchHost.MachineLine()}");
    }

    private static string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Measures KML mode with no kernel-side work for the four calls, and sets each call's work to what is missing to
    /// reach the paper's KML column: W = paper KML ns × 3 cycles/ns − measured cycles (at least 0).
    /// </summary>
    private static void Calibrate(int iterations, int runs)
    {
        var baseline = KernelCostModel.Calibrated with
        {
            Name = "calibration baseline",
            PerCall = Calls.ToDictionary(c => c.Syscall, _ => 0),
        };
        string binary = BenchHost.Compile("syscall_bench");
        var run = BenchHost.Run(binary, [iterations.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture)], GuestMode.KmlCall, CycleModel.Pentium4, baseline);
        var rows = Parse(run.Stdout);
        double cyclesPerNs = CycleModel.Pentium4.ClockHz / 1e9;
        var t = new Table().Title("calibration of the kernel-side work (KML call, Pentium 4 model, EMULATED time)")
            .AddColumn("call").AddColumn("system call").AddColumn(new TableColumn("without kernel work (ns)").RightAligned())
            .AddColumn(new TableColumn("paper: KML (ns)").RightAligned()).AddColumn(new TableColumn("kernel work (cycles)").RightAligned()).AddColumn("");
        var lines = new List<string>();
        foreach (var (row, syscall) in Calls)
        {
            double measured = rows[row].Item1, paper = PaperNumbers.SyscallLatency[row].Kml;
            double w = Math.Round((paper - measured) * cyclesPerNs);
            t.AddRow(row, syscall, F(measured), F(paper), Math.Max(0, w).ToString(CultureInfo.InvariantCulture),
                w < 0 ? $"clamped: the model's own path is {F(measured - paper)} ns over the paper" : "");
            lines.Add($"            [\"{syscall}\"] = {Math.Max(0, w).ToString(CultureInfo.InvariantCulture)},");
        }
        BenchHost.Console().Write(t);
        Console.WriteLine("KernelCostModel.Calibrated.PerCall (emulator/Kml.Kernel/KernelCostModel.cs, and docs/cycle-model.md):");
        foreach (var l in lines) Console.WriteLine(l);
        Console.WriteLine(BenchHost.MachineLine());
    }
}
