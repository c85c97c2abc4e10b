using Kml.EndToEnd.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests;

/// <summary>Busybox applets: the same binary, run natively and under kml, must behave byte for byte the same.</summary>
public sealed class BusyboxTests
{
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
        string nativeDir = TestTree.Shared, emulatedDir = TestTree.Shared;
        if (c.Kind == "mutates")
        {
            // Both worlds change their own copy; the listing shows what changed.
            args = ["sh", "-c", c.Text + "; rc=$?; echo ==; find . | sort; find . -type f | sort | xargs md5sum; exit $rc"];
            nativeDir = TestTree.Copy();
            emulatedDir = TestTree.Copy();
        }
        try
        {
            var native = Runner.Native(busybox, args, nativeDir, stdin);
            var emulated = Runner.Emulated(busybox, args, emulatedDir, stdin);
            emulated.ToString().ShouldBe(native.ToString(), $"{c}");
            emulated.Stdout.ShouldBe(native.Stdout, $"{c}: stdout bytes");
        }
        finally
        {
            if (c.Kind == "mutates")
            {
                Directory.Delete(nativeDir, true);
                Directory.Delete(emulatedDir, true);
            }
        }
    }

    [Fact]
    public void Busybox_RunsTheSameWithInt80()
    {
        var args = new[] { "sh", "-c", "cat data/fruits.txt | sort | uniq -c; echo $?" };
        var native = Runner.Native(Paths.Busybox, args, TestTree.Shared);
        var emulated = Runner.Emulated(Paths.Busybox, args, TestTree.Shared, entry: Kml.Kernel.SyscallEntry.Int80);
        emulated.ToString().ShouldBe(native.ToString());
    }
}
