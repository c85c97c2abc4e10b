using Kml.Tal.Assembler;
using Kml.Tal.Checker;
using Kml.Tal.Elf;
using Kml.Tal.Tests.Corpus;
using Shouldly;

namespace Kml.Tal.Tests.Native;

/// <summary>Checked programs, run natively (talrun): they compute what they claim and never escape their types.</summary>
public sealed class NativeRunTests
{
    private static TalObject Checked(string source, string name) => Checked(source, name, out _);

    private static TalObject Checked(string source, string name, out System.Collections.BitArray starts)
    {
        var elf = TalAssembler.AssembleToElf(source, name);
        var result = TalChecker.Check(elf);
        result.Accepted.ShouldBeTrue();
        starts = result.InstructionStarts;
        return ElfReader.Read(elf);
    }

    [Theory]
    [InlineData("hello.tal", 0, "Hello from ring 0!\n")]
    [InlineData("array_sum.tal", 45, "")]
    [InlineData("factorial.tal", 120, "")]
    [InlineData("greetings.tal", 3, "hello\nbonjour\nkonnichiwa\n")]
    public void Sample_Runs_AndComputesWhatItClaims(string sample, int exitCode, string stdout)
    {
        if (!NativeRunner.Available) return; // no gcc -m32 on this machine
        var run = NativeRunner.Run(Checked(File.ReadAllText(Path.Combine(TestPrograms.SamplesDirectory, sample)), sample));
        run.ExitCode.ShouldBe(exitCode, run.Stderr);
        run.Stdout.ShouldBe(stdout);
    }

    [Fact]
    public void Tracer_Catches_AJumpIntoTheMiddleOfAnInstruction()
    {
        if (!NativeRunner.Available) return;
        // The checker accepts this program; the forged starts bitmap below pretends that the second
        // instruction was never verified, so reaching it must be reported as a violation.
        var obj = Checked(".import exit\n.text\n_start: {esp: [...]}\n    mov eax, 1\n    push 0\n    call [exit]\n", "t.tal", out var starts);
        starts[5].ShouldBeTrue();
        starts[5] = false;
        var run = NativeRunner.Run(obj, starts);
        run.IsViolation.ShouldBeTrue(run.Stderr);
        run.Stderr.ShouldContain("not a verified instruction start");
    }

    [Fact]
    public void CatFile_Copies_TheFileItOpens()
    {
        if (!NativeRunner.Available || !File.Exists("/etc/motd")) return;
        var run = NativeRunner.Run(Checked(File.ReadAllText(Path.Combine(TestPrograms.SamplesDirectory, "cat_file.tal")), "cat_file.tal"));
        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldBe(File.ReadAllText("/etc/motd"));
    }

    public static IEnumerable<object[]> Accepted() => CorpusRunner.Cases("accepted.txt");

    [Theory, MemberData(nameof(Accepted))]
    public void AcceptedProgram_Runs_WithoutEscapingItsTypes(CorpusCase c)
    {
        if (!NativeRunner.Available) return;
        // Single-stepped: every instruction executed in .text must be one the checker verified.
        var obj = Checked(c.Source, c.Name, out var starts);
        var run = NativeRunner.Run(obj, starts);
        run.IsViolation.ShouldBeFalse(run.Stderr);
        run.ExitCode.ShouldNotBe(-1, "timed out");
        run.Stderr.ShouldNotContain("talrun: unknown import");
        if (Environment.GetEnvironmentVariable("KML_NATIVE_LOG") is { } log)
            File.AppendAllText(log, $"{c.Name}: exit {run.ExitCode} {run.Stderr.Trim()}\n");
    }
}
