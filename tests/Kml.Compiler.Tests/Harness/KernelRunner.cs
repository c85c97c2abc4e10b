using System.Runtime.CompilerServices;

namespace Kml.Compiler.Tests.Harness;

/// <summary>
/// Runs a compiled program on the emulated machine and kernel through the `kml` launcher: <c>kml run PROG.elf</c>
/// (ring 0, verified) or <c>kml run --mode user PROG.elf</c> (ring 3). Whether the kernel can run TAL binaries at
/// all is probed once with a tiny compiled program; until it can, the tests of that mode are skipped with the
/// probe's outcome as the reason (never passed).
/// </summary>
public static class KernelRunner
{
    public const string Ring0 = "kernel";
    public const string Ring3 = "user";

    private static readonly Dictionary<string, Lazy<string?>> Probes = new()
    {
        [Ring0] = new Lazy<string?>(() => Probe(Ring0)),
        [Ring3] = new Lazy<string?>(() => Probe(Ring3)),
    };

    public static string RepositoryRoot([CallerFilePath] string here = "")
    {
        for (var d = new DirectoryInfo(Path.GetDirectoryName(here)!); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Kml.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Kml.sln not found");
    }

    /// <summary>Null when the kernel runs TAL binaries in this mode, else why not.</summary>
    public static string? Unsupported(string mode) => Probes[mode].Value;

    public static ProgramRun Run(byte[] elf, string mode, string stdin = "", int timeoutSeconds = 120)
    {
        var dir = Directory.CreateTempSubdirectory("kml-kernel-").FullName;
        try
        {
            var path = Path.Combine(dir, "program.elf");
            File.WriteAllBytes(path, elf);
            var args = mode == Ring3 ? new[] { "run", "--mode", "user", path } : ["run", path];
            return CoreClrRunner.Execute(Path.Combine(RepositoryRoot(), "kml"), args, dir, stdin, timeoutSeconds);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static string? Probe(string mode)
    {
        try
        {
            var result = KmlCompiler.CompileAsync([new SourceFile("Probe.cs", "static class Program { static void Main() { System.Console.WriteLine(\"probe\"); } }")])
                .GetAwaiter().GetResult();
            if (!result.Success) return "the probe program does not compile: " + string.Join("; ", result.Errors);
            var run = Run(result.Elf!, mode, timeoutSeconds: 600);
            if (run.ExitCode == 0 && run.Stdout == "probe\n") return null;
            var why = run.Stderr.Split('\n').FirstOrDefault(l => l.Length > 0) ?? "";
            return $"the emulated kernel does not run TAL binaries in {(mode == Ring0 ? "ring 0 (kml run)" : "ring 3 (kml run --mode user)")} yet: " +
                $"the probe printed '{run.Stdout.Trim()}' and exited with {run.ExitCode} ({why.Trim()})";
        }
        catch (Exception e)
        {
            return $"kml run could not be started: {e.GetType().Name}: {e.Message}";
        }
    }
}

/// <summary>A theory about running programs in the emulated kernel: skipped (with the probe's reason) while it cannot run TAL binaries in that mode.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute(string mode)
    {
        if (KernelRunner.Unsupported(mode) is { } why) Skip = why;
    }
}

/// <summary>A theory that needs gcc -m32 for the native runner.</summary>
public sealed class NativeTheoryAttribute : TheoryAttribute
{
    public NativeTheoryAttribute()
    {
        if (!Kml.Tal.Tests.Native.NativeRunner.Available) Skip = "the native runner needs gcc -m32 (tests/setup/prerequisites.sh installs it)";
    }
}
