using Shouldly;

namespace Kml.Runtime.Tests;

public sealed class DirectoriesTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public DirectoriesTests()
    {
        File.WriteAllText(temp.Combine("a.txt"), "a");
        File.WriteAllText(temp.Combine("b"), "b");
        Directory.CreateDirectory(temp.Combine("sub"));
        File.CreateSymbolicLink(temp.Combine("link"), "a.txt");
        File.WriteAllText(temp.Combine("ünïcødé"), "u");
    }

    public void Dispose() => temp.Dispose();

    private static readonly string[] Expected = [".", "..", "a.txt", "b", "link", "sub", "ünïcødé"];

    [Fact]
    public void ReadEntries_ListsEveryEntry_WithItsTypeAndInode()
    {
        var fd = Directories.Open(temp.Path);
        fd.ShouldBeGreaterThan(2);
        var buffer = new byte[4096];
        var entries = new Dictionary<string, (int Type, long Inode)>();
        int n;
        while ((n = Directories.ReadEntries(fd, buffer, 100, 4096 - 100)) > 0)
        {
            for (var position = 100; position < 100 + n; position += DirectoryEntries.RecordLength(buffer, position))
            {
                entries.Add(DirectoryEntries.Name(buffer, position), (DirectoryEntries.Type(buffer, position), DirectoryEntries.Inode(buffer, position)));
            }
        }
        n.ShouldBe(0, "the end of the directory");
        Directories.Close(fd).ShouldBe(0);

        entries.Keys.Order(StringComparer.Ordinal).ShouldBe(Expected);
        entries["sub"].Type.ShouldBe(DirectoryEntries.Directory);
        entries["b"].Type.ShouldBe(DirectoryEntries.RegularFile);
        entries["link"].Type.ShouldBe(DirectoryEntries.SymbolicLink);
        var status = new FileStatus();
        Files.LinkStatus(temp.Combine("b"), status).ShouldBe(0);
        entries["b"].Inode.ShouldBe(status.Inode);
    }

    [Fact]
    public void IsDotOrDotDot_RecognisesExactlyTheTwoSpecialEntries()
    {
        var fd = Directories.Open(temp.Path);
        var buffer = new byte[4096];
        var n = Directories.ReadEntries(fd, buffer, 0, buffer.Length);
        Directories.Close(fd);
        var special = new List<string>();
        for (var position = 0; position < n; position += DirectoryEntries.RecordLength(buffer, position))
        {
            if (DirectoryEntries.IsDotOrDotDot(buffer, position))
            {
                special.Add(DirectoryEntries.Name(buffer, position));
            }
        }
        special.Order(StringComparer.Ordinal).ShouldBe([".", ".."]);
    }

    [Fact]
    public void DirectoryReader_ListsTheSameEntries()
    {
        var reader = new DirectoryReader();
        reader.Open(temp.Path).ShouldBe(0);
        var names = new List<string>();
        int result;
        while ((result = reader.Next()) > 0)
        {
            names.Add(reader.Name);
            if (reader.Name == "sub")
            {
                reader.Type.ShouldBe(DirectoryEntries.Directory);
            }
        }
        result.ShouldBe(0);
        reader.Close().ShouldBe(0);
        reader.Close().ShouldBe(-Errno.BadDescriptor);
        reader.Next().ShouldBe(-Errno.BadDescriptor);
        names.Order(StringComparer.Ordinal).ShouldBe(Expected);
    }

    [Fact]
    public void DirectoryReader_Open_ReportsTheError()
    {
        new DirectoryReader().Open(temp.Combine("missing")).ShouldBe(-Errno.NoEntry);
    }

    [Fact]
    public void DirectoryReader_ListsADirectoryLargerThanItsBuffer()
    {
        var big = temp.Combine("big");
        Directory.CreateDirectory(big);
        var expected = new List<string> { ".", ".." };
        for (var i = 0; i < 300; i++)
        {
            var name = $"file-with-a-longish-name-{i:D4}";
            File.WriteAllText(Path.Combine(big, name), "");
            expected.Add(name);
        }
        var reader = new DirectoryReader();
        reader.Open(big).ShouldBe(0);
        var names = new List<string>();
        while (reader.Next() > 0)
        {
            names.Add(reader.Name);
        }
        reader.Close();
        names.Order(StringComparer.Ordinal).ShouldBe(expected.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReadEntries_BufferTooSmallForOneRecord_ReturnsMinusEINVAL()
    {
        var fd = Directories.Open(temp.Path);
        Directories.ReadEntries(fd, new byte[64], 0, 10).ShouldBe(-Errno.Invalid);
        Directories.ReadEntries(fd, new byte[64], 60, 10).ShouldBe(-Errno.Fault);
        Directories.Close(fd);
    }

    [Fact]
    public void Open_OnAFile_ReturnsMinusENOTDIR()
    {
        Directories.Open(temp.Combine("b")).ShouldBe(-Errno.NotDirectory);
        Directories.Open(temp.Combine("missing")).ShouldBe(-Errno.NoEntry);
    }

    [Fact]
    public void CreateAndDelete_FollowLinuxRules()
    {
        var path = temp.Combine("made");
        Directories.Create(path).ShouldBe(0);
        Directory.Exists(path).ShouldBeTrue();
        Directories.Create(path).ShouldBe(-Errno.Exists);
        File.WriteAllText(Path.Combine(path, "x"), "");
        Directories.Delete(path).ShouldBe(-Errno.NotEmpty);
        Files.Delete(Path.Combine(path, "x")).ShouldBe(0);
        Directories.Delete(path).ShouldBe(0);
        Directory.Exists(path).ShouldBeFalse();
        Directories.Delete(temp.Combine("b")).ShouldBe(-Errno.NotDirectory);
        Directories.Create(temp.Combine("no/such/parent")).ShouldBe(-Errno.NoEntry);
    }
}
