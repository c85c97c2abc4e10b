namespace Kml.Kernel.Vfs;

/// <summary>
/// The files the kernel itself provides: <c>/dev/null</c>, <c>/dev/zero</c>, <c>/dev/full</c>, <c>/dev/urandom</c>,
/// <c>/dev/random</c>, <c>/dev/tty</c>, <c>/dev/std{in,out,err}</c>, <c>/proc/self/exe</c> and <c>/proc/self/fd/N</c>.
/// They are hidden entries: they resolve but are not listed, so an imported tree lists exactly the host's files.
/// </summary>
internal static class KernelFiles
{
    public static void Install(KmlKernel kernel)
    {
        var fs = kernel.Fs;
        var dev = HiddenDirectory(fs, fs.Root, "dev");
        AddHidden(dev, "null", new DeviceNode(fs, DeviceKind.Null, 1, 3));
        AddHidden(dev, "zero", new DeviceNode(fs, DeviceKind.Zero, 1, 5));
        AddHidden(dev, "full", new DeviceNode(fs, DeviceKind.Full, 1, 7));
        AddHidden(dev, "random", new DeviceNode(fs, DeviceKind.Random, 1, 8));
        AddHidden(dev, "urandom", new DeviceNode(fs, DeviceKind.Random, 1, 9));
        AddHidden(dev, "tty", new DeviceNode(fs, DeviceKind.Tty, 5, 0));
        AddHidden(dev, "stdin", new SymlinkNode(fs, "/proc/self/fd/0"));
        AddHidden(dev, "stdout", new SymlinkNode(fs, "/proc/self/fd/1"));
        AddHidden(dev, "stderr", new SymlinkNode(fs, "/proc/self/fd/2"));
        AddHidden(dev, "fd", new SymlinkNode(fs, "/proc/self/fd"));

        var proc = HiddenDirectory(fs, fs.Root, "proc");
        DynamicDirectoryNode? self = null;
        var fdDir = new DynamicDirectoryNode(fs,
            (ctx, name) => int.TryParse(name, out int fd) && ctx.Process?.DescriptorTarget(fd) != null
                ? new DescriptorLinkNode(fs, fd)
                : null,
            ctx => ctx.Process?.OpenDescriptors.Select(fd => fd.ToString()) ?? []);
        var exe = new DynamicSymlinkNode(fs, ctx => ctx.Process?.ExecutablePath);
        self = new DynamicDirectoryNode(fs,
            (ctx, name) => name switch { "exe" => exe, "fd" => fdDir, _ => null },
            _ => ["exe", "fd"]) { Parent = proc };
        fdDir.Parent = null;
        AddHidden(proc, "self", self);
    }

    /// <summary>The directory <paramref name="name"/> under <paramref name="parent"/>: the imported one if any, else a hidden one.</summary>
    public static DirectoryNode HiddenDirectory(FileSystem fs, DirectoryNode parent, string name)
    {
        if (parent.Lookup(name) is DirectoryNode existing) return existing;
        var dir = new DirectoryNode(fs, 0x1ED, parent);
        parent.AddHidden(name, dir);
        return dir;
    }

    private static void AddHidden(DirectoryNode dir, string name, Inode node)
    {
        if (dir.Lookup(name) == null) dir.AddHidden(name, node);
    }
}
