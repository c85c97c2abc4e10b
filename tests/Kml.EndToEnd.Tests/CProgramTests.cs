using Kml.EndToEnd.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests;

/// <summary>
/// Small C programs (samples/c/*.c) for the system calls busybox does not reach, compiled with
/// gcc -m32 -O2 -static and run natively and under kml, each in an empty working directory: identical output, in
/// every mode (one class per mode).
/// </summary>
public abstract class CProgramTestsBase
{
    protected abstract Mode Mode { get; }

    public static TheoryData<string> Programs()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "samples", "c"), "*.c").OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void CProgram_BehavesAsNatively(string source)
    {
        string binary = NativeCompiler.Compile(Path.Combine(AppContext.BaseDirectory, "samples", "c", source));
        var native = NativeResults.Get($"c:{source}", () => InEmptyDirectory("native", dir => Runner.Native(binary, [], dir)));
        native.ExitCode.ShouldBe(0, $"{source} natively:\n{native}");
        var emulated = InEmptyDirectory("kml", dir => Runner.Emulated(binary, [], dir, entry: Mode.Entry, protection: Mode.Level));
        emulated.ToString().ShouldBe(native.ToString(), $"{source} [{Mode}]");
    }

    private static RunResult InEmptyDirectory(string what, Func<string, RunResult> run)
    {
        string dir = Directory.CreateTempSubdirectory($"kml-c-{what}-").FullName;
        try
        {
            return run(dir);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

/// <summary>Level 2 (ring 3, sysenter).</summary>
[Collection(HostPortsCollection.Name)]
public sealed class CProgramTests : CProgramTestsBase
{
    protected override Mode Mode => Mode.User;
}

/// <summary>Level 5 (ring 0, direct call).</summary>
[Collection(HostPortsCollection.Name)]
public sealed class CProgramKernelModeTests : CProgramTestsBase
{
    protected override Mode Mode => Mode.Kernel;
}

/// <summary>Level 1 (KPTI).</summary>
[Collection(HostPortsCollection.Name)]
public sealed class CProgramKptiTests : CProgramTestsBase
{
    protected override Mode Mode => Mode.Kpti;
}
