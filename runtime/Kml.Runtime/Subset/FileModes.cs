namespace Kml;

/// <summary>
/// The bits of <see cref="FileStatus.Mode"/> (Linux's <c>S_IF*</c> type bits and permission bits), and the
/// usual creation modes for <see cref="Files.Open"/> and <see cref="Directories.Create"/>.
/// </summary>
public static class FileModes
{
    /// <summary>S_IFMT: the mask of the file type bits.</summary>
    public const int TypeMask = 0xF000;
    /// <summary>S_IFSOCK: a socket.</summary>
    public const int Socket = 0xC000;
    /// <summary>S_IFLNK: a symbolic link.</summary>
    public const int SymbolicLink = 0xA000;
    /// <summary>S_IFREG: a regular file.</summary>
    public const int RegularFile = 0x8000;
    /// <summary>S_IFBLK: a block device.</summary>
    public const int BlockDevice = 0x6000;
    /// <summary>S_IFDIR: a directory.</summary>
    public const int Directory = 0x4000;
    /// <summary>S_IFCHR: a character device.</summary>
    public const int CharacterDevice = 0x2000;
    /// <summary>S_IFIFO: a named pipe.</summary>
    public const int Fifo = 0x1000;
    /// <summary>The mask of the permission bits (07777).</summary>
    public const int PermissionMask = 0xFFF;
    /// <summary>0644: read and write for the owner, read for the others (a new file).</summary>
    public const int DefaultFile = 0x1A4;
    /// <summary>0755: everything for the owner, read and search for the others (a new directory).</summary>
    public const int DefaultDirectory = 0x1ED;
}
