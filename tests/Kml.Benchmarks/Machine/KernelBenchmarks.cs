using BenchmarkDotNet.Attributes;
using Kml.Kernel;

namespace Kml.Benchmarks.Machine;

/// <summary>
/// busybox find under the full emulated kernel, in-process and warm: a fresh kernel and CPU per invocation (so block
/// decoding and translation are paid every time, as in <c>kml run</c>), but no .NET start-up and no JIT of the emulator
/// itself. Set beside <c>kml bench machine</c>'s whole-process figure, it separates the emulator's own cost per run from
/// the cost of starting a .NET process. Run:
/// <c>dotnet run -c Release --project tests/Kml.Benchmarks -- --filter '*KernelBenchmarks*'</c>
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
[MedianColumn]
public class KernelBenchmarks
{
    private string _busybox = null!;

    [GlobalSetup]
    public void Setup()
    {
        string root = Environment.GetEnvironmentVariable("KML_CACHE") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kml");
        _busybox = Path.Combine(root, "busybox-i386", "busybox");
        if (!File.Exists(_busybox)) throw new FileNotFoundException($"{_busybox}: the i386 busybox is missing (run samples/busybox/fetch.sh)");
    }

    /// <summary>`find . -name '*7.dat' -type f` over the generated 20,000-file tree (the workload): 57 M guest
    /// instructions, 22,549 system calls (20,843 statx).</summary>
    [Benchmark]
    public int BusyboxFind_GeneratedTree20000()
    {
        using var kernel = new KmlKernel(new KernelOptions
        {
            GeneratedTreeFiles = 20000,
            Stdout = Stream.Null,
            Stderr = Stream.Null,
            Stdin = Stream.Null,
            Environment = ["PATH=/bin"],
            Terminal = false,
        });
        int status = kernel.Run(_busybox, [_busybox, "find", ".", "-name", "*7.dat", "-type", "f"]);
        return status == 0 ? (int)kernel.Statistics.Instructions : throw new InvalidOperationException($"find exited with {status}");
    }
}
