using System.Diagnostics;
using System.Text;

namespace Kml.EndToEnd.Tests.Support;

/// <summary>
/// The input files of the busybox cases, made the same way every time: fixed contents, fixed modification times
/// (2024-01-02 03:04:05 UTC), and — when the tests run as root — a fixed owner (4242:4242) that has no name on the
/// host, so <c>ls -l</c> prints numbers in both worlds.
/// </summary>
public static class TestTree
{
    public static readonly DateTime FixedTime = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static readonly Lazy<string> s_shared = new(() =>
    {
        string dir = Create(Path.Combine(Path.GetTempPath(), $"kml-e2e-{Environment.ProcessId}"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        };
        return dir;
    });

    /// <summary>A tree shared by the cases that do not change it.</summary>
    public static string Shared => s_shared.Value;

    /// <summary>A private copy (for cases that change the tree), with the same times and owners.</summary>
    public static string Copy()
    {
        string target = Path.Combine(Path.GetTempPath(), $"kml-e2e-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Run("cp", "-a", Shared, target);
        return target;
    }

    public static string Create(string root)
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
        string data = Path.Combine(root, "data");
        Directory.CreateDirectory(Path.Combine(data, "sub", "deep"));
        File.WriteAllText(Path.Combine(data, "fruits.txt"), "banana\napple\ncherry\napple\ndate\nbanana\napple\n");
        File.WriteAllText(Path.Combine(data, "nums.txt"), string.Concat(Enumerable.Range(1, 500).Select(i => $"{i}\n")));
        File.WriteAllText(Path.Combine(data, "words.txt"),
            "the quick brown fox\njumps over the lazy dog\nThe End\n\nfoo bar baz\nlorem ipsum dolor sit amet\n");
        File.WriteAllText(Path.Combine(data, "table.csv"), "name,age,city\nann,31,oslo\nbob,27,rome\ncid,45,lima\n");
        File.WriteAllBytes(Path.Combine(data, "bytes.bin"), Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        var big = new StringBuilder();
        for (int i = 0; i < 6000; i++) big.Append($"line {i:D5} {(i * 7919) % 10007} {new string((char)('a' + i % 26), 1 + i % 40)}\n");
        File.WriteAllText(Path.Combine(data, "big.txt"), big.ToString());
        File.WriteAllText(Path.Combine(data, "sub", "deep", "hello.txt"), "hello world\n");
        File.WriteAllText(Path.Combine(data, "sub", "empty.txt"), "");
        File.WriteAllText(Path.Combine(data, "sub", "notes.md"), "# Notes\n\n- apple pie\n- cherry tart\n");
        File.CreateSymbolicLink(Path.Combine(data, "link.txt"), "fruits.txt");
        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root")
            Run("chown", "-hR", "4242:4242", root);
        // Times last, deepest first, so creating entries does not move a directory's time again.
        foreach (string path in Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length).Append(root))
            Run("touch", "-h", "-d", "2024-01-02 03:04:05 UTC", path);
        return root;
    }

    private static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed");
    }
}
