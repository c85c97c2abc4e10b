using Kml.Kernel.Abi;
using Kml.Kernel.Memory;
using Kml.Kernel.Syscalls;
using Kml.Kernel.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.Kernel.Tests;

public sealed class SyscallTableTests
{
    public static TheoryData<string, int> Entries()
    {
        var data = new TheoryData<string, int>();
        foreach (var (line, _) in DataFile.Read("syscalls.txt")) data.Add("syscalls.txt", line);
        return data;
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void SyscallTable_HasTheLinuxNumber_AndImplementation(string file, int line)
    {
        var f = DataFile.Read(file).Single(c => c.Line == line).Fields;
        int number = int.Parse(f[0]);
        SyscallTable.Names[number].ShouldBe(f[1], $"{file}:{line}");
        SyscallTable.Implemented[number].ShouldBe(f[2] == "yes", $"{file}:{line}");
    }

    [Fact]
    public void SyscallTable_NamesAreUnique()
    {
        var names = SyscallTable.Names.Where(n => n != null).ToList();
        names.Distinct().Count().ShouldBe(names.Count);
    }

    [Fact]
    public void UnimplementedSyscall_FailsWithEnosys()
    {
        using var k = TestKernel.Create();
        var p = k.CreateInitialProcess();
        SyscallTable.Dispatch(k, p, 26, new SyscallArgs(0, 0, 0, 0, 0, 0)).ShouldBe(-(long)Errno.ENOSYS);
        SyscallTable.Dispatch(k, p, 386, new SyscallArgs(0, 0, 0, 0, 0, 0)).ShouldBe(-(long)Errno.ENOSYS);
    }
}
