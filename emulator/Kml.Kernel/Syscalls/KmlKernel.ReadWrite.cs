using System.Buffers;
using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;
using Kml.Kernel.Vfs;

namespace Kml.Kernel;

// read, write and their vector, positional and sendfile forms. Reads and writes that cannot proceed sleep on the
// file's wait queue and run again when woken; a write that sleeps part-way keeps its progress in the process.
public sealed partial class KmlKernel
{
    /// <summary>Largest transfer of one call (larger requests return a short count, as Linux does past 0x7ffff000).</summary>
    private const int MaxTransfer = 16 << 20;

    internal long Read(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null || !f.CanRead) return Err(Errno.EBADF);
        return ReadInto(p, f, a.A1, Math.Min(a.A2, MaxTransfer), -1);
    }

    internal long Pread64(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null || !f.CanRead) return Err(Errno.EBADF);
        long offset = (long)(a.A3 | ((ulong)a.A4 << 32));
        if (offset < 0) return Err(Errno.EINVAL);
        return ReadInto(p, f, a.A1, Math.Min(a.A2, MaxTransfer), offset);
    }

    /// <summary>Reads into user memory at <paramref name="buffer"/>; <paramref name="offset"/> ≥ 0 for pread.</summary>
    private long ReadInto(Process p, OpenFile f, uint buffer, uint count, long offset)
    {
        if (count == 0) return 0;
        if (f.Inode is DirectoryNode or DynamicDirectoryNode) return Err(Errno.EISDIR);
        var io = IoBuffer;
        if (f is InodeFile { Inode: RegularFile })
        {
            // Regular files never block: fill the whole request in chunks.
            long done = 0;
            while (done < count)
            {
                int chunk = (int)Math.Min(io.Length, count - done);
                long n = offset >= 0 ? f.ReadAt(offset + done, io.AsSpan(0, chunk)) : f.Read(io.AsSpan(0, chunk));
                if (n < 0) return done > 0 ? done : n;
                if (n == 0) break;
                if (!p.Memory.CopyToUser(buffer + (uint)done, io.AsSpan(0, (int)n))) return done > 0 ? done : Err(Errno.EFAULT);
                done += n;
                if (n < chunk) break;
            }
            return done;
        }
        int want = (int)Math.Min(io.Length, count);
        long got = offset >= 0 ? f.ReadAt(offset, io.AsSpan(0, want)) : f.Read(io.AsSpan(0, want));
        if (got == Err(Errno.EAGAIN))
        {
            if (f.NonBlocking) return got;
            WatchHost(f);
            return Sleep(p, f.ReadQueue);
        }
        if (got <= 0) return got;
        return p.Memory.CopyToUser(buffer, io.AsSpan(0, (int)got)) ? got : Err(Errno.EFAULT);
    }

    internal long Write(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null || !f.CanWrite) return Err(Errno.EBADF);
        uint count = Math.Min(a.A2, MaxTransfer);
        if (count == 0) return 0;
        var data = ArrayPool<byte>.Shared.Rent((int)count);
        try
        {
            if (!p.Memory.CopyFromUser(a.A1, data.AsSpan(0, (int)count))) return Err(Errno.EFAULT);
            return WriteFrom(p, f, data.AsSpan(0, (int)count), -1);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    internal long Pwrite64(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null || !f.CanWrite) return Err(Errno.EBADF);
        long offset = (long)(a.A3 | ((ulong)a.A4 << 32));
        if (offset < 0) return Err(Errno.EINVAL);
        uint count = Math.Min(a.A2, MaxTransfer);
        var data = new byte[count];
        if (!p.Memory.CopyFromUser(a.A1, data)) return Err(Errno.EFAULT);
        return WriteFrom(p, f, data, offset);
    }

    /// <summary>
    /// Writes kernel-side <paramref name="data"/> to <paramref name="f"/>. A blocking write to a pipe or socket
    /// completes fully, sleeping as often as needed; <see cref="Process.SyscallProgress"/> remembers how much went out.
    /// </summary>
    internal long WriteFrom(Process p, OpenFile f, ReadOnlySpan<byte> data, long offset)
    {
        if (offset >= 0)
            return f.WriteAt(offset, data);
        long done = p.SyscallProgress;
        while (done < data.Length)
        {
            long n = f.Write(data[(int)done..], out bool broken);
            if (broken)
            {
                SendSignal(p, new SignalInfo { Signal = Sig.PIPE, Code = SigCode.User, Pid = p.Pid, Uid = p.Credentials.Uid });
                return done > 0 ? done : Err(Errno.EPIPE);
            }
            if (n == Err(Errno.EAGAIN))
            {
                if (f.NonBlocking) return done > 0 ? done : n;
                p.SyscallProgress = done;
                WatchHost(f);
                long slept = Sleep(p, f.WriteQueue);
                // Interrupted part-way: report what was written (Linux does the same).
                return slept == SyscallResult.RestartSys && done > 0 ? done : slept;
            }
            if (n < 0) return done > 0 ? done : n;
            done += n;
        }
        return done;
    }

    /// <summary>Reads a user iovec array: (base, length) pairs.</summary>
    private static Errno ReadIovecs(Process p, uint address, int count, out (uint Base, uint Length)[] iov, out long total)
    {
        iov = [];
        total = 0;
        if (count < 0 || count > 1024) return Errno.EINVAL;
        iov = new (uint, uint)[count];
        for (int i = 0; i < count; i++)
        {
            if (!p.Memory.TryReadUInt32(address + (uint)i * 8, out uint b) || !p.Memory.TryReadUInt32(address + (uint)i * 8 + 4, out uint len))
                return Errno.EFAULT;
            if ((int)len < 0) return Errno.EINVAL;
            iov[i] = (b, len);
            total += len;
        }
        if (total > int.MaxValue) return Errno.EINVAL;
        return Errno.None;
    }

    internal long Readv(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null || !f.CanRead) return Err(Errno.EBADF);
        var err = ReadIovecs(p, a.A1, a.I2, out var iov, out long total);
        if (err != Errno.None) return Err(err);
        if (total == 0) return 0;
        long done = 0;
        foreach (var (b, len) in iov)
        {
            if (len == 0) continue;
            long n = ReadInto(p, f, b, len, -1);
            if (n == SyscallResult.Sleep && done > 0)
            {
                p.Wake();
                return done;
            }
            if (n < 0) return done > 0 ? done : n;
            done += n;
            if (n < len) break;
            // Only regular files fill several buffers in one call; a pipe's first read is the whole answer.
            if (f is not InodeFile) break;
        }
        return done;
    }

    internal long Writev(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null || !f.CanWrite) return Err(Errno.EBADF);
        var err = ReadIovecs(p, a.A1, a.I2, out var iov, out long total);
        if (err != Errno.None) return Err(err);
        var data = new byte[Math.Min(total, MaxTransfer)];
        int at = 0;
        foreach (var (b, len) in iov)
        {
            int take = (int)Math.Min(len, data.Length - at);
            if (take <= 0) break;
            if (!p.Memory.CopyFromUser(b, data.AsSpan(at, take))) return Err(Errno.EFAULT);
            at += take;
        }
        return data.Length == 0 ? 0 : WriteFrom(p, f, data, -1);
    }

    internal long SendFile(Process p, in SyscallArgs a) => SendFileCore(p, a, wide: false);

    internal long SendFile64(Process p, in SyscallArgs a) => SendFileCore(p, a, wide: true);

    /// <summary>sendfile(out, in, offset*, count): copies through a kernel buffer; short counts are normal.</summary>
    private long SendFileCore(Process p, in SyscallArgs a, bool wide)
    {
        var output = p.Files.Get(a.I0);
        var input = p.Files.Get(a.I1);
        if (output == null || !output.CanWrite || input == null || !input.CanRead) return Err(Errno.EBADF);
        if (input is not InodeFile { Inode: RegularFile } inFile) return Err(Errno.EINVAL);
        long position;
        if (a.A2 != 0)
        {
            if (wide)
            {
                if (!TryReadUInt64(p, a.A2, out ulong off)) return Err(Errno.EFAULT);
                position = (long)off;
            }
            else
            {
                if (!p.Memory.TryReadUInt32(a.A2, out uint off)) return Err(Errno.EFAULT);
                position = (int)off;
            }
            if (position < 0) return Err(Errno.EINVAL);
        }
        else
        {
            position = inFile.Offset;
        }
        int count = (int)Math.Min(a.A3, (uint)IoBuffer.Length);
        if (count == 0) return 0;
        var buffer = IoBuffer.AsSpan(0, count);
        long got = inFile.ReadAt(position, buffer);
        if (got <= 0) return got;
        long written;
        if (output is InodeFile)
        {
            written = output.Write(buffer[..(int)got], out _);
        }
        else
        {
            written = output.Write(buffer[..(int)got], out bool broken);
            if (broken)
            {
                SendSignal(p, new SignalInfo { Signal = Sig.PIPE, Code = SigCode.User, Pid = p.Pid });
                return Err(Errno.EPIPE);
            }
            if (written == Err(Errno.EAGAIN))
            {
                if (output.NonBlocking) return written;
                WatchHost(output);
                return Sleep(p, output.WriteQueue);
            }
        }
        if (written <= 0) return written;
        position += written;
        if (a.A2 != 0)
        {
            bool ok = wide ? TryWriteUInt64(p, a.A2, (ulong)position) : p.Memory.TryWriteUInt32(a.A2, (uint)position);
            if (!ok) return Err(Errno.EFAULT);
        }
        else
        {
            inFile.Offset = position;
        }
        return written;
    }

    internal long Lseek(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null) return Err(Errno.EBADF);
        long r = f.Seek(a.I1, a.I2);
        if (r > int.MaxValue) return Err(Errno.EOVERFLOW);
        return r;
    }

    internal long Llseek(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null) return Err(Errno.EBADF);
        long offset = (long)(((ulong)a.A1 << 32) | a.A2);
        long r = f.Seek(offset, a.I4);
        if (r < 0) return r;
        return TryWriteUInt64(p, a.A3, (ulong)r) ? 0 : Err(Errno.EFAULT);
    }
}
