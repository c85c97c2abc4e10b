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

    [Fact]
    public void Busybox_Gzip_OfStdin_DecompressesWithDotNet()
    {
        var data = new byte[300_000];
        var rng = new Random(11);
        for (int i = 0; i < data.Length; i++) data[i] = (byte)"the quick brown fox jumps over the lazy dog "[(i * 7 + rng.Next(3)) % 44];
        var linux = new MiniLinux(Busybox(), ["gzip", "-c"], data);
        linux.Run().ShouldBe(0, linux.Stderr + " syscalls: " + string.Join(",", linux.UnknownSyscalls));
        linux.StdoutBytes.Position = 0;
        using var gz = new System.IO.Compression.GZipStream(linux.StdoutBytes, System.IO.Compression.CompressionMode.Decompress);
        var back = new MemoryStream();
        gz.CopyTo(back);
        back.ToArray().ShouldBe(data);
        linux.StdoutBytes.Length.ShouldBeLessThan(data.Length / 2);
    }
}
