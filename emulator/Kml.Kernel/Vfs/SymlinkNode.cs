using Kml.Kernel.Abi;

namespace Kml.Kernel.Vfs;

/// <summary>A symbolic link; its size is the length of the target.</summary>
internal sealed class SymlinkNode : Inode
{
    public SymlinkNode(FileSystem fs, string target) : base(fs, StMode.Symlink | 0x1FF) => Target = target;

    /// <summary>A link with a given inode number and times (imported trees; see <see cref="Inode"/>).</summary>
    public SymlinkNode(FileSystem fs, string target, long number, Timespec time) : base(fs, StMode.Symlink | 0x1FF, number, time) => Target = target;

    public string Target { get; }

    public override long Size => Target.Length;

    /// <summary>Short targets live in the inode itself (ext4's fast symlinks): no blocks.</summary>
    public override long Blocks => ImportedBlocks >= 0 ? ImportedBlocks : Target.Length < 60 ? 0 : 8;
}

/// <summary>A symbolic link whose target is computed when it is read (<c>/proc/self/exe</c>, <c>/proc/self/fd/N</c>).</summary>
internal sealed class DynamicSymlinkNode(FileSystem fs, Func<PathContext, string?> target) : Inode(fs, StMode.Symlink | 0x1FF)
{
    public string? TargetFor(PathContext context) => target(context);

    public override long Size => 0;
}

/// <summary>A directory whose entries are computed per lookup (<c>/proc/self</c>, <c>/proc/self/fd</c>).</summary>
internal sealed class DynamicDirectoryNode(FileSystem fs, Func<PathContext, string, Inode?> lookup, Func<PathContext, IEnumerable<string>> list)
    : Inode(fs, StMode.Directory | 0x16D)
{
    public Inode? Lookup(PathContext context, string name) => lookup(context, name);

    public IEnumerable<string> List(PathContext context) => list(context);

    public DirectoryNode? Parent { get; set; }

    public override long Size => 0;
}

/// <summary>
/// <c>/proc/self/fd/N</c>: a "magic" link. Resolution jumps straight to the open file's inode; for a pipe, socket or the
/// console (no inode) the path ends at this node, and open(2) then shares descriptor N's open file.
/// </summary>
internal sealed class DescriptorLinkNode(FileSystem fs, int fd) : Inode(fs, StMode.Symlink | 0x1C0)
{
    public int Descriptor { get; } = fd;

    public override long Size => 0;
}
