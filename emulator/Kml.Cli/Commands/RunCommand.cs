using System.CommandLine;
using Kml.Kernel;
using Spectre.Console;

namespace Kml.Cli.Commands;

/// <summary>
/// <c>kml run [--mode user|kernel] [--protection N] [--syscall int80|sysenter] [--root DIR] [--stats] BINARY -- ARGS</c>.
/// A TAL object (an ELF with a .kml.tal section) is checked first and runs in ring 0 by default (protection level 4);
/// a plain static binary runs in ring 3.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var mode = new Option<string?>("--mode") { Description = "where the program runs: user (ring 3) or kernel (ring 0; TAL programs the checker accepts). Default: kernel for a TAL program, user otherwise" };
        mode.AcceptOnlyFromAmong("user", "kernel");
        var protection = new Option<int?>("--protection") { Description = "protection level: 2 = ring 3 (classic), 4 = ring 0 verified (the default for TAL); 1, 3 and 5 come with ring-0 processes" };
        var monitor = new Option<bool>("--monitor") { Description = "diagnostic: run a TAL program under the run-time safety monitor (slow)", Hidden = true };
        var syscall = new Option<string>("--syscall") { Description = "how __kernel_vsyscall enters the kernel", DefaultValueFactory = _ => "sysenter" };
        syscall.AcceptOnlyFromAmong("int80", "sysenter");
        var root = new Option<string?>("--root") { Description = "host directory imported read-only as the guest's / (and current directory)" };
        var genTree = new Option<int>("--gen-tree") { Description = "fill the root with a generated tree of N files (benchmarks)" };
        var memory = new Option<int>("--memory") { Description = "guest physical memory in MiB", DefaultValueFactory = _ => 512 };
        var stats = new Option<bool>("--stats") { Description = "print instructions, ring transitions, system calls and times to stderr" };
        var statsJson = new Option<string?>("--stats-json") { Description = "write the statistics as JSON to FILE (for kml bench)" };
        var trace = new Option<bool>("--trace") { Description = "print kernel diagnostics (rejected execve images, unsupported requests)" };
        var binary = new Argument<string>("BINARY") { Description = "a static i386 ELF executable (host path)" };
        var args = new Argument<string[]>("ARGS") { Description = "arguments after --; the guest's argv[0] is BINARY", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("run", "Run a static i386 Linux program on the emulated machine and kernel.")
        {
            mode, protection, monitor, syscall, root, genTree, memory, stats, statsJson, trace, binary, args,
        };
        // System.CommandLine's default handler would print exceptions with stack traces; ErrorReporting makes them one line.
        command.SetAction(parse => ErrorReporting.Run(() =>
        {
            string path = parse.GetValue(binary)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file");
            bool tal = KmlKernel.IsTalProgram(path);
            var executionMode = ChooseMode(parse.GetValue(mode), parse.GetValue(protection), tal);
            int mib = parse.GetValue(memory);
            if (mib < 16 || mib > 2048) throw new InvalidDataException($"--memory {mib}: expected 16 to 2048 (MiB)");
            string? rootDir = parse.GetValue(root);
            if (rootDir != null && !Directory.Exists(rootDir)) throw new DirectoryNotFoundException($"{rootDir}: no such directory (--root)");
            var options = new KernelOptions
            {
                Mode = executionMode,
                SyscallEntry = parse.GetValue(syscall) == "int80" ? SyscallEntry.Int80 : SyscallEntry.Sysenter,
                RootDirectory = rootDir,
                GeneratedTreeFiles = parse.GetValue(genTree),
                PhysicalMemorySize = (uint)mib << 20,
                Trace = parse.GetValue(trace),
                Tal = new Kml.Kernel.Tal.TalOptions { Monitor = parse.GetValue(monitor) },
            };
            var argv = new List<string> { path };
            argv.AddRange(parse.GetValue(args) ?? []);
            using var kernel = new KmlKernel(options);
            int status = kernel.Run(path, argv);
            if (parse.GetValue(stats)) PrintStatistics(kernel.Statistics, options, kernel.TalReport);
            if (parse.GetValue(statsJson) is { } jsonPath) WriteJson(kernel.Statistics, jsonPath);
            return status;
        }));
        return command;
    }

    /// <summary>The ring from --mode and --protection (they must agree); TAL programs default to ring 0 (level 4).</summary>
    private static ExecutionMode ChooseMode(string? mode, int? level, bool tal)
    {
        ExecutionMode? fromLevel = level switch
        {
            null => null,
            2 => ExecutionMode.User,
            4 => ExecutionMode.Kernel,
            1 or 3 or 5 => throw new NotSupportedException($"--protection {level}: levels 1 (KPTI), 3 (ring 0 with the recovery log) and 5 (ring 0 unverified) come with ring-0 processes; use 2 or 4"),
            _ => throw new InvalidDataException($"--protection {level}: expected a level from 1 to 5"),
        };
        ExecutionMode? fromMode = mode switch { null => null, "kernel" => ExecutionMode.Kernel, _ => ExecutionMode.User };
        if (fromLevel != null && fromMode != null && fromLevel != fromMode)
            throw new InvalidDataException($"--mode {mode} contradicts --protection {level}");
        var chosen = fromLevel ?? fromMode ?? (tal ? ExecutionMode.Kernel : ExecutionMode.User);
        if (chosen == ExecutionMode.Kernel && !tal)
            throw new NotSupportedException("--mode kernel (ring-0 processes for plain binaries, KML style) is not implemented yet; it runs TAL programs the checker accepts. Use --mode user");
        return chosen;
    }

    private static void WriteJson(KernelStatistics s, string path)
    {
        var data = new Dictionary<string, object>
        {
            ["instructions"] = s.Instructions,
            ["cycles"] = s.Cycles,
            ["clockHz"] = s.ClockHz,
            ["emulatedSeconds"] = s.EmulatedSeconds,
            ["hostSeconds"] = s.HostTime.TotalSeconds,
            ["hostSecondsInCpu"] = s.HostTimeInCpu.TotalSeconds,
            ["importSeconds"] = s.ImportTime.TotalSeconds,
            ["syscalls"] = s.SyscallsByName().ToDictionary(c => c.Name, c => c.Count),
            ["transitions"] = s.Transitions,
        };
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(data));
    }

    private static void PrintStatistics(KernelStatistics s, KernelOptions options, Kml.Kernel.Tal.TalRunReport? tal)
    {
        Console.Out.Flush();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), ColorSystem = ColorSystemSupport.NoColors });
        var summary = new Table().Title("kml run").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        string entry = options.SyscallEntry == SyscallEntry.Sysenter ? "sysenter" : "int 0x80";
        summary.AddRow("mode", tal == null ? $"user (ring 3), {entry}"
            : tal.Ring0 ? "TAL program, ring 0 (protection level 4: verified, import calls are direct calls)"
            : $"TAL program, ring 3 (protection level 2: import calls through trampolines, {entry})");
        if (tal != null)
        {
            summary.AddRow("TAL checker", tal.Accepted ? "accepted" : $"rejected ({tal.Diagnostics.Count} errors)");
            summary.AddRow("TAL heap", $"{tal.HeapObjects:N0} objects, {tal.HeapBytes:N0} bytes");
            if (options.Tal.Monitor) summary.AddRow("safety monitor", $"{tal.MonitoredAccesses:N0} accesses, {tal.MonitoredTransfers:N0} transfers, {tal.Violations.Count} violations");
        }
        summary.AddRow("guest instructions", s.Instructions.ToString("N0"));
        summary.AddRow("emulated cycles", s.Cycles.ToString("N0"));
        summary.AddRow("emulated time (cycle model)", $"{s.EmulatedSeconds * 1000:F3} ms at {s.ClockHz / 1e9:F2} GHz");
        summary.AddRow("host time", $"{s.HostTime.TotalMilliseconds:F1} ms");
        summary.AddRow("host time in the CPU / in the kernel", $"{s.HostTimeInCpu.TotalMilliseconds:F1} ms / {(s.HostTime - s.HostTimeInCpu).TotalMilliseconds:F1} ms");
        summary.AddRow("host MIPS", $"{s.HostMips:F1}");
        if (options.RootDirectory != null) summary.AddRow("--root import", $"{s.ImportedEntries:N0} entries in {s.ImportTime.TotalMilliseconds:F1} ms");
        summary.AddRow("processes", s.ProcessesCreated.ToString());
        summary.AddRow("context switches", s.ContextSwitches.ToString("N0"));
        summary.AddRow("page faults resolved", s.PageFaults.ToString("N0"));
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
        console.Write(calls);
        if (tal != null && tal.Calls.Count > 0)
        {
            var entries = new Table().Title("kernel interface (TAL imports)").AddColumn("entry").AddColumn(new TableColumn("count").RightAligned());
            foreach (var (name, count) in tal.Calls.OrderByDescending(c => c.Value))
                entries.AddRow(Markup.Escape(name), count.ToString("N0"));
            console.Write(entries);
        }
    }
}
