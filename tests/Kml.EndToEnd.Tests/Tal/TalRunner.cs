using Kml.EndToEnd.Tests.Support;
using Kml.Kernel;
using Kml.Kernel.Tal;
using Kml.Tal.Assembler;
using Kml.Tal.Elf;

namespace Kml.EndToEnd.Tests.Tal;

/// <summary>What a TAL run did: its streams and status, and the kernel's report and statistics.</summary>
public sealed record TalRun(RunResult Result, TalRunReport Report, KernelStatistics Statistics)
{
    public override string ToString() => $"{Result}\n--- report: started {Report.Started}, end {Report.End}, violations {string.Join(" | ", Report.Violations)}";
}

/// <summary>Assembles TAL sources and runs them in the emulated kernel (in this process) at a protection level.</summary>
public static class TalRunner
{
    /// <summary>The protection levels a TAL program runs at, with a name for test rows.</summary>
    public static readonly IReadOnlyDictionary<string, (ProtectionLevel Level, SyscallEntry? Entry)> Modes = new Dictionary<string, (ProtectionLevel, SyscallEntry?)>
    {
        ["level 4 (ring 0, verified)"] = (ProtectionLevel.Four, null),
        ["level 3 (ring 0, verified, recovery log)"] = (ProtectionLevel.Three, null),
        ["level 2 (ring 3, sysenter)"] = (ProtectionLevel.Two, SyscallEntry.Sysenter),
        ["level 2 (ring 3, int 0x80)"] = (ProtectionLevel.Two, SyscallEntry.Int80),
        ["level 1 (ring 3, KPTI)"] = (ProtectionLevel.One, null),
    };

    public static byte[] Assemble(string source, string name) => ElfWriter.Write(TalAssembler.Assemble(source, name));

    public static byte[] AssembleSample(string fileName) =>
        Assemble(File.ReadAllText(Path.Combine(Paths.Repository, "samples", "tal", fileName)), fileName);

    public static TalRun Run(byte[] elf, string name, ProtectionLevel level, SyscallEntry? entry = null, string? root = null,
        bool monitor = false, byte[]? stdin = null, ulong cycleLimit = 0, bool allowSockets = true, IReadOnlyList<string>? arguments = null)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        using var kernel = new KmlKernel(new KernelOptions
        {
            Protection = level,
            SyscallEntry = entry,
            RootDirectory = root,
            Environment = Runner.Environment,
            Stdin = new MemoryStream(stdin ?? []),
            Stdout = stdout,
            Stderr = stderr,
            Terminal = false,
            PhysicalMemorySize = 64u << 20,
            Tal = new TalOptions { Monitor = monitor, CycleLimit = cycleLimit, AllowSockets = allowSockets, TimeLimit = TimeSpan.FromSeconds(60) },
        });
        int status = kernel.RunTal(name, elf, [name, .. arguments ?? []]);
        return new TalRun(new RunResult(stdout.ToArray(), stderr.ToArray(), status), kernel.TalReport!, kernel.Statistics);
    }
}
