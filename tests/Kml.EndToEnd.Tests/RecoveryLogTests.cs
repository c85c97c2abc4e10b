using Kml.EndToEnd.Tests.Support;
using Kml.Kernel;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests;

/// <summary>
/// The recovery log (protection levels 1 to 3): samples/c/recovery.c kills a child that holds a listening port and a
/// write lock; the parent gets both at once. At levels 1 and 2 the kernel's log undid what the child held (and nothing
/// was left over); at level 5 there is no log and the process structures release it.
/// </summary>
[Collection(HostPortsCollection.Name)]
public sealed class RecoveryLogTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void KilledProcess_ReleasesItsPortAndLock_AndTheNextProcessGetsBothAtOnce(int level)
    {
        string binary = NativeCompiler.Compile(Path.Combine(AppContext.BaseDirectory, "samples", "c", "recovery.c"));
        string dir = Directory.CreateTempSubdirectory("kml-recovery-").FullName;
        try
        {
            KernelStatistics? stats = null;
            var emulated = Runner.Emulated(binary, [], dir, protection: ProtectionLevel.FromNumber(level), inspect: k => stats = k.Statistics);
            emulated.ExitCode.ShouldBe(0, emulated.ToString());
            emulated.StdoutText.ShouldContain("port after the kill: bound again\nlock after the kill: taken\n");
            stats!.RecoveryMissed.ShouldBeEmpty();
            if (level <= 3)
            {
                stats.RecoveryRecords.ShouldBeGreaterThan(0);
                var undone = stats.RecoveryUndoneDetails;
                undone.ShouldContain(d => d.Contains("listening (fd 3)"), string.Join("\n", undone));
                undone.ShouldContain(d => d.Contains("write lock on inode"), string.Join("\n", undone));
                undone.ShouldContain(d => d.Contains("/locked.dat"), string.Join("\n", undone));
                // Newest first: the lock was taken after the port, so it was undone before it.
                undone.FindIndex(d => d.Contains("write lock")).ShouldBeLessThan(undone.FindIndex(d => d.Contains("listening")));
            }
            else
            {
                stats.RecoveryRecords.ShouldBe(0);
                stats.RecoveryUndone.ShouldBe(0);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
