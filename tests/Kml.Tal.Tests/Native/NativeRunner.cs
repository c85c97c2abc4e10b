using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Kml.Tal.Elf;
using Kml.Tal.Interface;

namespace Kml.Tal.Tests.Native;

/// <summary>The outcome of running a TAL binary natively under talrun.</summary>
public sealed record NativeRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>talrun's verdict that the program escaped its types (a fault outside the null page and the guard, or an illegal instruction).</summary>
    /// <remarks>The program chooses its own exit status, so the stderr marker is what counts.</remarks>
    public bool IsViolation => ExitCode is 200 or 201 or 202 && Stderr.Contains("talrun: VIOLATION", StringComparison.Ordinal);
}

/// <summary>
/// Runs a checked TAL binary natively in a 32-bit process (talrun.c, built with gcc -m32 on first use):
/// the segments at their addresses, the import table filled with C implementations of the kernel
/// interface. A test harness for what the samples compute, and a crude oracle for the fuzzer; the real
/// one is the emulator with its safety monitor. Null when gcc -m32 is not available.
/// </summary>
public static class NativeRunner
{
    private static readonly Lazy<string?> Runner = new(Build);

    public static bool Available => Runner.Value is not null;

    private static string SourcePath([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "talrun.c");

    private static string? Build()
    {
        var gcc = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "gcc")).FirstOrDefault(File.Exists);
        if (gcc is null) return null;
        var output = Path.Combine(Path.GetTempPath(), $"kml-talrun-{Environment.ProcessId}");
        using var p = Process.Start(new ProcessStartInfo(gcc, $"-m32 -O1 -fPIE -pie -o {output} {SourcePath()}") { RedirectStandardError = true })!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : null;
    }

    /// <summary>Runs an object the checker accepted.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="instructionStarts">The checker's verified instruction starts: when given, the run is single-stepped
    /// under ptrace and reaching any other offset of .text is a violation.</param>
    /// <param name="stdin">Standard input.</param>
    /// <param name="timeoutSeconds">talrun's own time limit.</param>
    /// <param name="arguments">The program's arguments (what the argc and arg entries give it).</param>
    public static NativeRun Run(TalObject obj, System.Collections.BitArray? instructionStarts = null, string stdin = "", int timeoutSeconds = 5,
        IReadOnlyList<string>? arguments = null)
    {
        var runner = Runner.Value ?? throw new InvalidOperationException("talrun is not available (gcc -m32)");
        var dir = Directory.CreateTempSubdirectory("kml-talrun-").FullName;
        try
        {
            var blob = new MemoryStream();
            var manifest = new StringBuilder();
            manifest.AppendLine(CultureInfo.InvariantCulture, $"file {Path.Combine(dir, "segments.bin")}");
            foreach (var (section, flags) in new[] { (obj.Text, "rx"), (obj.RoData, "r"), (obj.Data, "rw"), (obj.Imports, "rw") })
            {
                if (section is null) continue;
                manifest.AppendLine(CultureInfo.InvariantCulture, $"seg {section.Address:x} {blob.Length:x} {section.Bytes.Length:x} {flags}");
                blob.Write(section.Bytes);
            }
            foreach (var b in ImportBinding.For(obj))
                manifest.AppendLine(CultureInfo.InvariantCulture, $"import {b.SlotAddress:x} {b.Entry.Name} {b.AllocationSize}");
            manifest.AppendLine(CultureInfo.InvariantCulture, $"entry {obj.Entry:x}");
            if (instructionStarts is not null)
            {
                var bits = new byte[instructionStarts.Length / 8 + 1];
                instructionStarts.CopyTo(bits, 0);
                File.WriteAllBytes(Path.Combine(dir, "starts.bin"), bits);
                manifest.AppendLine(CultureInfo.InvariantCulture, $"starts {Path.Combine(dir, "starts.bin")} {obj.Text.Address:x} {obj.Text.Bytes.Length:x}");
            }
            File.WriteAllBytes(Path.Combine(dir, "segments.bin"), blob.ToArray());
            File.WriteAllText(Path.Combine(dir, "manifest"), manifest.ToString());

            var start = new ProcessStartInfo(runner)
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir,
            };
            start.ArgumentList.Add(Path.Combine(dir, "manifest"));
            foreach (var a in arguments ?? []) start.ArgumentList.Add(a);
            start.Environment["TALRUN_TIMEOUT"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture);
            if (instructionStarts is not null) start.Environment["TALRUN_TRACE"] = "1";
            using var p = Process.Start(start)!;
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(20_000)) { p.Kill(); return new NativeRun(-1, stdout.Result, "talrun: killed after 20 s"); }
            return new NativeRun(p.ExitCode, stdout.Result, stderr.Result);
        }
        finally { Directory.Delete(dir, true); }
    }
}
