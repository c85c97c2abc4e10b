using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Processes;
using Kml.Kernel.Vfs;

namespace Kml.Kernel;

// Helpers shared by the system-call families: reading arguments from user memory and resolving descriptors.
public sealed partial class KmlKernel
{
    /// <summary>Reads a path argument (at most PATH_MAX bytes, NUL included).</summary>
    internal static Errno ReadPath(Process p, uint address, out string path)
    {
        path = "";
        if (address == 0) return Errno.EFAULT;
        return p.Memory.ReadString(address, FileSystem.MaxPathLength, out path);
    }

    /// <summary>The directory a relative path of a *at call starts from.</summary>
    internal static Errno StartDirectory(Process p, int dirfd, ReadOnlySpan<char> path, out Inode? start)
    {
        start = null;
        if (path.Length > 0 && path[0] == '/') return Errno.None;
        if (dirfd == At.FdCwd) return Errno.None;
        var file = p.Files.Get(dirfd);
        if (file == null) return Errno.EBADF;
        if (file.Inode is not { } inode || !(inode is DirectoryNode || inode is DynamicDirectoryNode)) return Errno.ENOTDIR;
        start = inode;
        return Errno.None;
    }

    private readonly char[] _pathBuffer = new char[FileSystem.MaxPathLength];

    /// <summary>Resolves (dirfd, path) for the *at calls, honouring AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW.</summary>
    internal Errno ResolveAt(Process p, int dirfd, uint pathAddress, int flags, out Inode node, out OpenFile? viaFd)
    {
        node = null!;
        viaFd = null;
        // The path is only resolved, so it is read into the kernel's buffer rather than a new string (the stat calls
        // come here: most of a directory walk's system calls).
        if (pathAddress == 0) return Errno.EFAULT;
        var err = p.Memory.ReadString(pathAddress, FileSystem.MaxPathLength, _pathBuffer, out int length);
        if (err != Errno.None) return err;
        ReadOnlySpan<char> path = _pathBuffer.AsSpan(0, length);
        if (path.Length == 0)
        {
            if ((flags & At.EmptyPath) == 0) return Errno.ENOENT;
            if (dirfd == At.FdCwd)
            {
                node = p.PathContext.Cwd;
                return Errno.None;
            }
            viaFd = p.Files.Get(dirfd);
            if (viaFd == null) return Errno.EBADF;
            node = viaFd.Inode!;
            return Errno.None;
        }
        err = StartDirectory(p, dirfd, path, out var start);
        if (err != Errno.None) return err;
        return Fs.Resolve(p.PathContext, start, path, (flags & At.SymlinkNoFollow) == 0, out node);
    }

    /// <summary>The absolute guest path for a path opened from <paramref name="start"/> (for /proc/self/fd).</summary>
    internal static string AbsolutePath(Process p, Inode? start, string path)
    {
        if (path.StartsWith('/')) return path;
        var dir = start as DirectoryNode ?? p.PathContext.Cwd;
        string basePath = FileSystem.PathOf(p.PathContext, dir) ?? "/";
        return basePath == "/" ? "/" + path : basePath + "/" + path;
    }

    internal bool TryReadUInt64(Process p, uint address, out ulong value)
    {
        value = 0;
        if (!p.Memory.TryReadUInt32(address, out uint lo) || !p.Memory.TryReadUInt32(address + 4, out uint hi)) return false;
        value = lo | ((ulong)hi << 32);
        return true;
    }

    internal static bool TryWriteUInt64(Process p, uint address, ulong value) =>
        p.Memory.TryWriteUInt32(address, (uint)value) && p.Memory.TryWriteUInt32(address + 4, (uint)(value >> 32));

    internal static bool WriteBytes(Process p, uint address, ReadOnlySpan<byte> bytes) => p.Memory.CopyToUser(address, bytes);

    private int[]? _syscallCycles;

    /// <summary>
    /// The cost model's work cycles of system call <paramref name="number"/>, from a table by number built on first use
    /// (the model is keyed by name: a string lookup per call was a measurable share of a cheap call's host time).
    /// </summary>
    internal int SyscallCycles(uint number)
    {
        var table = _syscallCycles ??= BuildSyscallCycles();
        return number < (uint)table.Length ? table[number] : Costs.SyscallCycles(null);
    }

    private int[] BuildSyscallCycles()
    {
        var table = new int[Syscalls.SyscallTable.Count];
        for (int i = 0; i < table.Length; i++) table[i] = Costs.SyscallCycles(Syscalls.SyscallTable.Names[i]);
        return table;
    }
}
