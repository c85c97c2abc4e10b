using Kml.EndToEnd.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests;

/// <summary>
/// Busybox applets: the same binary, run natively and under kml, must behave byte for byte the same, in every mode
/// (one class per mode, so xunit runs the modes in parallel; the native run is made once per case).
/// </summary>
public abstract class BusyboxTestsBase
{
    protected abstract Mode Mode { get; }

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var c in CaseFile.Load("busybox.txt")) data.Add(c.File, c.Line);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Busybox_BehavesAsNatively(string file, int line)
    {
        var c = CaseFile.Load(file).Single(x => x.Line == line);
        string busybox = Paths.Busybox;
        byte[] stdin = "some input\nfrom the test\n"u8.ToArray();
        IReadOnlyList<string> args = c.Words;
        bool mutates = c.Kind == "mutates";
        if (mutates)
        {
            // Both worlds change their own copy; the listing shows what changed.
            args = ["sh", "-c", c.Text + "; rc=$?; echo ==; find . | sort; find . -type f | sort | xargs md5sum; exit $rc"];
        }
        var native = NativeResults.Get($"busybox:{c.File}:{c.Line}", () => InTree(mutates, dir => Runner.Native(busybox, args, dir, stdin)));
        var emulated = InTree(mutates, dir => Runner.Emulated(busybox, args, dir, stdin, Mode.Entry, protection: Mode.Level));
        emulated.ToString().ShouldBe(native.ToString(), $"{c} [{Mode}]");
        emulated.Stdout.ShouldBe(native.Stdout, $"{c} [{Mode}]: stdout bytes");
    }

    /// <summary>Runs in the shared test tree, or in a private copy (removed afterwards) for a case that changes it.</summary>
    private static RunResult InTree(bool mutates, Func<string, RunResult> run)
    {
        if (!mutates) return run(TestTree.Shared);
        string dir = TestTree.Copy();
        try
        {
            return run(dir);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

/// <summary>Level 2 (ring 3, sysenter): classic Linux.</summary>
public sealed class BusyboxTests : BusyboxTestsBase
{
    protected override Mode Mode => Mode.User;

    [Fact]
    public void Busybox_RunsTheSameWithInt80()
    {
        var args = new[] { "sh", "-c", "cat data/fruits.txt | sort | uniq -c; echo $?" };
        var native = Runner.Native(Paths.Busybox, args, TestTree.Shared);
        var emulated = Runner.Emulated(Paths.Busybox, args, TestTree.Shared, entry: Kml.Kernel.SyscallEntry.Int80);
        emulated.ToString().ShouldBe(native.ToString());
    }
}

/// <summary>Level 5 (ring 0, KML's direct call): the same binary as a kernel-mode process.</summary>
public sealed class BusyboxKernelModeTests : BusyboxTestsBase
{
    protected override Mode Mode => Mode.Kernel;

    [Theory]
    [InlineData(Kml.Kernel.SyscallEntry.Int80)]
    [InlineData(Kml.Kernel.SyscallEntry.Sysenter)]
    public void Busybox_RunsTheSameInRing0_WithTheOtherEntries(Kml.Kernel.SyscallEntry entry)
    {
        var args = new[] { "sh", "-c", "cat data/fruits.txt | sort | uniq -c; echo $?; ls -l data | wc -l" };
        var native = Runner.Native(Paths.Busybox, args, TestTree.Shared);
        var emulated = Runner.Emulated(Paths.Busybox, args, TestTree.Shared, entry: entry, protection: Kml.Kernel.ProtectionLevel.Five);
        emulated.ToString().ShouldBe(native.ToString());
    }
}

/// <summary>Level 1 (ring 3, a CR3 switch on every kernel entry and exit).</summary>
public sealed class BusyboxKptiTests : BusyboxTestsBase
{
    protected override Mode Mode => Mode.Kpti;
}
