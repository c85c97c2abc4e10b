using Kml.Kernel.Platform;
using Kml.Kernel.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.Kernel.Tests;

/// <summary>Protection levels: what --mode and --protection resolve to (Cases/protection.txt), and the system-call entries each allows.</summary>
public sealed class ProtectionLevelTests
{
    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        foreach (var (line, _) in DataFile.Read("protection.txt")) data.Add(line);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolve_GivesTheLevel_OrOneLineError(int line)
    {
        var f = DataFile.Read("protection.txt").Single(c => c.Line == line).Fields;
        ExecutionMode? mode = f[0] switch { "user" => ExecutionMode.User, "kernel" => ExecutionMode.Kernel, _ => null };
        int? protection = f[1] == "-" ? null : int.Parse(f[1]);
        bool tal = f[2] == "yes";
        if (int.TryParse(f[3], out int expected))
        {
            ProtectionLevel.Resolve(mode, protection, tal, "prog").Number.ShouldBe(expected, $"protection.txt:{line}");
        }
        else
        {
            var ex = Should.Throw<InvalidDataException>(() => ProtectionLevel.Resolve(mode, protection, tal, "prog"), $"protection.txt:{line}");
            ex.Message.ShouldBe(f[3], $"protection.txt:{line}");
        }
    }

    [Fact]
    public void Levels_DescribeRingEntryPageTablesAndLog()
    {
        ProtectionLevel.One.ShouldSatisfyAllConditions(
            l => l.Ring.ShouldBe(3), l => l.PageTables.ShouldBe(PageTableMode.Isolated), l => l.RecoveryLog.ShouldBeTrue(), l => l.Entry.ShouldBe(KernelEntryKind.Trap));
        ProtectionLevel.Two.ShouldSatisfyAllConditions(
            l => l.Ring.ShouldBe(3), l => l.PageTables.ShouldBe(PageTableMode.Shared), l => l.RecoveryLog.ShouldBeTrue());
        ProtectionLevel.Three.ShouldSatisfyAllConditions(
            l => l.Ring.ShouldBe(0), l => l.Verified.ShouldBeTrue(), l => l.RecoveryLog.ShouldBeTrue(), l => l.Entry.ShouldBe(KernelEntryKind.DirectCall));
        ProtectionLevel.Four.ShouldSatisfyAllConditions(l => l.Ring.ShouldBe(0), l => l.Verified.ShouldBeTrue(), l => l.RecoveryLog.ShouldBeFalse());
        ProtectionLevel.Five.ShouldSatisfyAllConditions(l => l.Ring.ShouldBe(0), l => l.Verified.ShouldBeFalse(), l => l.RecoveryLog.ShouldBeFalse());
    }

    [Fact]
    public void DirectCall_IsOnlyValidInRing0_AndIsTheRing0Default()
    {
        ProtectionLevel.Five.DefaultSyscallEntry.ShouldBe(SyscallEntry.Call);
        ProtectionLevel.Two.DefaultSyscallEntry.ShouldBe(SyscallEntry.Sysenter);
        Should.NotThrow(() => ProtectionLevel.Five.Validate(SyscallEntry.Int80));
        Should.NotThrow(() => ProtectionLevel.Five.Validate(SyscallEntry.Sysenter));
        Should.Throw<InvalidDataException>(() => ProtectionLevel.One.Validate(SyscallEntry.Call)).Message
            .ShouldBe("--syscall call is only valid in kernel mode (ring 0); protection level 1 runs the program in ring 3");
    }

    [Fact]
    public void CallFlavour_OfKernelVsyscall_CallsTheKernelEntry_ThenHasTheRestartPoint()
    {
        const uint entry = 0xC0004123;
        var vdso = VdsoImage.Build(SyscallEntry.Call, entry);
        int at = VdsoImage.VsyscallOffset;
        vdso.Page[at].ShouldBe((byte)0xE8, "call rel32");
        uint next = KernelLayout.VdsoAddress + (uint)at + 5;
        (next + BitConverter.ToUInt32(vdso.Page, at + 1)).ShouldBe(entry, "the call lands on the kernel's direct-call entry");
        vdso.Page.AsSpan(at + 5, 3).ToArray().ShouldBe(new byte[] { 0xCD, 0x80, 0xC3 }, "int 0x80 (restart point); landing: ret");
        vdso.CallReturnOffset.ShouldBe(at + 5);
        vdso.LandingOffset.ShouldBe(at + 7);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EntryStubs_EveryGateTargetReachesItsOwnVmcall(bool kpti)
    {
        var stubs = new EntryStubs(kpti);
        StubSite Follow(uint offset)
        {
            var reader = new Iced.Intel.ByteArrayCodeReader(stubs.Page, (int)offset, stubs.Page.Length - (int)offset);
            var d = Iced.Intel.Decoder.Create(32, reader, offset);
            for (int i = 0; i < 8; i++)
            {
                var ins = d.Decode();
                if (ins.Mnemonic == Iced.Intel.Mnemonic.Vmcall)
                {
                    stubs.TryGetSite((uint)ins.IP, out var site).ShouldBeTrue();
                    return site;
                }
                if (kpti || offset == stubs.DirectCallEntry) continue;
                throw new ShouldAssertException($"the stub at 0x{offset:X} does not start with vmcall");
            }
            throw new ShouldAssertException($"no vmcall after 0x{offset:X}");
        }
        Follow(stubs.Int80Entry).Entry.ShouldBe(StubEntry.Int80);
        Follow(stubs.SysenterEntry).Entry.ShouldBe(StubEntry.Sysenter);
        Follow(stubs.TimerEntry).Entry.ShouldBe(StubEntry.Timer);
        Follow(stubs.DirectCallEntry).Entry.ShouldBe(StubEntry.DirectCall);
        Follow(stubs.DoubleFaultTask).Entry.ShouldBe(StubEntry.DoubleFault);
        Follow(stubs.NmiTask).Entry.ShouldBe(StubEntry.Nmi);
        for (int v = 0; v < 32; v++) Follow(stubs.ExceptionEntry(v)).ShouldBe(new StubSite(StubEntry.Exception, v));
    }
}
