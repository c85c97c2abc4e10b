using System.Diagnostics;
using Kml.Kernel;

namespace Kml.EndToEnd.Tests.Support;

/// <summary>Runs an i386 program natively on this host, or in the emulated machine (in this process).</summary>
public static class Runner
{
    /// <summary>The environment both worlds get, so locale- and time-dependent output agrees.</summary>
    public static readonly string[] Environment = ["TZ=UTC", "LC_ALL=C", "PATH=/usr/bin:/bin", "HOME=/"];

    public static RunResult Native(string program, IReadOnlyList<string> args, string workingDirectory, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        // Through a launcher that resets signals: .NET ignores SIGPIPE and children would inherit that.
        var psi = new ProcessStartInfo(NativeCompiler.SignalDefaultLauncher)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(program);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        foreach (var e in Environment)
        {
            int eq = e.IndexOf('=');
            psi.Environment[e[..eq]] = e[(eq + 1)..];
        }
        using var p = Process.Start(psi)!;
        var outTask = CopyAsync(p.StandardOutput.BaseStream);
        var errTask = CopyAsync(p.StandardError.BaseStream);
        try
        {
            if (stdin != null) p.StandardInput.BaseStream.Write(stdin);
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited (or closed stdin) without reading it all.
        }
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            p.Kill(true);
            throw new TimeoutException($"native {program} {string.Join(' ', args)} did not finish");
        }
        p.WaitForExit();
        return new RunResult(outTask.Result, errTask.Result, p.ExitCode);
    }

    private static async Task<byte[]> CopyAsync(Stream s)
    {
        var ms = new MemoryStream();
        await s.CopyToAsync(ms);
        return ms.ToArray();
    }

    /// <summary>
    /// Runs under <see cref="KmlKernel"/> with <paramref name="root"/> imported as the guest's root, at protection level
    /// <paramref name="protection"/> (default 2) with the system-call entry <paramref name="entry"/> (default: the level's).
    /// </summary>
    public static RunResult Emulated(string program, IReadOnlyList<string> args, string? root, byte[]? stdin = null,
        SyscallEntry? entry = null, TimeSpan? timeout = null, ProtectionLevel? protection = null, Action<KmlKernel>? inspect = null,
        double timeLimitSeconds = 0)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        int code = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
          try
          {
            using var kernel = new KmlKernel(new KernelOptions
            {
                RootDirectory = root,
                Environment = Environment,
                Stdin = new MemoryStream(stdin ?? []),
                Stdout = stdout,
                Stderr = stderr,
                Terminal = false,
                SyscallEntry = entry,
                Protection = protection,
                TimeLimitSeconds = timeLimitSeconds,
                PhysicalMemorySize = 96u << 20,
            });
            var argv = new List<string> { program };
            argv.AddRange(args);
            code = kernel.Run(program, argv);
            inspect?.Invoke(kernel);
          }
          catch (Exception ex)
          {
              failure = ex;
          }
        }, 16 << 20);
        thread.Start();
        if (!thread.Join(timeout ?? TimeSpan.FromSeconds(120)))
            throw new TimeoutException($"kml run {program} {string.Join(' ', args)} did not finish");
        if (failure != null) throw new InvalidOperationException($"kml run failed: {failure.Message}", failure);
        return new RunResult(stdout.ToArray(), stderr.ToArray(), code);
    }
}
