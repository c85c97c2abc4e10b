using Kml.Kernel.Abi;
using Kml.Kernel.Vfs;
using Shouldly;

namespace Kml.Kernel.Tests.Support;

/// <summary>The small tree of Cases/paths.txt, built through the file system's own operations.</summary>
internal sealed class VfsFixture
{
    public FileSystem Fs { get; } = new(() => new Timespec(1_700_000_000, 0));
    public PathContext Context { get; }

    public VfsFixture()
    {
        Context = Fs.RootContext();
        Fs.MakeDirectory(Context, null, "/a", 0x1ED, out var a).ShouldBe(Errno.None);
        Fs.MakeDirectory(Context, null, "/a/b", 0x1ED, out _).ShouldBe(Errno.None);
        Fs.Open(Context, null, "/a/b/file.txt", OpenFlags.Create | OpenFlags.WriteOnly, 0x1A4, out _).ShouldBe(Errno.None);
        Fs.Open(Context, null, "/a/b/notdir", OpenFlags.Create | OpenFlags.WriteOnly, 0x1A4, out _).ShouldBe(Errno.None);
        Fs.MakeSymlink(Context, null, "b", "/a/link-to-b").ShouldBe(Errno.None);
        Fs.MakeSymlink(Context, null, "/a/b/file.txt", "/a/abs").ShouldBe(Errno.None);
        Fs.MakeSymlink(Context, null, "nowhere", "/a/dangling").ShouldBe(Errno.None);
        Fs.MakeSymlink(Context, null, "loop2", "/loop1").ShouldBe(Errno.None);
        Fs.MakeSymlink(Context, null, "loop1", "/loop2").ShouldBe(Errno.None);
        Fs.MakeSymlink(Context, null, "../a", "/a/up").ShouldBe(Errno.None);
        Fs.MakeSymlink(Context, null, "self", "/self").ShouldBe(Errno.None);
        Context.Cwd = a!;
    }

    /// <summary>The absolute path of a resolved node (by searching the tree: test-sized).</summary>
    public string PathOf(Inode node)
    {
        if (node == Fs.Root) return "/";
        foreach (var (path, n) in Walk(Fs.Root, ""))
            if (n == node) return path;
        return "?";
    }

    private static IEnumerable<(string, Inode)> Walk(DirectoryNode dir, string prefix)
    {
        foreach (var e in dir.Entries)
        {
            string p = prefix + "/" + e.Name;
            yield return (p, e.Node);
            if (e.Node is DirectoryNode sub)
                foreach (var x in Walk(sub, p)) yield return x;
        }
    }
}
