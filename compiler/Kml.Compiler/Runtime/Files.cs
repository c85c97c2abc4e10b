// The TAL side of Kml.Files: the same public members as the host implementation (runtime/Kml.Runtime/Files.cs),
// written in the subset over KernelCalls.
namespace Kml;

public static class Files
{
    public const int StandardInput = 0;
    public const int StandardOutput = 1;
    public const int StandardError = 2;

    private const OpenFlags KnownFlags = OpenFlags.WriteOnly | OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Exclusive
        | OpenFlags.Truncate | OpenFlags.Append | OpenFlags.Directory;

    public static int Open(string path, OpenFlags flags, int mode = FileModes.DefaultFile)
    {
        if ((flags & ~KnownFlags) != 0 || (flags & (OpenFlags.WriteOnly | OpenFlags.ReadWrite)) == (OpenFlags.WriteOnly | OpenFlags.ReadWrite))
        {
            return -Errno.Invalid;
        }
        int error = Paths.Check(path);
        if (error != 0)
        {
            return error;
        }
        ConsoleOut.Flush();
        return KernelCalls.Open(Utf8.Encode(path), (int)flags, mode);
    }

    public static int Read(int descriptor, byte[] buffer, int offset, int count)
    {
        if (!Paths.IsValidRange(buffer, offset, count))
        {
            return -Errno.Fault;
        }
        // Output before input: a prompt written with Console.Write appears before the program waits.
        ConsoleOut.Flush();
        return KernelCalls.Read(descriptor, buffer, offset, count);
    }

    public static int Write(int descriptor, byte[] buffer, int offset, int count)
    {
        if (!Paths.IsValidRange(buffer, offset, count))
        {
            return -Errno.Fault;
        }
        ConsoleOut.Flush();
        return KernelCalls.Write(descriptor, buffer, offset, count);
    }

    public static int Close(int descriptor)
    {
        return KernelCalls.Close(descriptor);
    }

    public static long Seek(int descriptor, long offset, Whence whence)
    {
        if (whence < Whence.Start || whence > Whence.End)
        {
            return -Errno.Invalid;
        }
        // llseek: the 64-bit offset as two ints, the 64-bit result in a kml.Offset record.
        KernelOffset result = new KernelOffset();
        int error = KernelCalls.Seek64(descriptor, (int)offset, (int)(offset >> 32), (int)whence, result);
        return error < 0 ? error : result.Value;
    }

    public static int Truncate(int descriptor, long length)
    {
        return KernelCalls.Truncate(descriptor, (int)length, (int)(length >> 32));
    }

    public static int Delete(string path)
    {
        int error = Paths.Check(path);
        if (error != 0)
        {
            return error;
        }
        return KernelCalls.Unlink(Utf8.Encode(path));
    }

    public static int Status(string path, FileStatus status) => StatusOfPath(path, status, false);

    public static int LinkStatus(string path, FileStatus status) => StatusOfPath(path, status, true);

    // stat and lstat differ only in the kernel entry (lstat does not follow a final symbolic link).
    private static int StatusOfPath(string path, FileStatus status, bool link)
    {
        if (status == null)
        {
            return -Errno.Fault;
        }
        int error = Paths.Check(path);
        if (error != 0)
        {
            return error;
        }
        KernelStat record = new KernelStat();
        byte[] name = Utf8.Encode(path);
        int result = link ? KernelCalls.LinkStat(name, record) : KernelCalls.Stat(name, record);
        if (result == 0)
        {
            Fill(status, record);
        }
        return result;
    }

    public static int Status(int descriptor, FileStatus status)
    {
        if (status == null)
        {
            return -Errno.Fault;
        }
        KernelStat record = new KernelStat();
        int result = KernelCalls.StatDescriptor(descriptor, record);
        if (result == 0)
        {
            Fill(status, record);
        }
        return result;
    }

    private static void Fill(FileStatus status, KernelStat record)
    {
        status.Device = (uint)record.Dev;
        status.Inode = (uint)record.Ino;
        status.Mode = record.Mode;
        status.LinkCount = record.Nlink;
        status.UserId = record.Uid;
        status.GroupId = record.Gid;
        status.SpecialDevice = (uint)record.Rdev;
        status.Size = record.Size;
        status.BlockSize = record.Blksize;
        status.Blocks = (uint)record.Blocks;
        status.AccessTime = record.Atime;
        status.ModificationTime = record.Mtime;
        status.ChangeTime = record.Ctime;
    }
}

/// <summary>Argument checks shared by the calls (the host's HostCall).</summary>
internal static class Paths
{
    public static bool IsValidRange(byte[]? buffer, int offset, int count)
    {
        return buffer != null && offset >= 0 && count >= 0 && offset <= buffer.Length - count;
    }

    /// <summary>0, or the error for a path the kernel must not see: null (-EFAULT), containing '\0' (-EINVAL).</summary>
    public static int Check(string? path)
    {
        if (path == null)
        {
            return -Errno.Fault;
        }
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '\0')
            {
                return -Errno.Invalid;
            }
        }
        return 0;
    }
}
