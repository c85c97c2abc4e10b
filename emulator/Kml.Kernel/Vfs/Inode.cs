using Kml.Kernel.Abi;

namespace Kml.Kernel.Vfs;

/// <summary>
/// A file system object: what stat(2) describes. Names live in directories, not here, so an inode may have
/// several names (hard links, <see cref="LinkCount"/>).
/// </summary>
internal abstract class Inode
{
    protected Inode(FileSystem fs, int mode)
    {
        FileSystem = fs;
        Number = fs.NextInodeNumber();
        Mode = mode;
        var now = fs.Now();
        AccessTime = ModifyTime = ChangeTime = now;
        Uid = fs.DefaultUid;
        Gid = fs.DefaultGid;
    }

    /// <summary>
    /// An inode whose number was reserved in advance (<see cref="FileSystem.ReserveInodeNumbers"/>) and whose times are
    /// given: a lazily created node of a generated or imported tree gets the number and times it would have had if the
    /// whole tree had been built at start (and reading the clock per node was a measurable share of building one).
    /// </summary>
    protected Inode(FileSystem fs, int mode, long number, Timespec time)
    {
        FileSystem = fs;
        Number = number;
        Mode = mode;
        AccessTime = ModifyTime = ChangeTime = time;
        Uid = fs.DefaultUid;
        Gid = fs.DefaultGid;
    }

    public FileSystem FileSystem { get; }

    /// <summary>st_ino: unique in this file system, assigned in creation order (deterministic).</summary>
    public long Number { get; }

    /// <summary>st_mode: type and permission bits.</summary>
    public int Mode { get; set; }

    public int Type => Mode & StMode.TypeMask;
    public int Permissions => Mode & StMode.PermissionMask;
    public bool IsDirectory => Type == StMode.Directory;
    public bool IsRegular => Type == StMode.Regular;
    public bool IsSymlink => Type == StMode.Symlink;

    public virtual int LinkCount { get; set; } = 1;
    public int Uid { get; set; }
    public int Gid { get; set; }
    public Timespec AccessTime { get; set; }
    public Timespec ModifyTime { get; set; }
    public Timespec ChangeTime { get; set; }

    /// <summary>st_size.</summary>
    public abstract long Size { get; }

    /// <summary>st_blocks as the host reported it for an imported inode (until its content changes); -1 if none.</summary>
    public long ImportedBlocks { get; set; } = -1;

    /// <summary>st_blocks (512-byte units): the host's figure for imported inodes, else whole 4 KiB blocks.</summary>
    public virtual long Blocks => ImportedBlocks >= 0 ? ImportedBlocks : (Size + 4095) / 4096 * 8;

    /// <summary>Marks a change of content (mtime and ctime).</summary>
    public void Touch()
    {
        var now = FileSystem.Now();
        ModifyTime = ChangeTime = now;
    }

    /// <summary>Marks a change of metadata (ctime).</summary>
    public void TouchChange() => ChangeTime = FileSystem.Now();

    /// <summary>
    /// Permission check in the classic Unix way: owner, group, other; root may do anything except execute a file
    /// that has no execute bit at all. <paramref name="want"/> is a mask of 4 (read), 2 (write), 1 (execute).
    /// </summary>
    public bool MayAccess(Credentials who, int want)
    {
        if (who.Euid == 0)
            return (want & 1) == 0 || IsDirectory || (Mode & 0x49) != 0;
        int bits = who.Euid == Uid ? (Mode >> 6) & 7 : who.InGroup(Gid) ? (Mode >> 3) & 7 : Mode & 7;
        return (bits & want) == want;
    }
}
