namespace Kml;

/// <summary>
/// Reads the records that <see cref="Directories.ReadEntries"/> puts into a byte array: Linux's
/// <c>linux_dirent64</c> layout, the same on i386 and x86-64 (inode: 8 bytes at +0, next offset: 8 at +8,
/// record length: 2 at +16, type: 1 at +18, the name at +19, NUL-terminated; all little-endian). The
/// position of the next record is the position plus <see cref="RecordLength"/>.
/// </summary>
public static class DirectoryEntries
{
    /// <summary>DT_UNKNOWN: the file system did not say; ask <see cref="Files.LinkStatus"/>.</summary>
    public const int Unknown = 0;
    /// <summary>DT_FIFO: a named pipe.</summary>
    public const int Fifo = 1;
    /// <summary>DT_CHR: a character device.</summary>
    public const int CharacterDevice = 2;
    /// <summary>DT_DIR: a directory.</summary>
    public const int Directory = 4;
    /// <summary>DT_BLK: a block device.</summary>
    public const int BlockDevice = 6;
    /// <summary>DT_REG: a regular file.</summary>
    public const int RegularFile = 8;
    /// <summary>DT_LNK: a symbolic link.</summary>
    public const int SymbolicLink = 10;
    /// <summary>DT_SOCK: a socket.</summary>
    public const int Socket = 12;

    private const int NameOffset = 19;

    /// <summary>The length in bytes of the record at a position (the distance to the next record).</summary>
    /// <param name="buffer">The buffer ReadEntries filled.</param>
    /// <param name="position">Where the record starts.</param>
    /// <returns>The record length.</returns>
    public static int RecordLength(byte[] buffer, int position)
    {
        return buffer[position + 16] | (buffer[position + 17] << 8);
    }

    /// <summary>The inode number of the entry at a position.</summary>
    /// <param name="buffer">The buffer ReadEntries filled.</param>
    /// <param name="position">Where the record starts.</param>
    /// <returns>The inode number.</returns>
    public static long Inode(byte[] buffer, int position)
    {
        long value = 0;
        for (int i = 7; i >= 0; i--)
        {
            value = (value << 8) | buffer[position + i];
        }
        return value;
    }

    /// <summary>The type of the entry at a position (one of the constants of this class).</summary>
    /// <param name="buffer">The buffer ReadEntries filled.</param>
    /// <param name="position">Where the record starts.</param>
    /// <returns>The entry type.</returns>
    public static int Type(byte[] buffer, int position)
    {
        return buffer[position + 18];
    }

    /// <summary>The length in bytes of the name of the entry at a position (without its terminator).</summary>
    /// <param name="buffer">The buffer ReadEntries filled.</param>
    /// <param name="position">Where the record starts.</param>
    /// <returns>The number of name bytes.</returns>
    public static int NameLength(byte[] buffer, int position)
    {
        int start = position + NameOffset;
        int limit = position + RecordLength(buffer, position);
        int end = start;
        while (end < limit && buffer[end] != 0)
        {
            end++;
        }
        return end - start;
    }

    /// <summary>The name of the entry at a position, decoded from UTF-8.</summary>
    /// <param name="buffer">The buffer ReadEntries filled.</param>
    /// <param name="position">Where the record starts.</param>
    /// <returns>The name.</returns>
    public static string Name(byte[] buffer, int position)
    {
        return Utf8.Decode(buffer, position + NameOffset, NameLength(buffer, position));
    }

    /// <summary>Whether the entry at a position is "." or "..".</summary>
    /// <param name="buffer">The buffer ReadEntries filled.</param>
    /// <param name="position">Where the record starts.</param>
    /// <returns>True for the two entries that every directory lists.</returns>
    public static bool IsDotOrDotDot(byte[] buffer, int position)
    {
        int length = NameLength(buffer, position);
        int name = position + NameOffset;
        if (length == 1)
        {
            return buffer[name] == (byte)'.';
        }
        return length == 2 && buffer[name] == (byte)'.' && buffer[name + 1] == (byte)'.';
    }
}
