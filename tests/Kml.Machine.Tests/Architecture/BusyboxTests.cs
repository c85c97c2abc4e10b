using Kml.Machine.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.Machine.Tests.Architecture;

/// <summary>Debian's static i386 busybox on the CPU, with the tests' minimal syscall layer (real glibc startup: TLS through
/// set_thread_area and %gs, cpuid-based dispatch, stdio). The busybox path comes from samples/busybox/fetch.sh's cache.</summary>
public class BusyboxTests
{
    private static string Busybox()
    {
        string root = Environment.GetEnvironmentVariable("KML_CACHE") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kml");
        string path = Path.Combine(root, "busybox-i386", "busybox");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the i386 busybox is missing (run samples/busybox/fetch.sh or tests/setup/prerequisites.sh)");
        return path;
    }

    [Fact]
    public void Busybox_Echo_PrintsItsArguments()
    {
        var linux = new MiniLinux(Busybox(), ["echo", "hello", "from", "ring", "3"]);
        linux.Run().ShouldBe(0, linux.Stdout.ToString());
        linux.Stdout.ToString().ShouldBe("hello from ring 3\n");
    }

    [Fact]
    public void Busybox_Sha256sum_OfStdin_MatchesDotNet()
    {
        var data = new byte[200_000];
        new Random(7).NextBytes(data);
        var linux = new MiniLinux(Busybox(), ["sha256sum"], data);
        linux.Run().ShouldBe(0, linux.Stdout.ToString() + string.Join(",", linux.UnknownSyscalls));
        string expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)).ToLowerInvariant();
        linux.Stdout.ToString().ShouldBe($"{expected}  -\n");
    }
}
