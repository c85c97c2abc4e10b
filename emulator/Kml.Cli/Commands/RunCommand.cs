using System.CommandLine;
using Kml.Kernel;
using Spectre.Console;

namespace Kml.Cli.Commands;

/// <summary>
/// <c>kml run [--mode user|kernel] [--protection 1-5] [--syscall int80|sysenter|call] [--cpu-model pentium4|modern]
/// [--root DIR] [--stats] BINARY -- ARGS</c>. A TAL binary (an ELF with a .kml.tal section) is checked first and runs in
/// ring 0 by default (protection level 4); a plain static binary runs in ring 3 (level 2).
/// </summary>
internal static class RunCommand
{
    public static Command Create() => Create(out _);

    /// <summary>Parses <paramref name="args"/> (<c>run ...</c>) with System.CommandLine alone: the settings, or null when
    /// the command line has errors or names another command. Tests hold <see cref="RunSettings.TryParseSimple"/> to it.</summary>
    internal static RunSettings? ParseWithSystemCommandLine(string[] args)
    {
        var run = Create(out var read);
        var result = new RootCommand { Subcommands = { run } }.Parse(args);
        return result.Errors.Count == 0 && result.CommandResult.Command == run ? read(result) : null;
    }

    private static Command Create(out Func<ParseResult, RunSettings> read)
    {
        var mode = new Option<string?>("--mode") { Description = "where the program runs: user (ring 3, protection level 2; the default for a plain binary) or kernel (ring 0, KML: level 5 for a plain binary, 4 for a TAL binary, its default)" };
        mode.AcceptOnlyFromAmong(RunSettings.Modes);
        var protection = new Option<int?>("--protection") { Description = "protection level: 1 ring 3 + KPTI, 2 ring 3 (classic), 3/4 ring 0 TAL-verified (TAL binaries), 5 ring 0 unverified" };
        var syscall = new Option<string?>("--syscall") { Description = "how __kernel_vsyscall enters the kernel: int80, sysenter (default in ring 3) or call (KML's direct call; ring 0 only, its default)" };
        syscall.AcceptOnlyFromAmong(RunSettings.SyscallEntries);
        var cpuModel = new Option<string>("--cpu-model") { Description = "cycle model for emulated time: pentium4 (3.0 GHz, the papers' machine) or modern", DefaultValueFactory = _ => RunSettings.DefaultCpuModel };
        cpuModel.AcceptOnlyFromAmong(RunSettings.CpuModels);
        var timeLimit = new Option<double>("--time-limit") { Description = "kill every guest process after this many emulated seconds (0: no limit)" };
        var root = new Option<string?>("--root") { Description = "host directory imported read-only as the guest's / (and current directory)" };
        var genTree = new Option<int>("--gen-tree") { Description = "fill the root with a generated tree of N files (benchmarks)" };
        var memory = new Option<int>("--memory") { Description = "guest physical memory in MiB", DefaultValueFactory = _ => RunSettings.DefaultMemoryMiB };
        var stats = new Option<bool>("--stats") { Description = "print instructions, ring transitions, system calls and times to stderr" };
        var statsJson = new Option<string?>("--stats-json") { Description = "write the statistics as JSON to FILE (for kml bench)" };
        var trace = new Option<bool>("--trace") { Description = "print kernel diagnostics (rejected execve images, unsupported requests)" };
        var monitor = new Option<bool>("--monitor") { Description = "diagnostic: run a TAL program under the run-time safety monitor (slow)", Hidden = true };
        var binary = new Argument<string>("BINARY") { Description = "a static i386 ELF executable (host path)" };
        var args = new Argument<string[]>("ARGS") { Description = "arguments after --; the guest's argv[0] is BINARY", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("run", "Run a static i386 Linux program on the emulated machine and kernel.")
        {
            mode, protection, syscall, cpuModel, timeLimit, root, genTree, memory, stats, statsJson, trace, monitor, binary, args,
        };
        read = parse => new RunSettings
        {
            Mode = parse.GetValue(mode),
            Protection = parse.GetValue(protection),
            Syscall = parse.GetValue(syscall),
            CpuModel = parse.GetValue(cpuModel)!,
            TimeLimit = parse.GetValue(timeLimit),
            Root = parse.GetValue(root),
            GenTree = parse.GetValue(genTree),
            Memory = parse.GetValue(memory),
            Stats = parse.GetValue(stats),
            StatsJson = parse.GetValue(statsJson),
            Trace = parse.GetValue(trace),
            Monitor = parse.GetValue(monitor),
            Binary = parse.GetValue(binary)!,
            Args = parse.GetValue(args) ?? [],
        };
        var settings = read;
        // System.CommandLine's default handler would print exceptions with stack traces; ErrorReporting makes them one line.
        command.SetAction(parse => ErrorReporting.Run(() => Execute(settings(parse))));
        return command;
    }

    /// <summary>Runs the program the settings name (from System.CommandLine or <see cref="RunSettings.TryParseSimple"/>).</summary>
    public static int Execute(RunSettings run)
    {
        string path = run.Binary;
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file");
        // Read once: the TAL check, the ELF validation and the kernel all look at the same bytes.
        var image = File.ReadAllBytes(path);
        bool tal = KmlKernel.IsTalProgram(image);
        ExecutionMode? executionMode = run.Mode switch { "kernel" => ExecutionMode.Kernel, "user" => ExecutionMode.User, _ => null };
        // A TAL binary runs in ring 0 (level 4) unless told otherwise.
        if (tal && executionMode == null && run.Protection == null) executionMode = ExecutionMode.Kernel;
        var level = ProtectionLevel.Resolve(executionMode, run.Protection, talBinary: tal, path);
        SyscallEntry? entry = run.Syscall switch
        {
            "int80" => SyscallEntry.Int80, "sysenter" => SyscallEntry.Sysenter, "call" => SyscallEntry.Call, _ => null,
        };
        if (entry is { } e) level.Validate(e);
        double limit = run.TimeLimit;
        if (limit < 0 || double.IsNaN(limit)) throw new InvalidDataException($"--time-limit {limit}: expected a number of seconds ≥ 0");
        int mib = run.Memory;
        if (mib < 16 || mib > 2048) throw new InvalidDataException($"--memory {mib}: expected 16 to 2048 (MiB)");
        string? rootDir = run.Root;
        if (rootDir != null && !Directory.Exists(rootDir)) throw new DirectoryNotFoundException($"{rootDir}: no such directory (--root)");
        var options = new KernelOptions
        {
            Protection = level,
            SyscallEntry = entry,
            CycleModel = run.CpuModel == "modern" ? Kml.Machine.CycleModel.Modern : Kml.Machine.CycleModel.Pentium4,
            TimeLimitSeconds = limit,
            RootDirectory = rootDir,
            GeneratedTreeFiles = run.GenTree,
            PhysicalMemorySize = (uint)mib << 20,
            Trace = run.Trace,
            Tal = new Kml.Kernel.Tal.TalOptions { Monitor = run.Monitor },
        };
        var argv = new List<string>(run.Args.Length + 1) { path };
        argv.AddRange(run.Args);
        using var kernel = new KmlKernel(options);
        int status = kernel.Run(path, image, argv);
        if (run.Stats) PrintStatistics(kernel.Statistics, options, kernel.TalReport);
        if (run.StatsJson is { } jsonPath) WriteJson(kernel.Statistics, jsonPath);
        return status;
    }

    /// <summary>Writes the statistics as one JSON object. Written with <see cref="System.Text.Json.Utf8JsonWriter"/> rather than
    /// the reflection-based serializer, which cost a short run tens of milliseconds of start-up.</summary>
    private static void WriteJson(KernelStatistics s, string path)
    {
        using var file = File.Create(path);
        using var w = new System.Text.Json.Utf8JsonWriter(file);
        w.WriteStartObject();
        w.WriteNumber("instructions", s.Instructions);
        w.WriteNumber("cycles", s.Cycles);
        w.WriteNumber("clockHz", s.ClockHz);
        w.WriteNumber("emulatedSeconds", s.EmulatedSeconds);
        w.WriteNumber("hostSeconds", s.HostTime.TotalSeconds);
        w.WriteNumber("hostSecondsInCpu", s.HostTimeInCpu.TotalSeconds);
        w.WriteNumber("importSeconds", s.ImportTime.TotalSeconds);
        w.WriteString("protectionLevel", s.ProtectionLevel);
        w.WriteString("syscallEntry", s.SyscallEntry);
        w.WriteString("cycleModel", s.CycleModel);
        w.WriteNumber("recoveryRecords", s.RecoveryRecords);
        w.WriteNumber("recoveryUndone", s.RecoveryUndone);
        w.WriteStartObject("syscalls");
        foreach (var (name, count, _) in s.SyscallsByName()) w.WriteNumber(name, count);
        w.WriteEndObject();
        w.WriteStartObject("transitions");
        foreach (var (kind, count) in s.Transitions) w.WriteNumber(kind, count);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void PrintStatistics(KernelStatistics s, KernelOptions options, Kml.Kernel.Tal.TalRunReport? tal)
    {
        Console.Out.Flush();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), ColorSystem = ColorSystemSupport.NoColors });
        if (Console.IsErrorRedirected) console.Profile.Width = 160;   // one line per row in logs
        var summary = new Table().Title("kml run").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        summary.AddRow("protection", Markup.Escape(s.ProtectionLevel));
        if (tal != null)
        {
            summary.AddRow("TAL import calls", tal.Ring0 ? "ring 0, direct calls" : "ring 3, trampolines");
            summary.AddRow("TAL checker", tal.Accepted ? "accepted" : $"rejected ({tal.Diagnostics.Count} errors)");
            summary.AddRow("TAL heap", $"{tal.HeapObjects:N0} objects, {tal.HeapBytes:N0} bytes");
            if (options.Tal.Monitor) summary.AddRow("safety monitor", $"{tal.MonitoredAccesses:N0} accesses, {tal.MonitoredTransfers:N0} transfers, {tal.Violations.Count} violations");
        }
        else summary.AddRow("system-call entry", s.SyscallEntry);
        summary.AddRow("cycle model", Markup.Escape(s.CycleModel));
        summary.AddRow("hot blocks translated to", Kml.Machine.Cpu.DefaultNativeTranslation ? "x86-64 machine code" : "IL (compiled by the .NET JIT)");
        summary.AddRow("guest instructions", s.Instructions.ToString("N0"));
        summary.AddRow("emulated cycles", s.Cycles.ToString("N0"));
        summary.AddRow("emulated time (cycle model)", $"{s.EmulatedSeconds * 1000:F3} ms at {s.ClockHz / 1e9:F2} GHz");
        summary.AddRow("host time", $"{s.HostTime.TotalMilliseconds:F1} ms");
        summary.AddRow("host time in the CPU / in the kernel", $"{s.HostTimeInCpu.TotalMilliseconds:F1} ms / {(s.HostTime - s.HostTimeInCpu).TotalMilliseconds:F1} ms");
        summary.AddRow("host MIPS", $"{s.HostMips:F1}");
        // The .NET JIT's work in this process: translated blocks plus whatever of the emulator was not precompiled.
        summary.AddRow("host JIT (whole process, all threads)", $"{System.Runtime.JitInfo.GetCompiledMethodCount():N0} methods, {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F1} ms");
        if (options.RootDirectory != null) summary.AddRow("--root import", $"{s.ImportedEntries:N0} entries in {s.ImportTime.TotalMilliseconds:F1} ms");
        summary.AddRow("processes", s.ProcessesCreated.ToString());
        summary.AddRow("context switches", s.ContextSwitches.ToString("N0"));
        summary.AddRow("page faults resolved", s.PageFaults.ToString("N0"));
        if (s.RecoveryRecords > 0 || s.RecoveryUndone > 0)
            summary.AddRow("recovery log", $"{s.RecoveryRecords:N0} records, {s.RecoveryUndone:N0} undone");
        summary.AddRow("peak physical pages", $"{s.PeakPages:N0} ({s.PeakPages * 4 / 1024.0:F1} MiB)");
        console.Write(summary);

        var transitions = new Table().Title("ring transitions and kernel events").AddColumn("kind").AddColumn(new TableColumn("count").RightAligned());
        foreach (var (kind, count) in s.Transitions.OrderByDescending(t => t.Value))
            transitions.AddRow(Markup.Escape(kind), count.ToString("N0"));
        console.Write(transitions);

        var calls = new Table().Title("system calls").AddColumn("name").AddColumn(new TableColumn("count").RightAligned()).AddColumn("");
        foreach (var (name, count, implemented) in s.SyscallsByName().OrderByDescending(c => c.Count))
            calls.AddRow(Markup.Escape(name), count.ToString("N0"), implemented ? "" : "ENOSYS (not implemented)");
        if (s.UnknownSyscallNumbers > 0) calls.AddRow("(numbers outside the table)", s.UnknownSyscallNumbers.ToString("N0"), "ENOSYS");
        if (tal == null) console.Write(calls);
        else if (tal.Calls.Count > 0)
        {
            var entries = new Table().Title("TAL imports").AddColumn("entry").AddColumn(new TableColumn("count").RightAligned());
            foreach (var (name, count) in tal.Calls.OrderByDescending(c => c.Value))
                entries.AddRow(Markup.Escape(name), count.ToString("N0"));
            console.Write(entries);
        }
    }
}
