using Kml.EndToEnd.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests;

/// <summary>
/// Small C programs (samples/c/*.c) for the system calls busybox does not reach, compiled with
/// gcc -m32 -O2 -static and run natively and under kml, each in an empty working directory: identical output.
/// </summary>
public sealed class CProgramTests
{
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
        string nativeDir = Directory.CreateTempSubdirectory("kml-c-native-").FullName;
        string emulatedDir = Directory.CreateTempSubdirectory("kml-c-kml-").FullName;
        try
        {
            var native = Runner.Native(binary, [], nativeDir);
            var emulated = Runner.Emulated(binary, [], emulatedDir);
            native.ExitCode.ShouldBe(0, $"{source} natively:\n{native}");
            emulated.ToString().ShouldBe(native.ToString(), source);
        }
        finally
        {
            Directory.Delete(nativeDir, true);
            Directory.Delete(emulatedDir, true);
        }
    }
}
