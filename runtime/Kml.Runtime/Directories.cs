using Kml.Host;

namespace Kml;

/// <summary>
/// Directories through the typed kernel interface. Listing is iterator-free: <see cref="Open"/> gives a
/// descriptor, <see cref="ReadEntries"/> fills a byte array with entry records that
/// <see cref="DirectoryEntries"/> reads (or use <see cref="DirectoryReader"/>), and <see cref="Files.Close"/>
/// ends it. Results are negative error numbers on failure; nothing throws.
/// </summary>
public static unsafe class Directories
{
    /// <summary>open(O_RDONLY | O_DIRECTORY): opens a directory for listing.</summary>
    /// <param name="path">The directory's path.</param>
    /// <returns>A descriptor, or a negative error number (-ENOTDIR when the path is not a directory).</returns>
    public static int Open(string path) => Files.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);

    /// <summary>
    /// getdents64: fills buffer[offset..offset+count) with as many whole entry records as fit, continuing where
    /// the previous call stopped. The entries come in the file system's order and include "." and "..".
    /// </summary>
    /// <param name="descriptor">A descriptor from <see cref="Open"/>.</param>
    /// <param name="buffer">Where the records go.</param>
    /// <param name="offset">The index of the first byte to fill.</param>
    /// <param name="count">The room for records; -EINVAL when not even one record fits.</param>
    /// <returns>The number of bytes filled, 0 at the end of the directory, or a negative error number.</returns>
    public static int ReadEntries(int descriptor, byte[] buffer, int offset, int count)
    {
        if (!HostCall.IsValidRange(buffer, offset, count))
        {
            return -Errno.Fault;
        }
        var real = Descriptors.Lookup(descriptor);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        nint result;
        fixed (byte* p = buffer)
        {
            result = LibC.GetDirectoryEntries(real, p + offset, count);
        }
        return result < 0 ? LibC.Failure() : (int)result;
    }

    /// <summary>close: ends a listing (the same as <see cref="Files.Close"/>).</summary>
    /// <param name="descriptor">A descriptor from <see cref="Open"/>.</param>
    /// <returns>0, or a negative error number.</returns>
    public static int Close(int descriptor) => Files.Close(descriptor);

    /// <summary>mkdir: creates a directory.</summary>
    /// <param name="path">The new directory's path.</param>
    /// <param name="mode">Its permission bits (before the umask).</param>
    /// <returns>0, or a negative error number (-EEXIST when the name is taken).</returns>
    public static int Create(string path, int mode = FileModes.DefaultDirectory)
    {
        var bytes = HostCall.EncodePath(path);
        if (bytes is null)
        {
            return HostCall.PathError(path);
        }
        fixed (byte* p = bytes)
        {
            return LibC.MakeDirectory(p, mode) < 0 ? LibC.Failure() : 0;
        }
    }

    /// <summary>rmdir: deletes an empty directory.</summary>
    /// <param name="path">The directory's path.</param>
    /// <returns>0, or a negative error number (-ENOTEMPTY when it still has entries).</returns>
    public static int Delete(string path)
    {
        var bytes = HostCall.EncodePath(path);
        if (bytes is null)
        {
            return HostCall.PathError(path);
        }
        fixed (byte* p = bytes)
        {
            return LibC.RemoveDirectory(p) < 0 ? LibC.Failure() : 0;
        }
    }
}
