using Kml.Kernel.Abi;
using Kml.Kernel.Syscalls;
using Kml.Kernel.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.Kernel.Tests;

public sealed class PipeSyscallTests
{
    [Fact]
    public void Pipe_CarriesBytes_AndReportsEndOfFile()
    {
        using var k = TestKernel.Create();
        var p = k.CreateInitialProcess();
        uint buf = TestKernel.Scratch(p);
        k.Pipe2(p, new SyscallArgs(buf, 0, 0, 0, 0, 0)).ShouldBe(0);
        p.Memory.TryReadUInt32(buf, out uint r).ShouldBeTrue();
        p.Memory.TryReadUInt32(buf + 4, out uint w).ShouldBeTrue();
        (r, w).ShouldBe((3u, 4u));
        p.Memory.CopyToUser(buf + 100, "hello"u8).ShouldBeTrue();
        k.Write(p, new SyscallArgs(w, buf + 100, 5, 0, 0, 0)).ShouldBe(5);
        k.Read(p, new SyscallArgs(r, buf + 200, 100, 0, 0, 0)).ShouldBe(5);
        // Empty with a writer: the reader sleeps.
        k.Read(p, new SyscallArgs(r, buf + 200, 100, 0, 0, 0)).ShouldBe(SyscallResult.Sleep);
        p.Wake();
        k.Close(p, new SyscallArgs(w, 0, 0, 0, 0, 0)).ShouldBe(0);
        k.Read(p, new SyscallArgs(r, buf + 200, 100, 0, 0, 0)).ShouldBe(0);
    }

    [Fact]
    public void Pipe_WithoutReaders_RaisesSigpipe()
    {
        using var k = TestKernel.Create();
        var p = k.CreateInitialProcess();
        uint buf = TestKernel.Scratch(p);
        k.Pipe2(p, new SyscallArgs(buf, 0, 0, 0, 0, 0)).ShouldBe(0);
        k.Close(p, new SyscallArgs(3, 0, 0, 0, 0, 0)).ShouldBe(0);
        k.Write(p, new SyscallArgs(4, buf, 1, 0, 0, 0)).ShouldBe(-(long)Errno.EPIPE);
        (p.PendingSignals & Sig.Bit(Sig.PIPE)).ShouldNotBe(0UL);
    }

    [Fact]
    public void Fcntl_DupfdAndFlags()
    {
        using var k = TestKernel.Create();
        var p = k.CreateInitialProcess();
        uint buf = TestKernel.Scratch(p);
        k.Pipe2(p, new SyscallArgs(buf, (uint)OpenFlags.NonBlock, 0, 0, 0, 0)).ShouldBe(0);
        (k.Fcntl(p, new SyscallArgs(3, (uint)Fcntl.GetFl, 0, 0, 0, 0)) & OpenFlags.NonBlock).ShouldNotBe(0);
        k.Fcntl(p, new SyscallArgs(3, (uint)Fcntl.DupFdCloExec, 10, 0, 0, 0)).ShouldBe(10);
        k.Fcntl(p, new SyscallArgs(10, (uint)Fcntl.GetFd, 0, 0, 0, 0)).ShouldBe(Fcntl.FdCloExec);
        k.Read(p, new SyscallArgs(3, buf, 10, 0, 0, 0)).ShouldBe(-(long)Errno.EAGAIN);
    }
}
