using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Kml.Kernel;
using Kml.Machine;

namespace Kml.Cli.Commands.Bench;

/// <summary>One configuration a guest program runs in: a protection level, a system-call entry, a cycle model.</summary>
internal sealed record GuestMode(string Label, ProtectionLevel Level, SyscallEntry Entry)
{
    public static GuestMode Int80 { get; } = new("int 0x80", ProtectionLevel.Two, SyscallEntry.Int80);
    public static GuestMode Sysenter { get; } = new("sysenter", ProtectionLevel.Two, SyscallEntry.Sysenter);
    public static GuestMode KmlCall { get; } = new("KML call", ProtectionLevel.Five, SyscallEntry.Call);
    public static GuestMode Kpti { get; } = new("sysenter + KPTI", ProtectionLevel.One, SyscallEntry.Sysenter);
}

/// <summary>What a guest run printed and what the kernel counted.</summary>
internal sealed record GuestResult(string Stdout, string Stderr, int ExitCode, KernelStatistics Statistics);

/// <summary>
/// Shared by the `kml bench` experiments: the machine description, the C benchmark programs (compiled with
/// gcc -m32 -O2 -static into a cache), and running a guest program in-process under a given mode.
/// </summary>
internal static class BenchHost
{
    /// <summary>The repository's samples/c/bench directory (found above the CLI's assembly).</summary>
    public static string BenchSources { get; } = FindSources();

    private static string FindSources()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "c", "bench");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Kml.sln"))) return candidate;
        }
        throw new DirectoryNotFoundException($"cannot find samples/c/bench above {AppContext.BaseDirectory} (kml bench runs from a checkout of the repository)");
    }

    /// <summary>The cache root ($KML_CACHE, else ~/.cache/kml).</summary>
    public static string Cache => Environment.GetEnvironmentVariable("KML_CACHE")
        ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "kml");

    /// <summary>Compiles samples/c/bench/NAME.c (with bench_clock.h) once; the binary is cached by the sources' hash.</summary>
    public static string Compile(string name) => CompileC(Path.Combine(BenchSources, name + ".c"), name);

    /// <summary>Compiles the C program <paramref name="source"/> with gcc -m32 -O2 -static (the headers of samples/c/bench
    /// on its include path), once: the binary is cached as <paramref name="cacheName"/>-HASH, HASH covering the flags,
    /// the source and those headers.</summary>
    public static string CompileC(string source, string cacheName)
    {
        if (!File.Exists(source)) throw new FileNotFoundException($"{source}: no such file");
        const string Flags = "-m32 -O2 -static";
        var text = new StringBuilder(Flags).Append('\n').Append(File.ReadAllText(source));
        foreach (var header in Directory.GetFiles(BenchSources, "*.h").Order(StringComparer.Ordinal)) text.Append(File.ReadAllText(header));
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
        string dir = Path.Combine(Cache, "bench");
        string output = Path.Combine(dir, $"{cacheName}-{hash}");
        if (File.Exists(output)) return output;
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string f in Flags.Split(' ')) psi.ArgumentList.Add(f);
        foreach (string a in new[] { source, "-o", output + ".tmp" }) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start gcc");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new FileNotFoundException("gcc: not found (kml bench compiles its C programs with gcc -m32 -O2 -static; install gcc-multilib)");
        }
        using (p)
        {
            string errors = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new InvalidDataException($"{source}: gcc {Flags} failed: {errors.Split('\n').FirstOrDefault(l => l.Contains("error")) ?? errors.Trim()}");
        }
        File.Move(output + ".tmp", output, true);
        return output;
    }

    /// <summary>Runs a guest program in this process (an empty in-memory root unless a tree is asked for).</summary>
    public static GuestResult Run(string binary, IReadOnlyList<string> args, GuestMode mode, CycleModel model, KernelCostModel? costs = null,
        int generatedTree = 0, string? root = null)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        using var kernel = new KmlKernel(new KernelOptions
        {
            Protection = mode.Level,
            SyscallEntry = mode.Entry,
            CycleModel = model,
            KernelCosts = costs,
            GeneratedTreeFiles = generatedTree,
            RootDirectory = root,
            // The programs are small and files live in the kernel's own memory: 64 MiB of guest memory is plenty and
            // boots faster than the default 512 MiB.
            PhysicalMemorySize = 64u << 20,
            Environment = ["PATH=/bin", "HOME=/", "LC_ALL=C", "TZ=UTC"],
            Stdin = new MemoryStream(),
            Stdout = stdout,
            Stderr = stderr,
            Terminal = false,
        });
        var argv = new List<string> { binary };
        argv.AddRange(args);
        int code = kernel.Run(binary, argv);
        var result = new GuestResult(Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()), code, kernel.Statistics);
        if (code != 0)
            throw new InvalidOperationException($"{Path.GetFileName(binary)} {string.Join(' ', args)} ({mode.Label}) failed with status {code}: {result.Stderr.Trim()}");
        return result;
    }

    /// <summary>The host and its load, for the header of every table.</summary>
    public static string MachineLine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        return $"host: {cpu}, {Environment.ProcessorCount} cores, load average {LoadAverage()}; .NET {Environment.Version}";
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        if (v.Count == 0) return double.NaN;
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    /// <summary>The cycle model named on the command line.</summary>
    public static CycleModel Model(string name) => name switch
    {
        "pentium4" => CycleModel.Pentium4,
        "modern" => CycleModel.Modern,
        _ => throw new InvalidDataException($"--cpu-model {name}: expected pentium4 or modern"),
    };

    /// <summary>Spectre output on stdout, plain when redirected.</summary>
    public static Spectre.Console.IAnsiConsole Console()
    {
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(System.Console.Out),
            ColorSystem = System.Console.IsOutputRedirected ? Spectre.Console.ColorSystemSupport.NoColors : Spectre.Console.ColorSystemSupport.Detect,
        });
        if (System.Console.IsOutputRedirected) console.Profile.Width = 180;
        return console;
    }
}
