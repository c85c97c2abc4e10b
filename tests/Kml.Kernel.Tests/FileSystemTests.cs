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
            var import = HostTreeImporter.Import(fs, dir, fs.Root, resources);
            import.Entries.ShouldBe(0);
            var ctx = fs.RootContext();
            fs.Resolve(ctx, null, "/x.txt", true, out var node).ShouldBe(Errno.None);
            import.Entries.ShouldBe(2);
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

    [Fact]
    public void HostImport_ReadsEachDirectory_OnTheFirstLookIntoIt()
    {
        using var host = new HostTree();
        host.File("a/b/deep.txt", "deep");
        host.File("a/top.txt", "top");
        host.File("c/other.txt", "other");
        var (fs, import) = host.Import();
        import.Entries.ShouldBe(0);
        var ctx = fs.RootContext();
        fs.Resolve(ctx, null, "/a", true, out _).ShouldBe(Errno.None);
        import.Entries.ShouldBe(2);   // the root's entries: a and c
        fs.Resolve(ctx, null, "/a/b/deep.txt", true, out var node).ShouldBe(Errno.None);
        import.Entries.ShouldBe(5);   // then a's (b, top.txt) and b's (deep.txt); c is still unread
        node.Size.ShouldBe(4);
        fs.Resolve(ctx, null, "/c", true, out var c).ShouldBe(Errno.None);
        c.LinkCount.ShouldBe(2);   // reading the link count reads the directory
        import.Entries.ShouldBe(6);
    }

    [Fact]
    public void HostImport_FileAddedOnTheHost_IsVisibleOnlyIfItsDirectoryWasNotReadYet()
    {
        using var host = new HostTree();
        host.File("seen/old.txt", "old");
        host.File("unseen/old.txt", "old");
        var (fs, _) = host.Import();
        var ctx = fs.RootContext();
        fs.Resolve(ctx, null, "/seen/old.txt", true, out _).ShouldBe(Errno.None);
        host.File("seen/new.txt", "new");
        host.File("unseen/new.txt", "new");
        fs.Resolve(ctx, null, "/seen/new.txt", true, out _).ShouldBe(Errno.ENOENT);
        fs.Resolve(ctx, null, "/unseen/new.txt", true, out _).ShouldBe(Errno.None);
    }

    [Fact]
    public void HostImport_SymlinksOutOfTheRoot_Dangle()
    {
        using var outside = new HostTree();
        outside.File("secret.txt", "host secret");
        using var host = new HostTree();
        host.File("in.txt", "inside");
        File.CreateSymbolicLink(Path.Combine(host.Path, "absolute"), Path.Combine(outside.Path, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(host.Path, "relative"), "../" + System.IO.Path.GetFileName(outside.Path) + "/secret.txt");
        File.CreateSymbolicLink(Path.Combine(host.Path, "good"), "in.txt");
        var (fs, _) = host.Import();
        var ctx = fs.RootContext();
        fs.Resolve(ctx, null, "/absolute", true, out _).ShouldBe(Errno.ENOENT);
        fs.Resolve(ctx, null, "/relative", true, out _).ShouldBe(Errno.ENOENT);
        fs.Resolve(ctx, null, "/absolute", false, out var link).ShouldBe(Errno.None);
        link.IsSymlink.ShouldBeTrue();
        fs.Resolve(ctx, null, "/good", true, out var good).ShouldBe(Errno.None);
        good.Size.ShouldBe(6);
    }

    [Fact]
    public void HostImport_DirectoryGoneFromTheHostBeforeItWasRead_IsEmpty()
    {
        using var host = new HostTree();
        host.File("gone/x.txt", "x");
        var (fs, _) = host.Import();
        var ctx = fs.RootContext();
        fs.Resolve(ctx, null, "/", true, out _).ShouldBe(Errno.None);
        ((DirectoryNode)fs.Root).Lookup("gone").ShouldNotBeNull();   // the root was read; gone/ was not
        Directory.Delete(Path.Combine(host.Path, "gone"), true);
        fs.Resolve(ctx, null, "/gone/x.txt", true, out _).ShouldBe(Errno.ENOENT);
        fs.Resolve(ctx, null, "/gone", true, out var gone).ShouldBe(Errno.None);
        ((DirectoryNode)gone).Count.ShouldBe(0);
    }

    [Fact]
    public void HostImport_HardLinks_ShareOneInode_AcrossDirectoriesReadAtDifferentTimes()
    {
        using var host = new HostTree();
        host.File("one/a.txt", "shared");
        Directory.CreateDirectory(Path.Combine(host.Path, "two"));
        HostTree.Link(Path.Combine(host.Path, "one/a.txt"), Path.Combine(host.Path, "two/b.txt"));
        var (fs, _) = host.Import();
        var ctx = fs.RootContext();
        fs.Resolve(ctx, null, "/one/a.txt", true, out var a).ShouldBe(Errno.None);
        fs.Resolve(ctx, null, "/two/b.txt", true, out var b).ShouldBe(Errno.None);
        b.ShouldBeSameAs(a);
        a.LinkCount.ShouldBe(2);
    }

    [Fact]
    public void GeneratedTree_NumbersInodesInCreationOrder_WhicheverOrderItIsWalkedIn()
    {
        const int count = 2345;   // a partial leaf and a partial top directory
        var fs = new FileSystem();
        long first = fs.ReserveInodeNumbers(0);
        GeneratedTree.Build(fs, fs.Root, count);
        // What a complete build in creation order numbers: each new directory, then the file.
        var expected = new Dictionary<string, long>();
        long next = first;
        foreach (var f in GeneratedTree.Files(count))
        {
            string top = f.Directory.Split('/')[0];
            if (expected.TryAdd("/" + top, next)) next++;
            if (expected.TryAdd("/" + f.Directory, next)) next++;
            expected["/" + f.Directory + "/" + f.Name] = next++;
        }
        var ctx = fs.RootContext();
        foreach (var (path, number) in expected.Reverse())
        {
            fs.Resolve(ctx, null, path, true, out var node).ShouldBe(Errno.None, path);
            node.Number.ShouldBe(number, path);
            node.ModifyTime.Seconds.ShouldBe(GeneratedTree.FixedTime);
        }
        fs.ReserveInodeNumbers(0).ShouldBe(next);
        var sizes = GeneratedTree.Files(count).Select(f => (long)f.Size);
        GeneratedTree.Files(count).Select(f => fs.Resolve(ctx, null, "/" + f.Directory + "/" + f.Name, true, out var n) == Errno.None ? n.Size : -1)
            .ShouldBe(sizes);
        fs.Resolve(ctx, null, "/d02", true, out var lastTop).ShouldBe(Errno.None);
        lastTop.LinkCount.ShouldBe(2 + 7);   // leaves 40..46
    }

    [Fact]
    public void DirectoryIndex_AgreesWithADictionary_ThroughAddsRemovesAndReAdds()
    {
        // The directory's own open-addressing index (tombstones, growth) against a plain model, with stable slots.
        var fs = new FileSystem();
        var dir = new DirectoryNode(fs, 0x1ED, fs.Root);
        var model = new Dictionary<string, Inode>();
        var order = new List<string?>();   // slot order as getdents lists it; null for a removed slot
        var random = new Random(1234);
        for (int step = 0; step < 20000; step++)
        {
            string name = "n" + random.Next(600);
            if (random.Next(3) == 0 && model.Remove(name))
            {
                dir.Remove(name).ShouldBeTrue();
                order[order.IndexOf(name)] = null;
            }
            else if (!model.ContainsKey(name))
            {
                var node = random.Next(8) == 0 ? (Inode)new DirectoryNode(fs, 0x1ED, dir) : new RegularFile(fs, 0x1A4);
                dir.Add(name, node);
                model[name] = node;
                order.Add(name);
            }
            if (step % 997 == 0)
            {
                foreach (var (n, node) in model) dir.Lookup(n.AsSpan()).ShouldBeSameAs(node, n);
                dir.Lookup("absent").ShouldBeNull();
                dir.Count.ShouldBe(model.Count);
                dir.LinkCount.ShouldBe(2 + model.Values.Count(v => v is DirectoryNode));
                var listed = new List<string>();
                for (long pos = 2; dir.TryGetEntryAt(pos, out string n, out _, out long at); pos = at + 1)
                {
                    order[(int)at - 2].ShouldBe(n);
                    listed.Add(n);
                }
                listed.ShouldBe(order.Where(n => n != null).Select(n => n!));
            }
        }
        dir.Remove("absent").ShouldBeFalse();
        Should.Throw<ArgumentException>(() => dir.Add(model.Keys.First(), new RegularFile(fs, 0x1A4)));
    }

    /// <summary>A temporary host directory for import tests.</summary>
    private sealed class HostTree : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("kml-vfs-").FullName;

        private readonly List<IDisposable> _resources = [];

        public void File(string relative, string text)
        {
            string full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            System.IO.File.WriteAllText(full, text);
        }

        public (FileSystem Fs, HostImport Import) Import()
        {
            var fs = new FileSystem();
            return (fs, HostTreeImporter.Import(fs, Path, fs.Root, _resources));
        }

        public static void Link(string existing, string newName)
        {
            if (NativeLink(existing, newName) != 0) throw new IOException($"link {existing} {newName} failed");
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
        private static extern int NativeLink(string existing, string newName);

        public void Dispose()
        {
            foreach (var r in _resources) r.Dispose();
            Directory.Delete(Path, true);
        }
    }
}
