using Kml.Kernel;
using Kml.Kernel.Tal;

namespace Kml.Compiler.Tests.Harness;

/// <summary>
/// Runs a compiled program in the emulated KML kernel, in this process (<see cref="KmlKernel.RunTal"/>, what
/// <c>kml run PROG.elf</c> does): in ring 0 at protection level 4 (checked, direct calls into the kernel) or in ring 3
/// at level 2 (<c>kml run --mode user</c>). Each run gets a fresh kernel with an empty in-memory root.
/// </summary>
public static class KernelRunner
{
    public const string Ring0 = "kernel";
    public const string Ring3 = "user";

    /// <summary>The environment the guest gets (the same for every run, so output is reproducible).</summary>
    private static readonly string[] GuestEnvironment = ["TZ=UTC", "LC_ALL=C", "PATH=/usr/bin:/bin", "HOME=/"];

    public static ProgramRun Run(byte[] elf, string mode, string stdin = "", int timeoutSeconds = 120, IReadOnlyList<string>? arguments = null)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var status = -1;
        Exception? failure = null;
        // The kernel runs on a thread of its own with a generous host stack, and a hang becomes a failed test.
        var thread = new Thread(() =>
        {
            try
            {
                using var kernel = new KmlKernel(new KernelOptions
                {
                    Protection = mode == Ring0 ? ProtectionLevel.Four : ProtectionLevel.Two,
                    Environment = GuestEnvironment,
                    Stdin = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdin)),
                    Stdout = stdout,
                    Stderr = stderr,
                    Terminal = false,
                    PhysicalMemorySize = 128u << 20,
                    Tal = new TalOptions { TimeLimit = TimeSpan.FromSeconds(timeoutSeconds) },
                });
                status = kernel.RunTal("program.elf", elf, ["program.elf", .. arguments ?? []]);
                var report = kernel.TalReport;
                if (report is { Accepted: false })
                    failure = new InvalidOperationException("the kernel's checker rejected the program: " + string.Join("; ", report.Diagnostics));
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 16 << 20);
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(timeoutSeconds + 30)))
            return new ProgramRun(-1, Text(stdout), $"the kernel did not finish within {timeoutSeconds + 30} s");
        if (failure != null) throw new InvalidOperationException($"kml run ({mode}) failed: {failure.Message}", failure);
        return new ProgramRun(status, Text(stdout), Text(stderr));
    }

    private static string Text(MemoryStream s) => System.Text.Encoding.UTF8.GetString(s.ToArray());
}

/// <summary>A theory that needs gcc -m32 for the native runner.</summary>
public sealed class NativeTheoryAttribute : TheoryAttribute
{
    public NativeTheoryAttribute()
    {
        if (!Kml.Tal.Tests.Native.NativeRunner.Available) Skip = "the native runner needs gcc -m32 (tests/setup/prerequisites.sh installs it)";
    }
}
