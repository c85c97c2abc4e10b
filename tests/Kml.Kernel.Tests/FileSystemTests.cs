using Kml.Kernel.Abi;
using Kml.Kernel.Tests.Support;
using Kml.Kernel.Vfs;
using Shouldly;
using Xunit;

namespace Kml.Kernel.Tests;

public sealed class FileSystemTests
{
    public static TheoryData<string, int> PathCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var (line, _) in DataFile.Read("paths.txt")) data.Add("paths.txt", line);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathCases))]
    public void Resolve_FollowsTheRules(string file, int line)
    {
        var raw = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Cases", file)).ElementAt(line - 1);
        var f = raw.Split('|').Select(s => s.Trim()).ToArray();
        var fx = new VfsFixture();
        var err = fx.Fs.Resolve(fx.Context, null, f[0], f[1] == "follow", out var node);
        string actual = err == Errno.None ? fx.PathOf(node) : err.ToString();
        actual.ShouldBe(f[2], $"{file}:{line}: {raw}");
    }

    [Fact]
    public void Getdents_Positions_StayValid_WhenEntriesAreRemoved()
    {
        var fx = new VfsFixture();
        fx.Fs.MakeDirectory(fx.Context, null, "/d", 0x1ED, out var d).ShouldBe(Errno.None);
        foreach (var n in new[] { "one", "two", "three", "four" })
            fx.Fs.Open(fx.Context, null, "/d/" + n, OpenFlags.Create, 0x1A4, out _).ShouldBe(Errno.None);
        var third = d!.EntryAt(4)!.Value;
        third.Name.ShouldBe("three");
        fx.Fs.Unlink(fx.Context, null, "/d/two").ShouldBe(Errno.None);
        d.EntryAt(4)!.Value.Name.ShouldBe("three");
        d.EntryAt(3)!.Value.Name.ShouldBe("three");   // a removed slot moves the reader to the next entry
        d.EntryAt(0)!.Value.Name.ShouldBe(".");
        d.EntryAt(1)!.Value.Name.ShouldBe("..");
        d.EntryAt(6).ShouldBeNull();
    }

    [Fact]
    public void Rename_Refuses_MovingADirectoryIntoItself()
    {
        var fx = new VfsFixture();
        fx.Fs.Rename(fx.Context, null, "/a", null, "/a/b/x").ShouldBe(Errno.EINVAL);
    }

    [Fact]
    public void Rename_ReplacesOnlyAnEmptyDirectory()
    {
        var fx = new VfsFixture();
        fx.Fs.MakeDirectory(fx.Context, null, "/e", 0x1ED, out _).ShouldBe(Errno.None);
        fx.Fs.Rename(fx.Context, null, "/e", null, "/a").ShouldBe(Errno.ENOTEMPTY);
        fx.Fs.MakeDirectory(fx.Context, null, "/f", 0x1ED, out _).ShouldBe(Errno.None);
        fx.Fs.Rename(fx.Context, null, "/e", null, "/f").ShouldBe(Errno.None);
        fx.Fs.Resolve(fx.Context, null, "/e", true, out _).ShouldBe(Errno.ENOENT);
        fx.Fs.Rename(fx.Context, null, "/a/b/file.txt", null, "/f").ShouldBe(Errno.EISDIR);
    }

    [Fact]
    public void Directories_CountLinks_AsOnLinux()
    {
        var fx = new VfsFixture();
        fx.Fs.Resolve(fx.Context, null, "/a", true, out var a).ShouldBe(Errno.None);
        a.LinkCount.ShouldBe(3);   // ".", its name, and b's ".."
        fx.Fs.RemoveDirectory(fx.Context, null, "/a/b").ShouldBe(Errno.ENOTEMPTY);
        fx.Fs.MakeDirectory(fx.Context, null, "/a/c", 0x1ED, out _).ShouldBe(Errno.None);
        a.LinkCount.ShouldBe(4);
        fx.Fs.RemoveDirectory(fx.Context, null, "/a/c").ShouldBe(Errno.None);
        a.LinkCount.ShouldBe(3);
    }

    [Fact]
    public void HardLinks_ShareTheInode()
    {
        var fx = new VfsFixture();
        fx.Fs.MakeHardLink(fx.Context, null, "/a/b/file.txt", null, "/hard", false).ShouldBe(Errno.None);
        fx.Fs.Resolve(fx.Context, null, "/hard", true, out var h).ShouldBe(Errno.None);
        fx.Fs.Resolve(fx.Context, null, "/a/b/file.txt", true, out var f).ShouldBe(Errno.None);
        h.ShouldBeSameAs(f);
        h.LinkCount.ShouldBe(2);
        fx.Fs.MakeHardLink(fx.Context, null, "/a", null, "/dirlink", false).ShouldBe(Errno.EPERM);
    }

    [Fact]
    public void Permissions_AreChecked_ForOrdinaryUsers()
    {
        var fx = new VfsFixture();
        fx.Fs.MakeDirectory(fx.Context, null, "/private", 0x1C0, out _).ShouldBe(Errno.None);   // 0700, owned by root
        var user = new PathContext { Root = fx.Fs.Root, Cwd = fx.Fs.Root, Credentials = new Credentials(1000, 1000, 1000, 1000) };
        fx.Fs.MakeDirectory(user, null, "/private/x", 0x1ED, out _).ShouldBe(Errno.EACCES);
        fx.Fs.Resolve(user, null, "/private/.", true, out _).ShouldBe(Errno.EACCES);
        fx.Fs.Open(user, null, "/a/b/file.txt", OpenFlags.WriteOnly, 0, out _).ShouldBe(Errno.EACCES);
        fx.Fs.Open(user, null, "/a/b/file.txt", OpenFlags.ReadOnly, 0, out _).ShouldBe(Errno.None);
    }

    [Fact]
    public void RegularFile_GrowsWithZeros_AndTruncates()
    {
        var fx = new VfsFixture();
        var file = new RegularFile(fx.Fs, 0x1A4);
        file.Write(10, "abc"u8);
        file.Size.ShouldBe(13);
        var buf = new byte[13];
        file.Read(0, buf).ShouldBe(13);
        buf[..10].ShouldAllBe(b => b == 0);
        file.Truncate(11);
        file.Read(0, buf).ShouldBe(11);
        file.Truncate(20);
        file.Read(11, buf).ShouldBe(9);
        buf[..9].ShouldAllBe(b => b == 0);
    }

    [Fact]
    public void HostImport_IsReadOnly_AndLazy()
    {
        string dir = Directory.CreateTempSubdirectory("kml-vfs-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "x.txt"), "host bytes");
            Directory.CreateDirectory(Path.Combine(dir, "sub"));
            var fs = new FileSystem();
            var resources = new List<IDisposable>();
            HostTreeImporter.Import(fs, dir, fs.Root, resources).ShouldBe(2);
            var ctx = fs.RootContext();
            fs.Resolve(ctx, null, "/x.txt", true, out var node).ShouldBe(Errno.None);
            var file = (RegularFile)node;
            file.Write(0, "GUEST"u8);
            var buf = new byte[10];
            file.Read(0, buf);
            System.Text.Encoding.ASCII.GetString(buf).ShouldBe("GUESTbytes");
            File.ReadAllText(Path.Combine(dir, "x.txt")).ShouldBe("host bytes");
            foreach (var r in resources) r.Dispose();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
