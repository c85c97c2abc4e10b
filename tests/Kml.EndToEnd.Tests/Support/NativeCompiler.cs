using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Kml.EndToEnd.Tests.Support;

/// <summary>Compiles C sources with gcc into a cache keyed by the source's hash (gcc -m32 -O2 -static for guests).</summary>
public static class NativeCompiler
{
    private static readonly object s_lock = new();

    public static string Compile(string sourcePath, bool i386 = true)
    {
        string source = File.ReadAllText(sourcePath);
        string flags = i386 ? "-m32 -O2 -static" : "-O2";
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(flags + "\n" + source)))[..16].ToLowerInvariant();
        string dir = Path.Combine(Paths.Cache, "samples");
        string output = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(sourcePath)}-{hash}");
        lock (s_lock)
        {
            if (File.Exists(output)) return output;
            Directory.CreateDirectory(dir);
            var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true, UseShellExecute = false };
            foreach (string f in flags.Split(' ')) psi.ArgumentList.Add(f);
            psi.ArgumentList.Add(sourcePath);
            psi.ArgumentList.Add("-o");
            psi.ArgumentList.Add(output + ".tmp");
            using var p = Process.Start(psi)!;
            string errors = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"gcc {flags} {sourcePath} failed:\n{errors}");
            File.Move(output + ".tmp", output, true);
            return output;
        }
    }

    /// <summary>The launcher that resets signal dispositions for native reference runs.</summary>
    public static string SignalDefaultLauncher =>
        Compile(Path.Combine(AppContext.BaseDirectory, "Native", "sigdfl.c"), i386: false);
}
