namespace Kml;

/// <summary>
/// What <see cref="Files.Status(string, FileStatus)"/> and its overloads report about a file: integers only,
/// like the kernel's stat record. A class, so that a call can fill it in (the subset has no <c>out</c>):
/// allocate one and reuse it.
/// </summary>
public sealed class FileStatus
{
    /// <summary>The device that holds the file (st_dev).</summary>
    public long Device;
    /// <summary>The inode number (st_ino).</summary>
    public long Inode;
    /// <summary>The file type and permission bits (st_mode; see <see cref="FileModes"/>).</summary>
    public int Mode;
    /// <summary>The number of hard links (st_nlink).</summary>
    public int LinkCount;
    /// <summary>The owner's user id (st_uid).</summary>
    public int UserId;
    /// <summary>The owner's group id (st_gid).</summary>
    public int GroupId;
    /// <summary>The device a device file stands for (st_rdev), else 0.</summary>
    public long SpecialDevice;
    /// <summary>The size in bytes (st_size).</summary>
    public long Size;
    /// <summary>The preferred I/O block size (st_blksize).</summary>
    public int BlockSize;
    /// <summary>The number of 512-byte blocks allocated (st_blocks).</summary>
    public long Blocks;
    /// <summary>The last access, in seconds since the Unix epoch (st_atime).</summary>
    public long AccessTime;
    /// <summary>The last modification of the contents, in seconds since the Unix epoch (st_mtime).</summary>
    public long ModificationTime;
    /// <summary>The last change of the inode, in seconds since the Unix epoch (st_ctime).</summary>
    public long ChangeTime;

    /// <summary>The file type bits of <see cref="Mode"/> (one of the type constants of <see cref="FileModes"/>).</summary>
    public int Type => Mode & FileModes.TypeMask;

    /// <summary>The permission bits of <see cref="Mode"/>.</summary>
    public int Permissions => Mode & FileModes.PermissionMask;

    /// <summary>Whether the file is a directory.</summary>
    public bool IsDirectory => (Mode & FileModes.TypeMask) == FileModes.Directory;

    /// <summary>Whether the file is a regular file.</summary>
    public bool IsRegularFile => (Mode & FileModes.TypeMask) == FileModes.RegularFile;

    /// <summary>Whether the file is a symbolic link (only <see cref="Files.LinkStatus"/> reports links).</summary>
    public bool IsSymbolicLink => (Mode & FileModes.TypeMask) == FileModes.SymbolicLink;
}
