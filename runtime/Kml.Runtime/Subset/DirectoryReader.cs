namespace Kml;

/// <summary>
/// Lists a directory one entry at a time, without iterators or exceptions:
/// <code>
/// var reader = new DirectoryReader();
/// if (reader.Open("/tmp") == 0)
/// {
///     while (reader.Next() > 0) { Console.WriteLine(reader.Name); }
///     reader.Close();
/// }
/// </code>
/// The entries come in the file system's order and include "." and ".."; sort the names if the order matters.
/// </summary>
public sealed class DirectoryReader
{
    private readonly byte[] buffer = new byte[4096];
    private int descriptor = -1;
    private int position;
    private int length;

    /// <summary>The name of the current entry (after <see cref="Next"/> returned 1).</summary>
    public string Name = "";

    /// <summary>The type of the current entry (a constant of <see cref="DirectoryEntries"/>).</summary>
    public int Type;

    /// <summary>The inode number of the current entry.</summary>
    public long Inode;

    /// <summary>Opens a directory for listing, closing the one listed before.</summary>
    /// <param name="path">The directory's path.</param>
    /// <returns>0, or a negative error number (-ENOENT, -ENOTDIR, ...).</returns>
    public int Open(string path)
    {
        if (descriptor >= 0)
        {
            Close();
        }
        int fd = Directories.Open(path);
        if (fd < 0)
        {
            return fd;
        }
        descriptor = fd;
        position = 0;
        length = 0;
        return 0;
    }

    /// <summary>Moves to the next entry and fills <see cref="Name"/>, <see cref="Type"/> and <see cref="Inode"/>.</summary>
    /// <returns>1 when there is an entry, 0 at the end, or a negative error number.</returns>
    public int Next()
    {
        if (descriptor < 0)
        {
            return -Errno.BadDescriptor;
        }
        if (position >= length)
        {
            int n = Directories.ReadEntries(descriptor, buffer, 0, buffer.Length);
            if (n <= 0)
            {
                return n;
            }
            position = 0;
            length = n;
        }
        Name = DirectoryEntries.Name(buffer, position);
        Type = DirectoryEntries.Type(buffer, position);
        Inode = DirectoryEntries.Inode(buffer, position);
        position += DirectoryEntries.RecordLength(buffer, position);
        return 1;
    }

    /// <summary>Closes the directory.</summary>
    /// <returns>0, or -EBADF when no directory is open.</returns>
    public int Close()
    {
        if (descriptor < 0)
        {
            return -Errno.BadDescriptor;
        }
        int result = Files.Close(descriptor);
        descriptor = -1;
        position = 0;
        length = 0;
        return result;
    }
}
