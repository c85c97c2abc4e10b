using System.Buffers.Binary;
using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;
using Kml.Kernel.Vfs;

namespace Kml.Kernel;

// stat64, fstatat64, statx, statfs and getdents64: the layouts are the i386 kernel's.
public sealed partial class KmlKernel
{
    /// <summary>The metadata stat reports, from an inode or from an inode-less open file (pipe, console, socket).</summary>
    internal readonly record struct StatData(ulong Ino, int Mode, int Nlink, int Uid, int Gid, uint Rdev, long Size, long Blocks,
        Timespec Atime, Timespec Mtime, Timespec Ctime);

    internal StatData StatOf(Inode node) => new(
        (ulong)node.Number, node.Mode, node.LinkCount, node.Uid, node.Gid, node is DeviceNode d ? d.Rdev : 0, node.Size, node.Blocks,
        node.AccessTime, node.ModifyTime, node.ChangeTime);

    internal StatData StatOf(OpenFile file)
    {
        if (file.Inode != null) return StatOf(file.Inode);
        var (mode, ino) = file.AnonymousIdentity;
        var t = new Timespec(RealtimeAtBoot / 1_000_000_000, 0);
        return new StatData((ulong)ino, mode, 1, HostUid, HostGid, (mode & StMode.TypeMask) == StMode.Char ? 0x8800u : 0, 0, 0, t, t, t);
    }

    private const int Stat64Size = 96, StatxSize = 256;

    /// <summary>struct stat64 (96 bytes) into <paramref name="span"/> (which is all zeros).</summary>
    private static void EncodeStat64(in StatData s, Span<byte> span)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(span, FileSystem.DeviceId);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)s.Ino);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)s.Mode);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], (uint)s.Nlink);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)s.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)s.Gid);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], s.Rdev);
        BinaryPrimitives.WriteInt64LittleEndian(span[44..], s.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(span[52..], 4096);
        BinaryPrimitives.WriteInt64LittleEndian(span[56..], s.Blocks);
        BinaryPrimitives.WriteUInt32LittleEndian(span[64..], (uint)s.Atime.Seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(span[68..], (uint)s.Atime.Nanoseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(span[72..], (uint)s.Mtime.Seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(span[76..], (uint)s.Mtime.Nanoseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(span[80..], (uint)s.Ctime.Seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(span[84..], (uint)s.Ctime.Nanoseconds);
        BinaryPrimitives.WriteUInt64LittleEndian(span[88..], s.Ino);
    }

    /// <summary>struct statx (256 bytes) into <paramref name="span"/> (which is all zeros).</summary>
    private static void EncodeStatx(in StatData s, Span<byte> span)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span, StatxMask.BasicStats);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)s.Nlink);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], (uint)s.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)s.Gid);
        BinaryPrimitives.WriteUInt16LittleEndian(span[28..], (ushort)s.Mode);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], s.Ino);
        BinaryPrimitives.WriteInt64LittleEndian(span[40..], s.Size);
        BinaryPrimitives.WriteInt64LittleEndian(span[48..], s.Blocks);
        WriteStatxTime(span[64..], s.Atime);
        WriteStatxTime(span[96..], s.Ctime);
        WriteStatxTime(span[112..], s.Mtime);
        BinaryPrimitives.WriteUInt32LittleEndian(span[128..], s.Rdev >> 8 & 0xFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(span[132..], (s.Rdev & 0xFF) | ((s.Rdev >> 12) & 0xFFF00));
        BinaryPrimitives.WriteUInt32LittleEndian(span[136..], (uint)(FileSystem.DeviceId >> 8));
        BinaryPrimitives.WriteUInt32LittleEndian(span[140..], (uint)(FileSystem.DeviceId & 0xFF));
    }

    // The stat buffers are built on the stack: a stat is a quarter of busybox find's system calls (docs/kernel.md).
    private static bool WriteStat64(Process p, uint address, in StatData s)
    {
        Span<byte> b = stackalloc byte[Stat64Size];
        EncodeStat64(s, b);
        return WriteBytes(p, address, b);
    }

    private static bool WriteStatx(Process p, uint address, in StatData s)
    {
        Span<byte> b = stackalloc byte[StatxSize];
        EncodeStatx(s, b);
        return WriteBytes(p, address, b);
    }

    private static void WriteStatxTime(Span<byte> at, Timespec t)
    {
        BinaryPrimitives.WriteInt64LittleEndian(at, t.Seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(at[8..], (uint)t.Nanoseconds);
    }

    internal long Stat64(Process p, in SyscallArgs a) => StatPath(p, At.FdCwd, a.A0, a.A1, 0);

    internal long Lstat64(Process p, in SyscallArgs a) => StatPath(p, At.FdCwd, a.A0, a.A1, At.SymlinkNoFollow);

    internal long FstatAt64(Process p, in SyscallArgs a) => StatPath(p, a.I0, a.A1, a.A2, a.I3);

    private long StatPath(Process p, int dirfd, uint pathAddress, uint buffer, int flags)
    {
        if ((flags & ~(At.SymlinkNoFollow | At.EmptyPath | At.NoAutomount)) != 0) return Err(Errno.EINVAL);
        var err = ResolveAt(p, dirfd, pathAddress, flags, out var node, out var viaFd);
        if (err != Errno.None) return Err(err);
        var data = viaFd != null ? StatOf(viaFd) : StatOf(node);
        return WriteStat64(p, buffer, data) ? 0 : Err(Errno.EFAULT);
    }

    internal long Fstat64(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null) return Err(Errno.EBADF);
        return WriteStat64(p, a.A1, StatOf(f)) ? 0 : Err(Errno.EFAULT);
    }

    internal long Statx(Process p, in SyscallArgs a)
    {
        int flags = a.I2;
        const int SyncMask = 0x6000;
        if ((flags & ~(At.SymlinkNoFollow | At.EmptyPath | At.NoAutomount | SyncMask)) != 0) return Err(Errno.EINVAL);
        var err = ResolveAt(p, a.I0, a.A1, flags, out var node, out var viaFd);
        if (err != Errno.None) return Err(err);
        var data = viaFd != null ? StatOf(viaFd) : StatOf(node);
        return WriteStatx(p, a.A4, data) ? 0 : Err(Errno.EFAULT);
    }

    // ---------------------------------------------------------------- statfs

    private const uint TmpfsMagic = 0x01021994;

    private byte[] EncodeStatfs(bool wide)
    {
        long total = PhysicalMemory.Size / 4096, free = Pages.FreeCount;
        var b = new byte[wide ? 84 : 64];
        var s = b.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, TmpfsMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], 4096);
        if (wide)
        {
            BinaryPrimitives.WriteInt64LittleEndian(s[8..], total);
            BinaryPrimitives.WriteInt64LittleEndian(s[16..], free);
            BinaryPrimitives.WriteInt64LittleEndian(s[24..], free);
            BinaryPrimitives.WriteInt64LittleEndian(s[32..], 1 << 20);
            BinaryPrimitives.WriteInt64LittleEndian(s[40..], 1 << 19);
            BinaryPrimitives.WriteUInt32LittleEndian(s[56..], FileSystem.MaxNameLength);
            BinaryPrimitives.WriteUInt32LittleEndian(s[60..], 4096);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[8..], (uint)total);
            BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)free);
            BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)free);
            BinaryPrimitives.WriteUInt32LittleEndian(s[20..], 1 << 20);
            BinaryPrimitives.WriteUInt32LittleEndian(s[24..], 1 << 19);
            BinaryPrimitives.WriteUInt32LittleEndian(s[36..], FileSystem.MaxNameLength);
            BinaryPrimitives.WriteUInt32LittleEndian(s[40..], 4096);
        }
        return b;
    }

    internal long Statfs(Process p, in SyscallArgs a) => StatfsPath(p, a.A0, a.A1, false);

    internal long Statfs64(Process p, in SyscallArgs a) => a.A1 != 84 ? Err(Errno.EINVAL) : StatfsPath(p, a.A0, a.A2, true);

    private long StatfsPath(Process p, uint pathAddress, uint buffer, bool wide)
    {
        var err = ReadPath(p, pathAddress, out string path);
        if (err != Errno.None) return Err(err);
        err = Fs.Resolve(p.PathContext, null, path, true, out _);
        if (err != Errno.None) return Err(err);
        return WriteBytes(p, buffer, EncodeStatfs(wide)) ? 0 : Err(Errno.EFAULT);
    }

    internal long Fstatfs(Process p, in SyscallArgs a) =>
        p.Files.Get(a.I0) == null ? Err(Errno.EBADF) : WriteBytes(p, a.A1, EncodeStatfs(false)) ? 0 : Err(Errno.EFAULT);

    internal long Fstatfs64(Process p, in SyscallArgs a) =>
        p.Files.Get(a.I0) == null ? Err(Errno.EBADF) : a.A1 != 84 ? Err(Errno.EINVAL) : WriteBytes(p, a.A2, EncodeStatfs(true)) ? 0 : Err(Errno.EFAULT);

    // ---------------------------------------------------------------- getdents

    private static byte DirentType(Inode node) => (node.Mode & StMode.TypeMask) switch
    {
        StMode.Directory => 4,
        StMode.Regular => 8,
        StMode.Symlink => 10,
        StMode.Char => 2,
        StMode.Block => 6,
        StMode.Fifo => 1,
        StMode.Socket => 12,
        _ => 0,
    };

    internal long GetDents64(Process p, in SyscallArgs a) => GetDentsCore(p, a.I0, a.A1, a.A2, wide: true);

    internal long GetDents(Process p, in SyscallArgs a) => GetDentsCore(p, a.I0, a.A1, a.A2, wide: false);

    /// <summary>
    /// Fills linux_dirent64 (or the old linux_dirent) records. d_off is the position of the next entry, so a
    /// reader that seeks back to a d_off resumes exactly there (see <see cref="DirectoryNode"/>).
    /// </summary>
    private long GetDentsCore(Process p, int fd, uint buffer, uint count, bool wide)
    {
        var f = p.Files.Get(fd);
        if (f == null) return Err(Errno.EBADF);
        if (f is not InodeFile file) return Err(Errno.ENOTDIR);
        // Records go straight into one buffer (reused across calls), without a list of entries first: getdents64 is
        // the other half of a directory walk's system calls.
        int limit = (int)Math.Min(count, 1u << 20);
        var output = DirentBuffer(limit);
        int used = 0;
        if (file.Inode is DirectoryNode dir)
        {
            long pos = file.Offset;
            for (int n = 0; n < 4096 && dir.TryGetEntryAt(pos, out string name, out var node, out long at); n++)
            {
                long next = at + 1;
                if (!TryAppendDirent(output, limit, ref used, wide, name, (ulong)node.Number, DirentType(node), next))
                {
                    if (used == 0) return Err(Errno.EINVAL);
                    break;
                }
                file.Offset = next;
                pos = next;
            }
        }
        else if (file.Inode is DynamicDirectoryNode dyn)
        {
            var names = new List<string> { ".", ".." };
            names.AddRange(dyn.List(p.PathContext));
            for (long i = file.Offset; i < names.Count; i++)
            {
                if (!TryAppendDirent(output, limit, ref used, wide, names[(int)i], (ulong)(dyn.Number * 1000 + i), i < 2 ? (byte)4 : (byte)10, i + 1))
                {
                    if (used == 0) return Err(Errno.EINVAL);
                    break;
                }
                file.Offset = i + 1;
            }
        }
        else
        {
            return Err(Errno.ENOTDIR);
        }
        return p.Memory.CopyToUser(buffer, output.AsSpan(0, used)) ? used : Err(Errno.EFAULT);
    }

    private byte[] _direntBuffer = [];

    /// <summary>The getdents output buffer, at least <paramref name="size"/> bytes (only the first <c>used</c> bytes are copied out).</summary>
    private byte[] DirentBuffer(int size)
    {
        if (_direntBuffer.Length < size) _direntBuffer = new byte[Math.Max(size, 32 << 10)];
        return _direntBuffer;
    }

    /// <summary>Appends one linux_dirent64 (or linux_dirent) record if it fits in the first <paramref name="limit"/> bytes.</summary>
    private static bool TryAppendDirent(byte[] output, int limit, ref int used, bool wide, string name, ulong ino, byte type, long next)
    {
        int nameLength = name.Length;
        int reclen = wide ? (19 + nameLength + 1 + 7) & ~7 : (10 + nameLength + 2 + 3) & ~3;
        if (used + reclen > limit) return false;
        var rec = output.AsSpan(used, reclen);
        rec.Clear();
        if (wide)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(rec, ino);
            BinaryPrimitives.WriteInt64LittleEndian(rec[8..], next);
            BinaryPrimitives.WriteUInt16LittleEndian(rec[16..], (ushort)reclen);
            rec[18] = type;
            for (int i = 0; i < nameLength; i++) rec[19 + i] = (byte)name[i];
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)ino);
            BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], (uint)next);
            BinaryPrimitives.WriteUInt16LittleEndian(rec[8..], (ushort)reclen);
            for (int i = 0; i < nameLength; i++) rec[10 + i] = (byte)name[i];
            rec[reclen - 1] = type;
        }
        used += reclen;
        return true;
    }
}
