using Kml.EndToEnd.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests.Tal;

/// <summary>TAL binaries through the `kml` command as a user meets it: `kml as`, then `kml run` in ring 0 by default.</summary>
public sealed class TalCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kml-tal-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Assemble(string sample)
    {
        string elf = Path.Combine(_dir, Path.ChangeExtension(sample, ".elf"));
        var r = CliTests.Kml("as", Path.Combine(Paths.Repository, "samples", "tal", sample), "-o", elf);
        r.ExitCode.ShouldBe(0, r.StderrText);
        return elf;
    }

    [Fact]
    public void Run_TalBinary_RunsInRing0ByDefault_WithStats()
    {
        var r = CliTests.Kml("run", "--stats", Assemble("greetings.tal"));
        r.ExitCode.ShouldBe(3, r.StderrText);
        r.StdoutText.ShouldBe("hello\nbonjour\nkonnichiwa\n");
        r.StderrText.ShouldContain("level 4: ring 0, TAL-verified");
        r.StderrText.ShouldContain("ring 0, direct calls");
        r.StderrText.ShouldContain("direct-call entries (KML)");
        r.StderrText.ShouldContain("TAL imports");
    }

    [Fact]
    public void Run_TalBinary_InUserMode_GivesTheSameResult()
    {
        string elf = Assemble("factorial.tal");
        CliTests.Kml("run", "--mode", "user", elf).ExitCode.ShouldBe(120);
        CliTests.Kml("run", "--protection", "3", elf).ExitCode.ShouldBe(120);
        CliTests.Kml("run", "--monitor", elf).ExitCode.ShouldBe(120);
    }

    [Fact]
    public void Run_RejectedTalBinary_PrintsTheCheckersLines_AndExits1()
    {
        string source = Path.Combine(_dir, "bad.tal");
        File.WriteAllText(source, ".import exit\n.text\n_start: {esp: [...]}\n    mov eax, [0xC0006000]\n    push eax\n    call [exit]\n");
        string elf = Path.Combine(_dir, "bad.elf");
        CliTests.Kml("as", source, "-o", elf).ExitCode.ShouldBe(0);
        var r = CliTests.Kml("run", elf);
        r.ExitCode.ShouldBe(1);
        r.StdoutText.ShouldBeEmpty();
        r.StderrText.Trim().Split('\n').ShouldBe(
        [
            $"{elf}: 0x0000: mov eax,[0C0006000h]: TAL4009 absolute address outside typed data: expected an address inside a typed data object, found 0xc0006000",
            $"kml: {elf}: rejected by the TAL checker (1 error): not run at protection level 4 (ring 0, verified)",
        ]);
    }
}
