using System.Text;
using Shouldly;

namespace Kml.Runtime.Tests;

public sealed class FilesTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Open_MissingFile_ReturnsMinusENOENT()
    {
        Files.Open(temp.Combine("missing"), OpenFlags.ReadOnly).ShouldBe(-Errno.NoEntry);
    }

    [Fact]
    public void WriteSeekRead_RoundTripsTheBytes()
    {
        var fd = Files.Open(temp.Combine("data"), OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        fd.ShouldBeGreaterThan(2);
        var text = Encoding.ASCII.GetBytes("..hello, kernel..");
        Files.Write(fd, text, 2, 13).ShouldBe(13);
        Files.Seek(fd, 0, Whence.Current).ShouldBe(13);
        Files.Seek(fd, 7, Whence.Start).ShouldBe(7);
        var buffer = new byte[32];
        Files.Read(fd, buffer, 10, 32 - 10).ShouldBe(6);
        Encoding.ASCII.GetString(buffer, 10, 6).ShouldBe("kernel");
        Files.Read(fd, buffer, 0, 32).ShouldBe(0, "at the end of the file");
        Files.Seek(fd, -6, Whence.End).ShouldBe(7);
        Files.Close(fd).ShouldBe(0);
        File.ReadAllText(temp.Combine("data")).ShouldBe("hello, kernel");
    }

    [Fact]
    public void Open_ReusesTheLowestFreeDescriptor()
    {
        var path = temp.Combine("f");
        File.WriteAllText(path, "x");
        var a = Files.Open(path, OpenFlags.ReadOnly);
        var b = Files.Open(path, OpenFlags.ReadOnly);
        b.ShouldBe(a + 1);
        Files.Close(a).ShouldBe(0);
        Files.Open(path, OpenFlags.ReadOnly).ShouldBe(a);
        Files.Close(a).ShouldBe(0);
        Files.Close(b).ShouldBe(0);
    }

    [Theory]
    [InlineData(-1, 4)]
    [InlineData(0, 9)]
    [InlineData(5, 4)]
    [InlineData(0, -1)]
    [InlineData(int.MaxValue, 1)]
    public void ReadAndWrite_RangeOutsideTheArray_ReturnMinusEFAULT(int offset, int count)
    {
        var fd = Files.Open(temp.Combine("g"), OpenFlags.ReadWrite | OpenFlags.Create);
        var buffer = new byte[8];
        Files.Write(fd, buffer, offset, count).ShouldBe(-Errno.Fault);
        Files.Read(fd, buffer, offset, count).ShouldBe(-Errno.Fault);
        Files.Close(fd).ShouldBe(0);
    }

    [Fact]
    public void ReadAndWrite_NullBuffer_ReturnMinusEFAULT()
    {
        Files.Write(Files.StandardOutput, null!, 0, 0).ShouldBe(-Errno.Fault);
        Files.Read(Files.StandardInput, null!, 0, 0).ShouldBe(-Errno.Fault);
    }

    [Fact]
    public void Calls_OnDescriptorsTheProgramDidNotOpen_ReturnMinusEBADF()
    {
        var buffer = new byte[4];
        Files.Read(500, buffer, 0, 4).ShouldBe(-Errno.BadDescriptor);
        Files.Write(-1, buffer, 0, 4).ShouldBe(-Errno.BadDescriptor);
        Files.Seek(500, 0, Whence.Start).ShouldBe(-Errno.BadDescriptor);
        Files.Close(500).ShouldBe(-Errno.BadDescriptor);
        Files.Status(500, new FileStatus()).ShouldBe(-Errno.BadDescriptor);
        var fd = Files.Open(temp.Combine("h"), OpenFlags.WriteOnly | OpenFlags.Create);
        Files.Close(fd).ShouldBe(0);
        Files.Close(fd).ShouldBe(-Errno.BadDescriptor, "closed twice");
        Files.Write(fd, buffer, 0, 4).ShouldBe(-Errno.BadDescriptor);
    }

    [Fact]
    public void Write_ZeroBytesToStandardOutput_ReturnsZero()
    {
        Files.Write(Files.StandardOutput, new byte[1], 0, 0).ShouldBe(0);
    }

    [Fact]
    public void Open_FlagsOutsideTheApi_ReturnMinusEINVAL()
    {
        Files.Open(temp.Combine("i"), (OpenFlags)0x800 /* O_NONBLOCK */).ShouldBe(-Errno.Invalid);
        Files.Open(temp.Combine("i"), OpenFlags.WriteOnly | OpenFlags.ReadWrite).ShouldBe(-Errno.Invalid);
    }

    [Fact]
    public void Paths_WithNul_ReturnMinusEINVAL_AndNullPaths_MinusEFAULT()
    {
        Files.Open(temp.Combine("a\0b"), OpenFlags.ReadOnly).ShouldBe(-Errno.Invalid);
        Files.Delete(null!).ShouldBe(-Errno.Fault);
        Files.Status("", new FileStatus()).ShouldBe(-Errno.NoEntry);
    }

    [Fact]
    public void Open_CreateExclusive_OnAnExistingFile_ReturnsMinusEEXIST()
    {
        var path = temp.Combine("j");
        File.WriteAllText(path, "");
        Files.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive).ShouldBe(-Errno.Exists);
    }

    [Fact]
    public void Open_WithMode_SetsThePermissionBits()
    {
        var path = temp.Combine("mode");
        var fd = Files.Open(path, OpenFlags.WriteOnly | OpenFlags.Create, 0x1C0 /* 0700 */);
        Files.Close(fd).ShouldBe(0);
        var status = new FileStatus();
        Files.Status(path, status).ShouldBe(0);
        status.Permissions.ShouldBe(0x1C0 & ~Umask());
    }

    [Fact]
    public void Append_WritesAtTheEnd()
    {
        var path = temp.Combine("log");
        File.WriteAllText(path, "one;");
        var fd = Files.Open(path, OpenFlags.WriteOnly | OpenFlags.Append);
        Files.Seek(fd, 0, Whence.Start).ShouldBe(0);
        Files.Write(fd, Encoding.ASCII.GetBytes("two;"), 0, 4).ShouldBe(4);
        Files.Close(fd);
        File.ReadAllText(path).ShouldBe("one;two;");
    }

    [Fact]
    public void Truncate_CutsAndExtendsTheFile()
    {
        var path = temp.Combine("t");
        File.WriteAllText(path, "abcdef");
        var fd = Files.Open(path, OpenFlags.ReadWrite);
        Files.Truncate(fd, 3).ShouldBe(0);
        new FileInfo(path).Length.ShouldBe(3);
        Files.Truncate(fd, 5).ShouldBe(0);
        File.ReadAllBytes(path).ShouldBe("abc\0\0"u8.ToArray());
        Files.Close(fd);
    }

    [Fact]
    public void Seek_BeforeTheStart_ReturnsMinusEINVAL()
    {
        var fd = Files.Open(temp.Combine("s"), OpenFlags.ReadWrite | OpenFlags.Create);
        Files.Seek(fd, -1, Whence.Start).ShouldBe(-Errno.Invalid);
        Files.Seek(fd, 0, (Whence)7).ShouldBe(-Errno.Invalid);
        Files.Close(fd);
    }

    [Fact]
    public void Delete_RemovesTheName()
    {
        var path = temp.Combine("d");
        File.WriteAllText(path, "x");
        Files.Delete(path).ShouldBe(0);
        File.Exists(path).ShouldBeFalse();
        Files.Delete(path).ShouldBe(-Errno.NoEntry);
        Files.Delete(temp.Path).ShouldBe(-Errno.IsDirectory);
    }

    [Fact]
    public void Status_DescribesARegularFile_LikeTheHost()
    {
        var path = temp.Combine("st");
        File.WriteAllBytes(path, new byte[1234]);
        var status = new FileStatus();
        Files.Status(path, status).ShouldBe(0);
        status.IsRegularFile.ShouldBeTrue();
        status.IsDirectory.ShouldBeFalse();
        status.Type.ShouldBe(FileModes.RegularFile);
        status.Size.ShouldBe(1234);
        status.LinkCount.ShouldBe(1);
        status.Permissions.ShouldBe((int)File.GetUnixFileMode(path));
        status.ModificationTime.ShouldBe(new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds());
        status.Inode.ShouldBeGreaterThan(0);
        status.BlockSize.ShouldBeGreaterThan(0);

        var fd = Files.Open(path, OpenFlags.ReadOnly);
        var byDescriptor = new FileStatus();
        Files.Status(fd, byDescriptor).ShouldBe(0);
        Files.Close(fd);
        byDescriptor.Inode.ShouldBe(status.Inode);
        byDescriptor.Device.ShouldBe(status.Device);
        byDescriptor.Size.ShouldBe(1234);
    }

    [Fact]
    public void LinkStatus_DescribesTheLink_AndStatusItsTarget()
    {
        var target = temp.Combine("target");
        File.WriteAllText(target, "12345");
        var link = temp.Combine("link");
        File.CreateSymbolicLink(link, target);
        var status = new FileStatus();
        Files.LinkStatus(link, status).ShouldBe(0);
        status.IsSymbolicLink.ShouldBeTrue();
        status.Size.ShouldBe(target.Length, "a link's size is the length of its target path");
        Files.Status(link, status).ShouldBe(0);
        status.IsRegularFile.ShouldBeTrue();
        status.Size.ShouldBe(5);
    }

    [Fact]
    public void Status_OfADirectory_SaysDirectory_AndANullRecordIsMinusEFAULT()
    {
        var status = new FileStatus();
        Files.Status(temp.Path, status).ShouldBe(0);
        status.IsDirectory.ShouldBeTrue();
        Files.Status(temp.Path, null!).ShouldBe(-Errno.Fault);
        Files.Status(temp.Combine("nothing/here"), status).ShouldBe(-Errno.NoEntry);
    }

    private static int Umask()
    {
        // The process umask, as the host applies it to created files (read it back from a probe file).
        var probe = Path.Combine(Path.GetTempPath(), "kml-umask-" + Guid.NewGuid().ToString("N"));
        var fd = Files.Open(probe, OpenFlags.WriteOnly | OpenFlags.Create, 0xFFF & 0x1FF);
        Files.Close(fd);
        var mode = (int)File.GetUnixFileMode(probe);
        File.Delete(probe);
        return 0x1FF & ~mode;
    }
}
