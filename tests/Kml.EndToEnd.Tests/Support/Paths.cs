using System.Diagnostics;

namespace Kml.EndToEnd.Tests.Support;

/// <summary>Where the tools and inputs are: the repository, Debian's i386 busybox, the cache.</summary>
public static class Paths
{
    public static string Repository { get; } = FindRepository();

    public static string Cache { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("KML_CACHE") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kml"));

    private static readonly Lazy<string> s_busybox = new(() =>
    {
        // samples/busybox/fetch.sh prints the cached path and fetches the package when it is missing.
        var psi = new ProcessStartInfo("bash", [Path.Combine(Repository, "samples", "busybox", "fetch.sh")]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string path = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        if (p.ExitCode != 0 || !File.Exists(path)) throw new InvalidOperationException("samples/busybox/fetch.sh could not provide the i386 busybox");
        return path;
    });

    public static string Busybox => s_busybox.Value;

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kml.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Kml.sln) above " + AppContext.BaseDirectory);
    }
}
