using Kml.EndToEnd.Tests.Support;
using Kml.Kernel;
using Kml.Kernel.Tal;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests.Tal;

/// <summary>
/// The checker decides: a program it rejects never runs in ring 0 at the verified levels (3 and 4) — no process is
/// created and nothing it would do happens — while ring 3 runs it under the hardware's protection and level 5 (ring 0,
/// unverified) trusts it. A shell can run TAL binaries too (execve dispatches on the object's kind).
/// </summary>
public sealed class TalRejectionTests
{
    /// <summary>Writes "ran" first, then reads kernel memory: the checker rejects the read.</summary>
    private const string Rejected = """
        .import write
        .import exit
        .rodata
        msg: .array u8 "ran\n"
        .text
        _start: {esp: [...]}
            push 4
            push 0
            push msg
            push 1
            call [write]
            add esp, 16
            mov eax, [0xC0006000]
            push eax
            call [exit]
        """;

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public void RejectedProgram_NeverRunsInRing0(int level)
    {
        var run = TalRunner.Run(TalRunner.Assemble(Rejected, "rejected.tal"), "rejected.tal", ProtectionLevel.FromNumber(level));
        run.Result.ExitCode.ShouldBe(1);
        run.Result.StdoutText.ShouldBeEmpty();
        run.Report.Accepted.ShouldBeFalse();
        run.Report.Started.ShouldBeFalse();
        run.Statistics.ProcessesCreated.ShouldBe(0);
        run.Statistics.Instructions.ShouldBe(0);
        var stderr = run.Result.StderrText.Split('\n');
        stderr[0].ShouldBe("rejected.tal: 0x0014: mov eax,[0C0006000h]: TAL4009 absolute address outside typed data: expected an address inside a typed data object, found 0xc0006000");
        stderr[1].ShouldBe($"kml: rejected.tal: rejected by the TAL checker (1 error): not run at protection level {level} (ring 0, verified)");
    }

    [Fact]
    public void RejectedProgram_RunsInRing3_WhereTheHardwareStopsIt()
    {
        var run = TalRunner.Run(TalRunner.Assemble(Rejected, "rejected.tal"), "rejected.tal", ProtectionLevel.Two);
        run.Report.Started.ShouldBeTrue();
        run.Result.StdoutText.ShouldBe("ran\n");
        // The read of a supervisor page faults in ring 3: the process ends, the kernel goes on.
        run.Report.End.ShouldBe(TalEnd.Killed);
        run.Result.ExitCode.ShouldBe(139);
    }

    [Fact]
    public void RejectedProgram_RunsInRing0AtLevel5_WhichTrustsIt_AndReadsTheKernel()
    {
        var run = TalRunner.Run(TalRunner.Assemble(Rejected, "rejected.tal"), "rejected.tal", ProtectionLevel.Five);
        run.Report.Started.ShouldBeTrue();
        run.Result.StdoutText.ShouldBe("ran\n");
        // Nothing stops a ring-0 read of kernel memory: the exit status is the first byte of the kernel's data page.
        run.Result.ExitCode.ShouldBe('K');
    }

    [Fact]
    public void Shell_RunsTalBinaries_AndGoesOnAfterOneTraps()
    {
        string dir = Directory.CreateTempSubdirectory("kml-tal-sh-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "hello.elf"), TalRunner.AssembleSample("hello.tal"));
            var nullTrap = TalCase.Load("traps.txt").First(c => c.Name.StartsWith("a null dereference", StringComparison.Ordinal));
            File.WriteAllBytes(Path.Combine(dir, "null.elf"), TalRunner.Assemble(nullTrap.Source, "null.tal"));
            if (OperatingSystem.IsLinux())
                foreach (var f in Directory.GetFiles(dir)) File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
            const string script = "./hello.elf; echo status $?; ./null.elf; echo status $?; ./hello.elf; echo status $?";
            var run = Runner.Emulated(Paths.Busybox, ["sh", "-c", script], dir, protection: ProtectionLevel.Two);
            run.StdoutText.ShouldBe("Hello from ring 0!\nstatus 0\nstatus 134\nHello from ring 0!\nstatus 0\n", run.ToString());
            run.StderrText.ShouldContain("System.NullReferenceException");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
