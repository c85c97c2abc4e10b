using System.Diagnostics;
using Kml.EndToEnd.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests;

/// <summary>The `kml run` command as a user meets it: exit statuses, one-line errors, statistics.</summary>
public sealed class CliTests
{
    internal static RunResult Kml(params string[] args) => Kml(new Dictionary<string, string>(), args);

    internal static RunResult Kml(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // The repository's launcher builds the CLI when its sources changed (serialised with a lock).
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        psi.ArgumentList.Add(Path.Combine(Paths.Repository, "kml"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new TimeoutException("kml did not finish"); }
        string err = string.Join('\n', stderr.Result.Split('\n').Where(l => !l.StartsWith("kml: building", StringComparison.Ordinal)));
        return new RunResult(System.Text.Encoding.UTF8.GetBytes(stdout.Result), System.Text.Encoding.UTF8.GetBytes(err), p.ExitCode);
    }

    [Fact]
    public void Run_ExitsWithTheGuestStatus_And128PlusSignal()
    {
        Kml("run", Paths.Busybox, "--", "sh", "-c", "exit 42").ExitCode.ShouldBe(42);
        Kml("run", Paths.Busybox, "--", "sh", "-c", "kill -SEGV $$").ExitCode.ShouldBe(139);
    }

    [Fact]
    public void Run_RejectsNonElf_InOneLine()
    {
        string file = Path.GetTempFileName();
        File.WriteAllText(file, "#!/bin/sh\necho hi\n");
        var r = Kml("run", file);
        File.Delete(file);
        r.ExitCode.ShouldBe(2);
        r.StderrText.Trim().ShouldBe($"kml: {file}: offset 0x0: not an ELF file (expected the magic bytes 7F 45 4C 46)");
    }

    [Fact]
    public void Run_RejectsDynamicBinaries_NamingTheInterpreter()
    {
        string source = Path.Combine(Path.GetTempPath(), $"kml-dyn-{Guid.NewGuid():N}.c");
        File.WriteAllText(source, "int main(void) { return 0; }\n");
        string binary = source[..^2];
        using (var gcc = Process.Start("gcc", ["-m32", "-no-pie", source, "-o", binary])) gcc.WaitForExit();
        var r = Kml("run", binary);
        File.Delete(source);
        File.Delete(binary);
        r.ExitCode.ShouldBe(2);
        r.StderrText.Trim().ShouldStartWith($"kml: {binary}: offset 0x");
        r.StderrText.ShouldContain("dynamically linked (PT_INTERP \"/lib/ld-linux.so.2\"): kml runs static binaries only");
        r.StderrText.Trim().Split('\n').Length.ShouldBe(1);
    }

    [Fact]
    public void Run_KernelMode_RunsTheProgramInRing0()
    {
        var r = Kml("run", "--mode", "kernel", "--stats", Paths.Busybox, "--", "echo", "ring zero");
        r.ExitCode.ShouldBe(0, r.StderrText);
        r.StdoutText.ShouldBe("ring zero\n");
        r.StderrText.ShouldContain("level 5: ring 0, unverified (trusted)");
        r.StderrText.ShouldContain("call (KML)");
        r.StderrText.ShouldContain("direct-call entries (KML)");
    }

    [Theory]
    [InlineData("--mode user --protection 5", "kml: --mode user contradicts --protection 5 (ring 0, unverified (trusted))")]
    [InlineData("--mode kernel --protection 1", "kml: --mode kernel contradicts --protection 1 (ring 3, separate kernel page tables (KPTI), recovery log)")]
    [InlineData("--protection 2 --syscall call", "kml: --syscall call is only valid in kernel mode (ring 0); protection level 2 runs the program in ring 3")]
    [InlineData("--syscall call", "kml: --syscall call is only valid in kernel mode (ring 0); protection level 2 runs the program in ring 3")]
    [InlineData("--protection 6", "kml: --protection 6: expected a level from 1 to 5")]
    public void Run_RejectsContradictoryModeOptions_InOneLine(string options, string message)
    {
        var r = Kml(["run", .. options.Split(' '), Paths.Busybox, "--", "true"]);
        r.ExitCode.ShouldBe(2);
        r.StderrText.Trim().ShouldBe(message);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("4")]
    public void Run_ReservesLevels3And4_ForTalBinaries(string level)
    {
        var r = Kml("run", "--protection", level, Paths.Busybox, "--", "true");
        r.ExitCode.ShouldBe(2);
        r.StderrText.Trim().ShouldBe($"kml: --protection {level}: levels 3 and 4 run TAL binaries, which the checker verifies first; {Paths.Busybox} is a plain ELF executable (use --protection 5 to run it in ring 0 unverified)");
    }

    [Fact]
    public void Run_CpuModelAndTimeLimit_AreOptions()
    {
        var r = Kml("run", "--cpu-model", "modern", "--protection", "1", "--stats", Paths.Busybox, "--", "echo", "hi");
        r.ExitCode.ShouldBe(0, r.StderrText);
        r.StderrText.ShouldContain("Modern at 3.0 GHz");
        r.StderrText.ShouldContain("level 1: ring 3, separate kernel page tables (KPTI), recovery log");
        r.StderrText.ShouldContain("recovery log");
        var limited = Kml("run", "--time-limit", "0.2", Paths.Busybox, "--", "sh", "-c", "while :; do :; done");
        limited.ExitCode.ShouldBe(137);
        limited.StderrText.ShouldStartWith("kml: time limit of 0.2 s (emulated) reached; killing 100 (busybox)");
        Kml("run", "--cpu-model", "pentium5", Paths.Busybox).ExitCode.ShouldBe(1);
    }

    [Fact]
    public void Bench_Copy_PrintsEveryLevel_BesideThePaper()
    {
        var r = Kml("bench", "copy", "--runs", "3");
        r.ExitCode.ShouldBe(0, r.StderrText);
        r.StdoutText.ShouldContain("copy a 64 KiB file in 8 KiB blocks");
        r.StdoutText.ShouldContain("TAL binaries only");
        r.StdoutText.ShouldContain("ring 3, separate kernel page tables (KPTI)");
        r.StdoutText.ShouldContain("level 1 took 12× level 5");
        r.StdoutText.ShouldContain("load average");
    }

    [Fact]
    public void Bench_Copy_RunsTheCSharpProgram_AtAllFiveLevels_InTheModelsOrder()
    {
        var r = Kml("bench", "copy", "--quick");
        r.ExitCode.ShouldBe(0, r.StderrText);
        r.StdoutText.ShouldContain("EMULATED time");
        r.StdoutText.ShouldContain("HOST time");
        // Table rows: │ binary │ level │ what it is │ emulated µs │ ÷ own level 5 │ host µs │ host ms (run) │ log records │
        var rows = r.StdoutText.Split('\n').Select(l => l.Split('│').Select(c => c.Trim()).ToArray()).Where(c => c.Length == 10).ToList();
        double Emulated(string binary, int level)
        {
            var row = rows.SingleOrDefault(c => c[1] == binary && c[2] == level.ToString(System.Globalization.CultureInfo.InvariantCulture))
                ?? throw new ShouldAssertException($"no {binary} row for level {level} in:\n{r.StdoutText}");
            return double.Parse(row[4], System.Globalization.CultureInfo.InvariantCulture);
        }
        long Records(string binary, int level) => long.Parse(rows.Single(c => c[1] == binary && c[2] == level.ToString(System.Globalization.CultureInfo.InvariantCulture))[8],
            System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        const string CSharp = "C# (KML TAL)";
        var e = Enumerable.Range(1, 5).Select(level => Emulated(CSharp, level)).ToArray();
        e.ShouldAllBe(us => us > 0);
        // What the model guarantees for one binary: KPTI adds CR3 switches to every trap (1 ≥ 2); a trap costs more than
        // a direct call (2 ≥ 4); the same ring-0 code with a charged recovery-log record per acquisition (3 ≥ 4).
        e[0].ShouldBeGreaterThanOrEqualTo(e[1]);
        e[1].ShouldBeGreaterThanOrEqualTo(e[3]);
        e[2].ShouldBeGreaterThanOrEqualTo(e[3]);
        Records(CSharp, 3).ShouldBeGreaterThan(0);
        Records(CSharp, 4).ShouldBe(0);
        // The C binary still runs at 1, 2 and 5, with the same ordering.
        Emulated("C (gcc -O2)", 1).ShouldBeGreaterThanOrEqualTo(Emulated("C (gcc -O2)", 2));
        Emulated("C (gcc -O2)", 2).ShouldBeGreaterThanOrEqualTo(Emulated("C (gcc -O2)", 5));
    }

    [Fact]
    public void Run_Stats_NameSystemCalls_AndEnosys()
    {
        var r = Kml("run", "--stats", Paths.Busybox, "--", "echo", "hi");
        r.ExitCode.ShouldBe(0);
        r.StdoutText.ShouldBe("hi\n");
        r.StderrText.ShouldContain("guest instructions");
        r.StderrText.ShouldContain("sysenter");
        r.StderrText.ShouldContain("write");
        r.StderrText.ShouldContain("rseq");
        r.StderrText.ShouldContain("ENOSYS (not implemented)");
    }

    [Fact]
    public void Run_Stats_NameTheTranslator_AndKmlTranslatorIlSelectsTheIlOne()
    {
        var native = Kml("run", "--stats", Paths.Busybox, "--", "true");
        native.ExitCode.ShouldBe(0);
        native.StderrText.ShouldContain(global::Kml.Machine.Cpu.DefaultNativeTranslation ? "x86-64 machine code" : "IL (compiled by the .NET JIT)");
        var il = Kml(new Dictionary<string, string> { ["KML_TRANSLATOR"] = "il" }, "run", "--stats", Paths.Busybox, "--", "true");
        il.ExitCode.ShouldBe(0);
        il.StderrText.ShouldContain("IL (compiled by the .NET JIT)");
    }
}
