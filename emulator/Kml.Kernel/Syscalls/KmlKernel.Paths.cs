using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;
using Kml.Kernel.Vfs;

namespace Kml.Kernel;

// open and the calls that change the name space or metadata: mkdir, unlink, rename, link, symlink, chmod, utimensat...
public sealed partial class KmlKernel
{
    internal long Open(Process p, in SyscallArgs a) => OpenCore(p, At.FdCwd, a.A0, a.I1, a.I2);

    internal long OpenAt(Process p, in SyscallArgs a) => OpenCore(p, a.I0, a.A1, a.I2, a.I3);

    internal long Creat(Process p, in SyscallArgs a) =>
        OpenCore(p, At.FdCwd, a.A0, OpenFlags.Create | OpenFlags.WriteOnly | OpenFlags.Truncate, a.I1);

    private long OpenCore(Process p, int dirfd, uint pathAddress, int flags, int mode)
    {
        var err = ReadPath(p, pathAddress, out string path);
        if (err != Errno.None) return Err(err);
        return OpenPath(p, dirfd, path, flags, mode);
    }

    /// <summary>open with the path already read (TAL's open takes it from a byte array).</summary>
    internal long OpenPath(Process p, int dirfd, string path, int flags, int mode)
    {
        var err = StartDirectory(p, dirfd, path, out var start);
        if (err != Errno.None) return Err(err);
        err = Fs.Open(p.PathContext, start, path, flags, mode & ~p.Umask & 0xFFF, out var node);
        if (err != Errno.None) return Err(err);
        OpenFile file;
        int keep = flags & ~(OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoCtty | OpenFlags.Truncate | OpenFlags.CloseOnExec);
        switch (node)
        {
            case DescriptorLinkNode link:
                // /proc/self/fd/N of a pipe, socket or the console: the same open file (Linux reopens the pipe).
                var shared = p.Files.Get(link.Descriptor);
                if (shared == null) return Err(Errno.ENOENT);
                shared.AddReference();
                file = shared;
                break;
            case DeviceNode { Kind: DeviceKind.Tty }:
                if (!Stdout.IsTerminal) return Err(Errno.ENXIO);
                OpenFile console = (flags & OpenFlags.AccessMode) == OpenFlags.ReadOnly ? Stdin : Stdout;
                console.AddReference();
                file = console;
                break;
            case DeviceNode dev:
                file = new DeviceFile(dev, keep, () => Random);
                break;
            default:
                if ((flags & OpenFlags.Truncate) != 0 && node is RegularFile rf && (flags & OpenFlags.AccessMode) != OpenFlags.ReadOnly)
                    rf.Truncate(0);
                file = new InodeFile(node, keep, AbsolutePath(p, start, path));
                break;
        }
        return p.Files.Allocate(file, (flags & OpenFlags.CloseOnExec) != 0);
    }

    internal long Close(Process p, in SyscallArgs a)
    {
        var file = p.Files.Close(a.I0);
        if (file == null) return Err(Errno.EBADF);
        if (file.Inode != null) Locks.ReleaseFile(p.Pid, file.Inode);
        return 0;
    }

    internal long Mkdir(Process p, in SyscallArgs a) => MkdirCore(p, At.FdCwd, a.A0, a.I1);

    internal long MkdirAt(Process p, in SyscallArgs a) => MkdirCore(p, a.I0, a.A1, a.I2);

    private long MkdirCore(Process p, int dirfd, uint pathAddress, int mode)
    {
        var err = ReadPath(p, pathAddress, out string path);
        if (err != Errno.None) return Err(err);
        err = StartDirectory(p, dirfd, path, out var start);
        if (err != Errno.None) return Err(err);
        return Err(Fs.MakeDirectory(p.PathContext, start, path, mode & ~p.Umask & 0xFFF, out _));
    }

    internal long Mknod(Process p, in SyscallArgs a) => MknodCore(p, At.FdCwd, a.A0, a.I1);

    internal long MknodAt(Process p, in SyscallArgs a) => MknodCore(p, a.I0, a.A1, a.I2);

    /// <summary>mknod for regular files only; device nodes and FIFOs are not supported (EPERM).</summary>
    private long MknodCore(Process p, int dirfd, uint pathAddress, int mode)
    {
        int type = mode & StMode.TypeMask;
        if (type != 0 && type != StMode.Regular) return Err(Errno.EPERM);
        var err = ReadPath(p, pathAddress, out string path);
        if (err != Errno.None) return Err(err);
        err = StartDirectory(p, dirfd, path, out var start);
        if (err != Errno.None) return Err(err);
        err = Fs.Open(p.PathContext, start, path, OpenFlags.Create | OpenFlags.Exclusive, mode & ~p.Umask & 0xFFF, out _);
        return Err(err);
    }

    internal long Rmdir(Process p, in SyscallArgs a)
    {
        var err = ReadPath(p, a.A0, out string path);
        if (err != Errno.None) return Err(err);
        return Err(Fs.RemoveDirectory(p.PathContext, null, path));
    }

    internal long Unlink(Process p, in SyscallArgs a)
    {
        var err = ReadPath(p, a.A0, out string path);
        if (err != Errno.None) return Err(err);
        return Err(Fs.Unlink(p.PathContext, null, path));
    }

    internal long UnlinkAt(Process p, in SyscallArgs a)
    {
        if ((a.I2 & ~At.RemoveDir) != 0) return Err(Errno.EINVAL);
        var err = ReadPath(p, a.A1, out string path);
        if (err != Errno.None) return Err(err);
        err = StartDirectory(p, a.I0, path, out var start);
        if (err != Errno.None) return Err(err);
        return Err((a.I2 & At.RemoveDir) != 0 ? Fs.RemoveDirectory(p.PathContext, start, path) : Fs.Unlink(p.PathContext, start, path));
    }

    internal long Rename(Process p, in SyscallArgs a) => RenameCore(p, At.FdCwd, a.A0, At.FdCwd, a.A1, 0);

    internal long RenameAt(Process p, in SyscallArgs a) => RenameCore(p, a.I0, a.A1, a.I2, a.A3, 0);

    internal long RenameAt2(Process p, in SyscallArgs a) => RenameCore(p, a.I0, a.A1, a.I2, a.A3, a.A4);

    private long RenameCore(Process p, int oldDir, uint oldAddress, int newDir, uint newAddress, uint flags)
    {
        const uint NoReplace = 1;
        if ((flags & ~NoReplace) != 0) return Err(Errno.EINVAL);   // RENAME_EXCHANGE, RENAME_WHITEOUT: not supported
        var err = ReadPath(p, oldAddress, out string oldPath);
        if (err != Errno.None) return Err(err);
        err = ReadPath(p, newAddress, out string newPath);
        if (err != Errno.None) return Err(err);
        err = StartDirectory(p, oldDir, oldPath, out var oldStart);
        if (err != Errno.None) return Err(err);
        err = StartDirectory(p, newDir, newPath, out var newStart);
        if (err != Errno.None) return Err(err);
        return Err(Fs.Rename(p.PathContext, oldStart, oldPath, newStart, newPath, (flags & NoReplace) != 0));
    }

    internal long Link(Process p, in SyscallArgs a) => LinkCore(p, At.FdCwd, a.A0, At.FdCwd, a.A1, 0);

    internal long LinkAt(Process p, in SyscallArgs a) => LinkCore(p, a.I0, a.A1, a.I2, a.A3, a.I4);

    private long LinkCore(Process p, int oldDir, uint oldAddress, int newDir, uint newAddress, int flags)
    {
        var err = ReadPath(p, oldAddress, out string oldPath);
        if (err != Errno.None) return Err(err);
        err = ReadPath(p, newAddress, out string newPath);
        if (err != Errno.None) return Err(err);
        err = StartDirectory(p, oldDir, oldPath, out var oldStart);
        if (err != Errno.None) return Err(err);
        err = StartDirectory(p, newDir, newPath, out var newStart);
        if (err != Errno.None) return Err(err);
        return Err(Fs.MakeHardLink(p.PathContext, oldStart, oldPath, newStart, newPath, (flags & At.SymlinkFollow) != 0));
    }

    internal long Symlink(Process p, in SyscallArgs a) => SymlinkCore(p, a.A0, At.FdCwd, a.A1);

    internal long SymlinkAt(Process p, in SyscallArgs a) => SymlinkCore(p, a.A0, a.I1, a.A2);

    private long SymlinkCore(Process p, uint targetAddress, int dirfd, uint pathAddress)
    {
        var err = ReadPath(p, targetAddress, out string target);
        if (err != Errno.None) return Err(err);
        err = ReadPath(p, pathAddress, out string path);
        if (err != Errno.None) return Err(err);
        err = StartDirectory(p, dirfd, path, out var start);
        if (err != Errno.None) return Err(err);
        return Err(Fs.MakeSymlink(p.PathContext, start, target, path));
    }

    internal long Readlink(Process p, in SyscallArgs a) => ReadlinkCore(p, At.FdCwd, a.A0, a.A1, a.I2);

    internal long ReadlinkAt(Process p, in SyscallArgs a) => ReadlinkCore(p, a.I0, a.A1, a.A2, a.I3);

    private long ReadlinkCore(Process p, int dirfd, uint pathAddress, uint buffer, int size)
    {
        if (size <= 0) return Err(Errno.EINVAL);
        var err = ResolveAt(p, dirfd, pathAddress, At.SymlinkNoFollow | At.EmptyPath, out var node, out _);
        if (err != Errno.None) return Err(err);
        string? target = FileSystem.SymlinkTarget(p.PathContext, node);
        if (target == null) return Err(Errno.EINVAL);
        var bytes = System.Text.Encoding.Latin1.GetBytes(target);
        int n = Math.Min(bytes.Length, size);
        return p.Memory.CopyToUser(buffer, bytes.AsSpan(0, n)) ? n : Err(Errno.EFAULT);
    }

    internal long Chdir(Process p, in SyscallArgs a)
    {
        var err = ReadPath(p, a.A0, out string path);
        if (err != Errno.None) return Err(err);
        err = Fs.Resolve(p.PathContext, null, path, true, out var node);
        if (err != Errno.None) return Err(err);
        return SetCwd(p, node);
    }

    internal long Fchdir(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null) return Err(Errno.EBADF);
        return f.Inode == null ? Err(Errno.ENOTDIR) : SetCwd(p, f.Inode);
    }

    private static long SetCwd(Process p, Inode node)
    {
        if (node is not DirectoryNode dir) return Err(node is DynamicDirectoryNode ? Errno.EACCES : Errno.ENOTDIR);
        if (!dir.MayAccess(p.Credentials, 1)) return Err(Errno.EACCES);
        p.PathContext.Cwd = dir;
        return 0;
    }

    internal long GetCwd(Process p, in SyscallArgs a)
    {
        string? path = FileSystem.PathOf(p.PathContext, p.PathContext.Cwd);
        if (path == null) return Err(Errno.ENOENT);
        var bytes = System.Text.Encoding.Latin1.GetBytes(path + "\0");
        if (bytes.Length > a.A1) return Err(Errno.ERANGE);
        return p.Memory.CopyToUser(a.A0, bytes) ? bytes.Length : Err(Errno.EFAULT);
    }

    internal long Umask(Process p, in SyscallArgs a)
    {
        int old = p.Umask;
        p.Umask = a.I0 & 0x1FF;
        return old;
    }

    internal long Access(Process p, in SyscallArgs a) => AccessCore(p, At.FdCwd, a.A0, a.I1, 0);

    internal long FaccessAt(Process p, in SyscallArgs a) => AccessCore(p, a.I0, a.A1, a.I2, 0);

    internal long FaccessAt2(Process p, in SyscallArgs a) => AccessCore(p, a.I0, a.A1, a.I2, a.I3);

    private long AccessCore(Process p, int dirfd, uint pathAddress, int mode, int flags)
    {
        if ((mode & ~7) != 0) return Err(Errno.EINVAL);
        var err = ResolveAt(p, dirfd, pathAddress, flags, out var node, out _);
        if (err != Errno.None) return Err(err);
        if (mode == 0) return 0;
        var c = p.Credentials;
        var who = (flags & At.EAccess) != 0 ? c : c with { Euid = c.Uid, Egid = c.Gid };
        return node.MayAccess(who, mode) ? 0 : Err(Errno.EACCES);
    }

    // ---------------------------------------------------------------- metadata

    internal long Chmod(Process p, in SyscallArgs a) => ChmodPath(p, At.FdCwd, a.A0, a.I1, 0);

    internal long FchmodAt(Process p, in SyscallArgs a) => ChmodPath(p, a.I0, a.A1, a.I2, 0);

    private long ChmodPath(Process p, int dirfd, uint pathAddress, int mode, int flags)
    {
        var err = ResolveAt(p, dirfd, pathAddress, flags, out var node, out _);
        return err != Errno.None ? Err(err) : SetMode(p, node, mode);
    }

    internal long Fchmod(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null) return Err(Errno.EBADF);
        return f.Inode == null ? Err(Errno.EINVAL) : SetMode(p, f.Inode, a.I1);
    }

    private static long SetMode(Process p, Inode node, int mode)
    {
        if (p.Credentials.Euid != 0 && p.Credentials.Euid != node.Uid) return Err(Errno.EPERM);
        node.Mode = (node.Mode & StMode.TypeMask) | (mode & StMode.PermissionMask);
        node.TouchChange();
        return 0;
    }

    internal long Chown(Process p, in SyscallArgs a) => ChownPath(p, At.FdCwd, a.A0, a.I1, a.I2, 0);

    internal long Lchown(Process p, in SyscallArgs a) => ChownPath(p, At.FdCwd, a.A0, a.I1, a.I2, At.SymlinkNoFollow);

    internal long FchownAt(Process p, in SyscallArgs a) => ChownPath(p, a.I0, a.A1, a.I2, a.I3, a.I4);

    /// <summary>The 16-bit chown family: -1 is 0xFFFF there.</summary>
    internal long Chown16(Process p, in SyscallArgs a) =>
        ChownPath(p, At.FdCwd, a.A0, Widen16(a.A1), Widen16(a.A2), 0);

    internal long Fchown16(Process p, in SyscallArgs a) => FchownCore(p, a.I0, Widen16(a.A1), Widen16(a.A2));

    internal long Fchown(Process p, in SyscallArgs a) => FchownCore(p, a.I0, a.I1, a.I2);

    private static int Widen16(uint id) => (id & 0xFFFF) == 0xFFFF ? -1 : (int)(id & 0xFFFF);

    private long FchownCore(Process p, int fd, int uid, int gid)
    {
        var f = p.Files.Get(fd);
        if (f == null) return Err(Errno.EBADF);
        return f.Inode == null ? Err(Errno.EINVAL) : SetOwner(p, f.Inode, uid, gid);
    }

    private long ChownPath(Process p, int dirfd, uint pathAddress, int uid, int gid, int flags)
    {
        var err = ResolveAt(p, dirfd, pathAddress, flags, out var node, out _);
        return err != Errno.None ? Err(err) : SetOwner(p, node, uid, gid);
    }

    private static long SetOwner(Process p, Inode node, int uid, int gid)
    {
        var c = p.Credentials;
        if (c.Euid != 0)
        {
            // An ordinary user may only "change" to the current owner and to one of its own groups.
            if ((uid != -1 && uid != node.Uid) || (gid != -1 && (c.Euid != node.Uid || !c.InGroup(gid)))) return Err(Errno.EPERM);
        }
        if (uid != -1) node.Uid = uid;
        if (gid != -1) node.Gid = gid;
        node.TouchChange();
        return 0;
    }

    internal long Truncate(Process p, in SyscallArgs a) => TruncatePath(p, a.A0, a.I1);

    internal long Truncate64(Process p, in SyscallArgs a) => TruncatePath(p, a.A0, (long)(a.A1 | ((ulong)a.A2 << 32)));

    private long TruncatePath(Process p, uint pathAddress, long length)
    {
        var err = ReadPath(p, pathAddress, out string path);
        if (err != Errno.None) return Err(err);
        err = Fs.Resolve(p.PathContext, null, path, true, out var node);
        if (err != Errno.None) return Err(err);
        if (node.IsDirectory) return Err(Errno.EISDIR);
        if (node is not RegularFile file) return Err(Errno.EINVAL);
        if (!node.MayAccess(p.Credentials, 2)) return Err(Errno.EACCES);
        return TruncateFile(file, length);
    }

    internal long Ftruncate(Process p, in SyscallArgs a) => TruncateFd(p, a.I0, a.I1);

    internal long Ftruncate64(Process p, in SyscallArgs a) => TruncateFd(p, a.I0, (long)(a.A1 | ((ulong)a.A2 << 32)));

    private static long TruncateFd(Process p, int fd, long length)
    {
        var f = p.Files.Get(fd);
        if (f == null) return Err(Errno.EBADF);
        if (f.Inode is not RegularFile file || !f.CanWrite) return Err(Errno.EINVAL);
        return TruncateFile(file, length);
    }

    private static long TruncateFile(RegularFile file, long length)
    {
        if (length < 0) return Err(Errno.EINVAL);
        if (length > RegularFile.MaxSize) return Err(Errno.EFBIG);
        file.Truncate(length);
        return 0;
    }

    private const long UtimeNow = (1 << 30) - 1, UtimeOmit = (1 << 30) - 2;

    internal long UtimensAt(Process p, in SyscallArgs a) => UtimensCore(p, a.I0, a.A1, a.A2, a.I3, wide: false);

    internal long UtimensAt64(Process p, in SyscallArgs a) => UtimensCore(p, a.I0, a.A1, a.A2, a.I3, wide: true);

    private long UtimensCore(Process p, int dirfd, uint pathAddress, uint timesAddress, int flags, bool wide)
    {
        Inode node;
        if (pathAddress == 0)
        {
            var f = p.Files.Get(dirfd);
            if (f?.Inode == null) return Err(Errno.EBADF);
            node = f.Inode;
        }
        else
        {
            var err = ResolveAt(p, dirfd, pathAddress, flags, out node, out _);
            if (err != Errno.None) return Err(err);
        }
        var now = Fs.Now();
        Timespec atime = now, mtime = now;
        if (timesAddress != 0)
        {
            int size = wide ? 16 : 8;
            var buf = new byte[size * 2];
            if (!p.Memory.CopyFromUser(timesAddress, buf)) return Err(Errno.EFAULT);
            (long S, long N) Read(int i) => wide
                ? (BitConverter.ToInt64(buf, i * 16), BitConverter.ToInt64(buf, i * 16 + 8))
                : (BitConverter.ToInt32(buf, i * 8), BitConverter.ToInt32(buf, i * 8 + 4));
            var (aS, aN) = Read(0);
            var (mS, mN) = Read(1);
            if ((aN != UtimeNow && aN != UtimeOmit && (aN < 0 || aN >= 1_000_000_000)) ||
                (mN != UtimeNow && mN != UtimeOmit && (mN < 0 || mN >= 1_000_000_000)))
                return Err(Errno.EINVAL);
            atime = aN == UtimeNow ? now : aN == UtimeOmit ? node.AccessTime : new Timespec(aS, aN);
            mtime = mN == UtimeNow ? now : mN == UtimeOmit ? node.ModifyTime : new Timespec(mS, mN);
            bool bothNow = aN == UtimeNow && mN == UtimeNow;
            if (!bothNow && p.Credentials.Euid != 0 && p.Credentials.Euid != node.Uid) return Err(Errno.EPERM);
        }
        node.AccessTime = atime;
        node.ModifyTime = mtime;
        node.ChangeTime = now;
        return 0;
    }

    internal long Utimes(Process p, in SyscallArgs a)
    {
        var err = ReadPath(p, a.A0, out string path);
        if (err != Errno.None) return Err(err);
        err = Fs.Resolve(p.PathContext, null, path, true, out var node);
        if (err != Errno.None) return Err(err);
        var now = Fs.Now();
        if (a.A1 == 0)
        {
            node.AccessTime = node.ModifyTime = node.ChangeTime = now;
            return 0;
        }
        Span<byte> buf = stackalloc byte[16];
        if (!p.Memory.CopyFromUser(a.A1, buf)) return Err(Errno.EFAULT);
        node.AccessTime = new Timespec(BitConverter.ToInt32(buf), BitConverter.ToInt32(buf[4..]) * 1000L);
        node.ModifyTime = new Timespec(BitConverter.ToInt32(buf[8..]), BitConverter.ToInt32(buf[12..]) * 1000L);
        node.ChangeTime = now;
        return 0;
    }

    internal long Sync(Process p, in SyscallArgs a) => 0;

    internal long Fsync(Process p, in SyscallArgs a) => p.Files.Get(a.I0) == null ? Err(Errno.EBADF) : 0;

    internal long Fadvise(Process p, in SyscallArgs a) => p.Files.Get(a.I0) == null ? Err(Errno.EBADF) : 0;
}
