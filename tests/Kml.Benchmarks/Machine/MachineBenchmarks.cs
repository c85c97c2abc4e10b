using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Kml.Machine.Tests.Support;

namespace Kml.Benchmarks.Machine;

/// <summary>
/// Interpreter speed of the emulated CPU on generated guest code in ring 3 (host time). The MIPS column divides the
/// guest instructions one run retires by the median time. Run:
/// <c>dotnet run -c Release --project tests/Kml.Benchmarks -- --filter '*MachineBenchmarks*'</c>
/// </summary>
[Config(typeof(MipsConfig))]
public class MachineBenchmarks
{
    /// <summary>Guest instructions retired by one invocation of each benchmark (filled in by the global setup).</summary>
    internal static readonly Dictionary<string, long> InstructionsPerRun = new();

    private Sha256Guest _sha = null!;
    private Crc32Guest _crc = null!;
    private byte[] _data = null!;
    private MiniLinux? _busybox;

    private static string BusyboxPath()
    {
        string root = Environment.GetEnvironmentVariable("KML_CACHE") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kml");
        string path = Path.Combine(root, "busybox-i386", "busybox");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path}: the i386 busybox is missing (run samples/busybox/fetch.sh)");
    }

    [GlobalSetup]
    public void Setup()
    {
        var data = new byte[1 << 20];
        new Random(42).NextBytes(data);
        _data = data;
        _sha = new Sha256Guest(data);
        _crc = new Crc32Guest(data);
        InstructionsPerRun[nameof(Sha256_1MiB)] = Measure(() => { _sha.Reset(); _sha.Run(); }, _sha.Machine);
        InstructionsPerRun[nameof(Crc32_1MiB)] = Measure(() => { _crc.Reset(); _crc.Run(); }, _crc.Machine);
        var once = new MiniLinux(BusyboxPath(), ["sha256sum"], _data);
        once.Run();
        InstructionsPerRun[nameof(BusyboxSha256sum_1MiB)] = once.Machine.Cpu.Statistics.InstructionsRetired;
    }

    [IterationSetup(Target = nameof(BusyboxSha256sum_1MiB))]
    public void LoadBusybox() => _busybox = new MiniLinux(BusyboxPath(), ["sha256sum"], _data);

    private static long Measure(Action run, TestMachine m)
    {
        m.Cpu.ResetStatistics();
        run();
        return m.Cpu.Statistics.InstructionsRetired;
    }

    /// <summary>SHA-256 of 1 MiB: long unrolled ALU blocks with rotates and stack-slot operands (gcc -O2 style).</summary>
    [Benchmark]
    public byte[] Sha256_1MiB()
    {
        _sha.Reset();
        return _sha.Run();
    }

    /// <summary>Bytewise table-driven CRC-32 of 1 MiB: short loop blocks, loads, taken branches.</summary>
    [Benchmark]
    public uint Crc32_1MiB()
    {
        _crc.Reset();
        return _crc.Run();
    }

    /// <summary>Debian's static busybox running "sha256sum" over 1 MiB of stdin (glibc start-up, the generic C SHA-256
    /// compiled by gcc, stdio), with the tests' minimal syscall layer. The ELF is loaded outside the measurement.</summary>
    [Benchmark]
    public int BusyboxSha256sum_1MiB() => _busybox!.Run();

    private sealed class MipsConfig : ManualConfig
    {
        public MipsConfig() => AddColumn(new MipsColumn());
    }

    private sealed class MipsColumn : IColumn
    {
        public string Id => "MIPS";
        public string ColumnName => "MIPS (guest, host time)";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "guest instructions retired per run / median host time, in millions per second";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            string name = benchmarkCase.Descriptor.WorkloadMethod.Name;
            if (report?.ResultStatistics == null) return "-";
            // The benchmark process filled the dictionary, not this one: recompute the count here (deterministic).
            if (!InstructionsPerRun.TryGetValue(name, out long n))
            {
                var b = new MachineBenchmarks();
                b.Setup();
                n = InstructionsPerRun[name];
            }
            return $"{n / (report.ResultStatistics.Median / 1e9) / 1e6:F0}";
        }
    }
}
