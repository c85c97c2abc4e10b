using Kml.Kernel.Processes;
using Shouldly;
using Xunit;

namespace Kml.Kernel.Tests;

/// <summary>The recovery log's bookkeeping: records by key, forgetting what the process released, undoing newest first.</summary>
public sealed class RecoveryLogTests
{
    [Fact]
    public void UndoAll_UndoesWhatIsLeft_NewestFirst()
    {
        var log = new RecoveryLog();
        var undone = new List<string>();
        log.Record(ResourceKind.Descriptor, 3, "fd 3", () => undone.Add("close 3"));
        log.Record(ResourceKind.Port, "socket", "port 5555", () => undone.Add("free 5555"));
        log.Record(ResourceKind.Lock, "lock", "lock", () => undone.Add("unlock"));
        log.Record(ResourceKind.Descriptor, 4, "fd 4", () => undone.Add("close 4"));
        log.Forget(ResourceKind.Descriptor, 4);
        log.UndoAll().ShouldBe(["lock", "port 5555", "fd 3"]);
        undone.ShouldBe(["unlock", "free 5555", "close 3"]);
        log.Entries.ShouldBeEmpty();
        log.Written.ShouldBe(4);
    }

    [Fact]
    public void Record_WithTheSameKey_ReplacesTheOldRecord()
    {
        var log = new RecoveryLog();
        log.Record(ResourceKind.Port, "s", "port 1 bound", () => { });
        log.Record(ResourceKind.Port, "s", "port 1 listening", () => { });
        log.Entries.Select(e => e.What).ShouldBe(["port 1 listening"]);
        log.ForgetWhere(e => e.Kind == ResourceKind.Port);
        log.Entries.ShouldBeEmpty();
    }
}
