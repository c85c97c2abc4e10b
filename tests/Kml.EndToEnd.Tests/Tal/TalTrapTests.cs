using Kml.Kernel;
using Kml.Kernel.Tal;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests.Tal;

/// <summary>
/// Run-time errors the checker cannot rule out (Tal/Cases/traps.txt): a null dereference on the unmapped first page, a
/// division trap, the stack guard, panics, allocations that cannot be satisfied. Each ends only that process with
/// CoreCLR's line and status 134, in ring 0 and in ring 3, and the program is one the checker accepts.
/// </summary>
public sealed class TalTrapTests
{
    public static IEnumerable<object[]> Cases() =>
        from c in TalCase.Load("traps.txt")
        from level in new[] { 4, 3, 2 }
        select new object[] { c, level };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Trap_EndsOnlyTheProcess_WithCoreClrsMessage(TalCase c, int level)
    {
        var run = TalRunner.Run(TalRunner.Assemble(c.Source, c.Name), c.Name, ProtectionLevel.FromNumber(level), monitor: level == 4);
        run.Report.Accepted.ShouldBeTrue(string.Join("\n", run.Report.Diagnostics));
        run.Result.ExitCode.ShouldBe(int.Parse(c.Get("exit")!), run.ToString());
        run.Result.StderrText.Split('\n')[0].ShouldBe(c.Get("stderr"), run.ToString());
        run.Report.End.ToString().ShouldBe(c.Get("end"));
        run.Report.Violations.ShouldBeEmpty();
    }

    [Fact]
    public void StackOverflowInRing0_IsCaughtByTheDoubleFaultTask()
    {
        var c = TalCase.Load("traps.txt").First(t => t.Name.StartsWith("unbounded recursion", StringComparison.Ordinal));
        var run = TalRunner.Run(TalRunner.Assemble(c.Source, c.Name), c.Name, ProtectionLevel.Four);
        run.Report.End.ShouldBe(TalEnd.StackOverflow);
        // The stack grew through double faults down to its limit, then the guard ended it.
        run.Statistics.Transitions.GetValueOrDefault("double faults: stack grown").ShouldBeGreaterThan(100);
        run.Statistics.Transitions.GetValueOrDefault("double faults: process killed").ShouldBe(1);
    }

    /// <summary>A line map: location 0 is Program.cs line 7 (all the code), location 1 is line 12.</summary>
    private static byte[] WithLineMap(string source, string name)
    {
        var lines = new Kml.Tal.Lines.LineMap();
        lines.Files.Add("Program.cs");
        lines.Locations.Add(new Kml.Tal.Lines.SourceLine(0, 7));
        lines.Locations.Add(new Kml.Tal.Lines.SourceLine(0, 12));
        lines.Entries.Add(new Kml.Tal.Lines.LineEntry(0, 0));
        var obj = Kml.Tal.Assembler.TalAssembler.Assemble(source, name);
        return Kml.Tal.Elf.ElfWriter.Write(new Kml.Tal.Elf.TalObject
        {
            Text = obj.Text, RoData = obj.RoData, Imports = obj.Imports, Data = obj.Data, Entry = obj.Entry, Annotations = obj.Annotations,
            Notes = [new Kml.Tal.Elf.NoteSection(Kml.Tal.Lines.LineMap.SectionName, lines.Write())],
        });
    }

    [Fact]
    public void Panic_NamesTheCSharpLineOfItsLocation_FromTheLineMap()
    {
        const string source = """
            .import panic
            .text
            _start: {esp: [...]}
                push 1
                push 4
                call [panic]
            """;
        var run = TalRunner.Run(WithLineMap(source, "panic.tal"), "panic.elf", ProtectionLevel.Four);
        run.Result.StderrText.ShouldBe("Unhandled exception. System.OverflowException: Arithmetic operation resulted in an overflow.\n   at Program.cs:line 12\n");
        run.Result.ExitCode.ShouldBe(134);
    }

    [Fact]
    public void Fault_NamesTheCSharpLineOfItsInstruction_FromTheLineMap()
    {
        var nullTrap = TalCase.Load("traps.txt").First(c => c.Name.StartsWith("a null dereference", StringComparison.Ordinal));
        var run = TalRunner.Run(WithLineMap(nullTrap.Source, "null.tal"), "null.elf", ProtectionLevel.Four);
        run.Result.StderrText.ShouldBe("Unhandled exception. System.NullReferenceException: Object reference not set to an instance of an object.\n   at Program.cs:line 7\n");
        run.Result.ExitCode.ShouldBe(134);
    }

    [Fact]
    public void EndlessLoop_IsPreemptedAndStoppedAtTheCycleLimit()
    {
        const string source = ".text\n_start: {esp: [...]}\n    jmp _start\n";
        var run = TalRunner.Run(TalRunner.Assemble(source, "loop.tal"), "loop.tal", ProtectionLevel.Four, cycleLimit: 50_000_000);
        run.Report.End.ShouldBe(TalEnd.Limit);
        run.Result.ExitCode.ShouldBe(137);
        run.Statistics.Transitions.GetValueOrDefault("timer interrupts").ShouldBeGreaterThan(0);
    }
}
