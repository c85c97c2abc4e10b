using Kml.Kernel.Abi;
using Kml.Kernel.Vfs;

namespace Kml.Kernel.Files;

/// <summary>An open regular file or directory of the in-memory file system.</summary>
internal sealed class InodeFile(Inode inode, int flags, string path) : OpenFile(flags)
{
    private long _offset;

    public override Inode Inode { get; } = inode;

    /// <summary>The guest path it was opened by (for /proc/self/fd).</summary>
    public string Path { get; } = path;

    /// <summary>Read position of a directory stream (getdents64 position, see <see cref="DirectoryNode"/>).</summary>
    public long Offset { get => _offset; set => _offset = value; }

    public override long Read(Span<byte> buffer)
    {
        long n = ReadAt(_offset, buffer);
        if (n > 0) _offset += n;
        return n;
    }

    public override long ReadAt(long offset, Span<byte> buffer)
    {
        if (Inode.IsDirectory) return -(long)Errno.EISDIR;
        if (Inode is not RegularFile file) return -(long)Errno.EINVAL;
        if (offset < 0) return -(long)Errno.EINVAL;
        return file.Read(offset, buffer);
    }

    public override long Write(ReadOnlySpan<byte> data, out bool brokenPipe)
    {
        brokenPipe = false;
        if (Inode is not RegularFile file) return -(long)Errno.EINVAL;
        if ((Flags & OpenFlags.Append) != 0) _offset = file.Size;
        long n = WriteAt(_offset, data);
        if (n > 0) _offset += n;
        return n;
    }

    public override long WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        if (Inode is not RegularFile file) return -(long)Errno.EINVAL;
        if (offset < 0) return -(long)Errno.EINVAL;
        if (offset + data.Length > RegularFile.MaxSize) return -(long)Errno.EFBIG;
        if (data.Length == 0) return 0;
        file.Write(offset, data);
        return data.Length;
    }

    public override long Seek(long offset, int whence)
    {
        long basis = whence switch
        {
            Whence.Set => 0,
            Whence.Current => _offset,
            Whence.End => Inode.IsDirectory ? -1 : Inode.Size,
            _ => -2,
        };
        if (basis == -2) return -(long)Errno.EINVAL;
        if (basis == -1) return -(long)Errno.EINVAL;
        long target = basis + offset;
        if (target < 0) return -(long)Errno.EINVAL;
        _offset = target;
        return target;
    }

    public override string Describe() => Path;
}

/// <summary>An open character device (/dev/null, /dev/zero, /dev/full, /dev/urandom).</summary>
internal sealed class DeviceFile(DeviceNode node, int flags, Func<Random> random) : OpenFile(flags)
{
    public override Inode Inode => node;

    public override long Read(Span<byte> buffer)
    {
        switch (node.Kind)
        {
            case DeviceKind.Null:
                return 0;
            case DeviceKind.Random:
                random().NextBytes(buffer);
                return buffer.Length;
            default:
                buffer.Clear();
                return buffer.Length;
        }
    }

    public override long ReadAt(long offset, Span<byte> buffer) => Read(buffer);

    public override long Write(ReadOnlySpan<byte> data, out bool brokenPipe)
    {
        brokenPipe = false;
        return node.Kind == DeviceKind.Full ? -(long)Errno.ENOSPC : data.Length;
    }

    public override long WriteAt(long offset, ReadOnlySpan<byte> data) => Write(data, out _);

    public override long Seek(long offset, int whence) => 0;

    public override string Describe() => node.Kind switch
    {
        DeviceKind.Null => "/dev/null",
        DeviceKind.Zero => "/dev/zero",
        DeviceKind.Full => "/dev/full",
        DeviceKind.Random => "/dev/urandom",
        _ => "/dev/tty",
    };
}
