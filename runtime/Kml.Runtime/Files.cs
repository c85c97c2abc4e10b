using System.Buffers.Binary;
using Kml.Host;

namespace Kml;

/// <summary>
/// Files, through the typed kernel interface: integer descriptors, byte arrays with an offset and a count,
/// and integer results that are negative error numbers on failure (<c>-Errno.NoEntry</c>); nothing throws.
/// Each method is one system call (named in its summary). On CoreCLR they run on the host's Linux kernel.
/// </summary>
public static unsafe class Files
{
    /// <summary>The standard input descriptor.</summary>
    public const int StandardInput = 0;
    /// <summary>The standard output descriptor (where <c>Console.Write</c> goes).</summary>
    public const int StandardOutput = 1;
    /// <summary>The standard error descriptor.</summary>
    public const int StandardError = 2;

    private const OpenFlags KnownFlags = OpenFlags.WriteOnly | OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Exclusive
        | OpenFlags.Truncate | OpenFlags.Append | OpenFlags.Directory;

    /// <summary>open: opens (or with <see cref="OpenFlags.Create"/> creates) a file.</summary>
    /// <param name="path">The file's path, relative to the current directory or absolute.</param>
    /// <param name="flags">An access mode and options; flags this API does not define give -EINVAL.</param>
    /// <param name="mode">The permission bits of a file that is created (before the umask).</param>
    /// <returns>The lowest free descriptor, or a negative error number.</returns>
    public static int Open(string path, OpenFlags flags, int mode = FileModes.DefaultFile)
    {
        if ((flags & ~KnownFlags) != 0 || (flags & (OpenFlags.WriteOnly | OpenFlags.ReadWrite)) == (OpenFlags.WriteOnly | OpenFlags.ReadWrite))
        {
            return -Errno.Invalid;
        }
        var bytes = HostCall.EncodePath(path);
        if (bytes is null)
        {
            return HostCall.PathError(path);
        }
        int real;
        fixed (byte* p = bytes)
        {
            do
            {
                real = LibC.Open(p, (int)flags | 0x80000 /* O_CLOEXEC: children of the host never inherit it */, mode);
            }
            while (HostCall.Interrupted(real));
        }
        return real < 0 ? LibC.Failure() : Descriptors.Add(real);
    }

    /// <summary>read: reads up to <paramref name="count"/> bytes into buffer[offset..offset+count).</summary>
    /// <param name="descriptor">An open descriptor (a file, a socket, standard input).</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="offset">The index of the first byte to fill.</param>
    /// <param name="count">The most bytes to read.</param>
    /// <returns>The number of bytes read (0 at the end of the file), or a negative error number;
    /// -EFAULT when the range is not inside the array.</returns>
    public static int Read(int descriptor, byte[] buffer, int offset, int count)
        => Transfer(descriptor, buffer, offset, count, &LibC.Read);

    /// <summary>write: writes up to <paramref name="count"/> bytes from buffer[offset..offset+count).</summary>
    /// <param name="descriptor">An open descriptor.</param>
    /// <param name="buffer">The bytes to write.</param>
    /// <param name="offset">The index of the first byte to write.</param>
    /// <param name="count">The number of bytes to write.</param>
    /// <returns>The number of bytes written (possibly fewer than asked), or a negative error number;
    /// -EFAULT when the range is not inside the array.</returns>
    public static int Write(int descriptor, byte[] buffer, int offset, int count)
        => Transfer(descriptor, buffer, offset, count, &LibC.Write);

    // read and write differ only in the call: the range and descriptor checks, and the restart after a signal, are shared.
    private static int Transfer(int descriptor, byte[] buffer, int offset, int count, delegate*<int, byte*, nint, nint> call)
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
            do
            {
                result = call(real, p + offset, count);
            }
            while (HostCall.Interrupted(result));
        }
        return result < 0 ? LibC.Failure() : (int)result;
    }

    /// <summary>close: closes a descriptor (a file, a directory or a socket); its number becomes free.</summary>
    /// <param name="descriptor">An open descriptor.</param>
    /// <returns>0, or a negative error number (-EBADF when it is not open).</returns>
    public static int Close(int descriptor)
    {
        var real = Descriptors.Remove(descriptor);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        // Linux frees the descriptor even when close reports an error, and so do we.
        return LibC.Close(real) < 0 ? LibC.Failure() : 0;
    }

    /// <summary>lseek: moves the file position.</summary>
    /// <param name="descriptor">A descriptor of a regular file (sockets give -ESPIPE).</param>
    /// <param name="offset">The offset, counted from <paramref name="whence"/>.</param>
    /// <param name="whence">Where the offset counts from.</param>
    /// <returns>The new position from the start of the file, or a negative error number.</returns>
    public static long Seek(int descriptor, long offset, Whence whence)
    {
        if (whence < Whence.Start || whence > Whence.End)
        {
            return -Errno.Invalid;
        }
        var real = Descriptors.Lookup(descriptor);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        var result = LibC.Seek(real, offset, (int)whence);
        return result < 0 ? LibC.Failure() : result;
    }

    /// <summary>ftruncate: sets the length of an open regular file (cutting it, or extending it with zeros).</summary>
    /// <param name="descriptor">A descriptor open for writing.</param>
    /// <param name="length">The new length in bytes.</param>
    /// <returns>0, or a negative error number.</returns>
    public static int Truncate(int descriptor, long length)
    {
        var real = Descriptors.Lookup(descriptor);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        int result;
        do
        {
            result = LibC.Truncate(real, length);
        }
        while (HostCall.Interrupted(result));
        return result < 0 ? LibC.Failure() : 0;
    }

    /// <summary>unlink: deletes a file's name (the file goes when nothing holds it open).</summary>
    /// <param name="path">The file's path (directories give -EISDIR; use <see cref="Directories.Delete"/>).</param>
    /// <returns>0, or a negative error number.</returns>
    public static int Delete(string path)
    {
        var bytes = HostCall.EncodePath(path);
        if (bytes is null)
        {
            return HostCall.PathError(path);
        }
        fixed (byte* p = bytes)
        {
            return LibC.Unlink(p) < 0 ? LibC.Failure() : 0;
        }
    }

    /// <summary>stat: describes the file a path names, following symbolic links.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="status">The record to fill in.</param>
    /// <returns>0, or a negative error number (-EFAULT when <paramref name="status"/> is null).</returns>
    public static int Status(string path, FileStatus status) => StatusOf(LibC.AtCurrentDirectory, path, 0, status);

    /// <summary>lstat: like <see cref="Status(string, FileStatus)"/>, but describes a symbolic link itself.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="status">The record to fill in.</param>
    /// <returns>0, or a negative error number.</returns>
    public static int LinkStatus(string path, FileStatus status) => StatusOf(LibC.AtCurrentDirectory, path, LibC.AtSymlinkNoFollow, status);

    /// <summary>fstat: describes the file an open descriptor refers to.</summary>
    /// <param name="descriptor">An open descriptor.</param>
    /// <param name="status">The record to fill in.</param>
    /// <returns>0, or a negative error number.</returns>
    public static int Status(int descriptor, FileStatus status)
    {
        var real = Descriptors.Lookup(descriptor);
        return real < 0 ? -Errno.BadDescriptor : StatusOf(real, "", LibC.AtEmptyPath, status);
    }

    private static int StatusOf(int directory, string path, int flags, FileStatus status)
    {
        if (status is null)
        {
            return -Errno.Fault;
        }
        var bytes = HostCall.EncodePath(path);
        if (bytes is null)
        {
            return HostCall.PathError(path);
        }
        if (bytes.Length == 1 && flags != LibC.AtEmptyPath)
        {
            return -Errno.NoEntry;
        }
        var record = new byte[LibC.StatxSize];
        fixed (byte* p = bytes)
        fixed (byte* r = record)
        {
            if (LibC.Statx(directory, p, flags, LibC.StatxBasicStats, r) < 0)
            {
                return LibC.Failure();
            }
        }
        Fill(status, record);
        return 0;
    }

    // struct statx (include/uapi/linux/stat.h): the same layout on every architecture.
    private static void Fill(FileStatus status, ReadOnlySpan<byte> x)
    {
        status.BlockSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(x[4..]);
        status.LinkCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(x[16..]);
        status.UserId = (int)BinaryPrimitives.ReadUInt32LittleEndian(x[20..]);
        status.GroupId = (int)BinaryPrimitives.ReadUInt32LittleEndian(x[24..]);
        status.Mode = BinaryPrimitives.ReadUInt16LittleEndian(x[28..]);
        status.Inode = (long)BinaryPrimitives.ReadUInt64LittleEndian(x[32..]);
        status.Size = (long)BinaryPrimitives.ReadUInt64LittleEndian(x[40..]);
        status.Blocks = (long)BinaryPrimitives.ReadUInt64LittleEndian(x[48..]);
        status.AccessTime = BinaryPrimitives.ReadInt64LittleEndian(x[64..]);
        status.ChangeTime = BinaryPrimitives.ReadInt64LittleEndian(x[96..]);
        status.ModificationTime = BinaryPrimitives.ReadInt64LittleEndian(x[112..]);
        status.SpecialDevice = EncodeDevice(BinaryPrimitives.ReadUInt32LittleEndian(x[128..]), BinaryPrimitives.ReadUInt32LittleEndian(x[132..]));
        status.Device = EncodeDevice(BinaryPrimitives.ReadUInt32LittleEndian(x[136..]), BinaryPrimitives.ReadUInt32LittleEndian(x[140..]));
    }

    // glibc's makedev: the dev_t that stat reports for (major, minor).
    private static long EncodeDevice(uint major, uint minor) =>
        (long)((((ulong)major & 0xFFFFF000UL) << 32) | (((ulong)major & 0xFFFUL) << 8) | (((ulong)minor & 0xFFFFFF00UL) << 12) | ((ulong)minor & 0xFFUL));
}
