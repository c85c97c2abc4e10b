using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Kml.Compiler.Tests.Harness;
using Kml.Tal.Elf;
using Kml.Tal.Lines;
using Kml.Tal.Tests.Native;
using Shouldly;

namespace Kml.Compiler.Tests;

/// <summary>
/// The differential corpus (Programs/): every program runs on CoreCLR (the oracle), compiled by KML on the native
/// runner, in ring 3 and in ring 0 of the emulated kernel; standard output and exit status must be the same, and
/// every compiled program must pass the TAL checker. Every runner passes the program's <c>// args:</c>.
/// </summary>
public sealed partial class DifferentialTests
{
    public static TheoryData<string> Programs() => [.. CorpusProgram.All().Select(p => p.Name)];

    private static readonly ConcurrentDictionary<string, Lazy<ProgramRun>> Oracle = new();

    private static ProgramRun CoreClr(CorpusProgram p) =>
        Oracle.GetOrAdd(p.Name, _ => new Lazy<ProgramRun>(() => CoreClrRunner.Run(p.Sources, arguments: p.Arguments))).Value;

    [Theory]
    [MemberData(nameof(Programs))]
    public void Program_CompilesToTal_ThatTheCheckerAccepts(string name)
    {
        Compiled.Checked(CorpusProgram.Named(name));
    }

    /// <summary>Programs the native runner can run: not those marked <c>// native: no (reason)</c> (kernel entries talrun lacks).</summary>
    public static TheoryData<string> NativePrograms() => [.. CorpusProgram.All().Where(p => p.Directive("native") is null).Select(p => p.Name)];

    /// <summary>
    /// The oracle itself: a program ends as it means to (status 134 for an Error* program, the status of its
    /// <c>// exit: N</c> directive, else 0), so a program that fails on both sides alike does not pass unnoticed.
    /// </summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void Program_OnCoreClr_ExitsWithTheStatusItMeans(string name)
    {
        var p = CorpusProgram.Named(name);
        var expected = p.Name.Contains("Error", StringComparison.Ordinal) ? RuntimeError.ExitStatus
            : p.Directive("exit") is { } exit ? int.Parse(exit.Split(' ')[0]) : 0;
        var run = CoreClr(p);
        run.ExitCode.ShouldBe(expected, $"{name}: CoreCLR stderr: {run.Stderr}");
    }

    [NativeTheory]
    [MemberData(nameof(NativePrograms))]
    public void Program_PrintsWhatCoreClrPrints_OnTheNativeRunner(string name)
    {
        var p = CorpusProgram.Named(name);
        var compiled = Compiled.Checked(p);
        var expected = CoreClr(p);
        var run = NativeRunner.Run(compiled.Object!, timeoutSeconds: 60, arguments: p.Arguments);
        run.Stdout.ShouldBe(expected.Stdout, $"{name}: native stderr: {run.Stderr}");
        // The native runner turns a fault in the stack guard into SIGSEGV (139); the KML kernel must end the program
        // with 134 as CoreCLR does (the kernel tests below expect CoreCLR's status).
        if (p.Directive("native-exit") is { } directive)
        {
            run.ExitCode.ShouldBe(int.Parse(directive.Split(' ')[0]), run.Stderr);
            return;
        }
        run.ExitCode.ShouldBe(expected.ExitCode, $"{name}: native stderr: {run.Stderr}; CoreCLR stderr: {expected.Stderr}");
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Program_PrintsWhatCoreClrPrints_InRing3(string name) => InKernel(name, KernelRunner.Ring3);

    [Theory]
    [MemberData(nameof(Programs))]
    public void Program_PrintsWhatCoreClrPrints_InRing0(string name) => InKernel(name, KernelRunner.Ring0);

    private static void InKernel(string name, string mode)
    {
        var p = CorpusProgram.Named(name);
        var compiled = Compiled.Checked(p);
        var expected = CoreClr(p);
        var run = KernelRunner.Run(compiled.Elf!, mode, arguments: p.Arguments);
        run.Stdout.ShouldBe(expected.Stdout, $"{name} ({mode}): stderr: {run.Stderr}");
        run.ExitCode.ShouldBe(expected.ExitCode, $"{name} ({mode}): stderr: {run.Stderr}");
    }

    public static TheoryData<string> ErrorPrograms() => [.. CorpusProgram.All().Where(p => p.Name.StartsWith("Error", StringComparison.Ordinal) && p.Directive("native-exit") is null).Select(p => p.Name)];

    /// <summary>A run-time error's panic names the line that raised it (the line marked "// panics here").</summary>
    [NativeTheory]
    [MemberData(nameof(ErrorPrograms))]
    public void RuntimeError_Panic_NamesTheCSharpLine(string name)
    {
        var p = CorpusProgram.Named(name);
        var compiled = Compiled.Checked(p);
        var run = NativeRunner.Run(compiled.Object!, timeoutSeconds: 60);
        run.ExitCode.ShouldBe(RuntimeError.ExitStatus, run.Stderr);
        var match = PanicLine().Match(run.Stderr);
        match.Success.ShouldBeTrue(run.Stderr);
        var kind = int.Parse(match.Groups[1].Value);
        var location = int.Parse(match.Groups[2].Value);
        var lines = LineMap.Read(ElfSections.Find(compiled.Elf!, LineMap.SectionName)!);
        var marked = File.ReadAllLines(p.Files[0]).Select((l, i) => (l, i + 1)).Single(x => x.l.Contains("// panics here", StringComparison.Ordinal)).Item2;
        var message = RuntimeError.Describe(kind, location, lines);
        message.ShouldEndWith($"{Path.GetFileName(p.Files[0])}:line {marked}", Case.Sensitive, message);
        message.ShouldStartWith("Unhandled exception. System.");
    }

    [GeneratedRegex(@"talrun: panic (\d+) at (-?\d+)")]
    private static partial Regex PanicLine();
}
