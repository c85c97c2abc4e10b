using System.Buffers.Binary;
using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;

namespace Kml.Kernel;

// dup, pipe, fcntl (with record locks), ioctl, flock, and the readiness calls poll and select.
public sealed partial class KmlKernel
{
    internal long Dup(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null) return Err(Errno.EBADF);
        f.AddReference();
        return p.Files.Allocate(f, false);
    }

    internal long Dup2(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null) return Err(Errno.EBADF);
        if (a.I0 == a.I1) return a.I1;
        return DupTo(p, f, a.I1, false);
    }

    internal long Dup3(Process p, in SyscallArgs a)
    {
        if ((a.I2 & ~OpenFlags.CloseOnExec) != 0 || a.I0 == a.I1) return Err(Errno.EINVAL);
        var f = p.Files.Get(a.I0);
        if (f == null) return Err(Errno.EBADF);
        return DupTo(p, f, a.I1, (a.I2 & OpenFlags.CloseOnExec) != 0);
    }

    private long DupTo(Process p, OpenFile f, int target, bool closeOnExec)
    {
        if (target < 0 || target >= FdTable.Limit) return Err(Errno.EBADF);
        var old = p.Files.Get(target);
        if (old?.Inode != null) Locks.ReleaseFile(p.Pid, old.Inode);
        f.AddReference();
        p.Files.Install(target, f, closeOnExec);
        return target;
    }

    internal long Pipe(Process p, in SyscallArgs a) => PipeCore(p, a.A0, 0);

    internal long Pipe2(Process p, in SyscallArgs a)
    {
        if ((a.I1 & ~(OpenFlags.CloseOnExec | OpenFlags.NonBlock | OpenFlags.Direct)) != 0) return Err(Errno.EINVAL);
        return PipeCore(p, a.A0, a.I1);
    }

    private long PipeCore(Process p, uint address, int flags)
    {
        var pipe = new Files.Pipe();
        int status = flags & OpenFlags.NonBlock;
        bool cloexec = (flags & OpenFlags.CloseOnExec) != 0;
        var readEnd = new PipeEnd(pipe, false, status);
        var writeEnd = new PipeEnd(pipe, true, status);
        int r = p.Files.Allocate(readEnd, cloexec);
        if (r < 0)
        {
            writeEnd.Release();
            return r;
        }
        int w = p.Files.Allocate(writeEnd, cloexec);
        if (w < 0)
        {
            p.Files.Close(r);
            return w;
        }
        Span<byte> fds = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(fds, r);
        BinaryPrimitives.WriteInt32LittleEndian(fds[4..], w);
        if (!p.Memory.CopyToUser(address, fds))
        {
            p.Files.Close(r);
            p.Files.Close(w);
            return Err(Errno.EFAULT);
        }
        return 0;
    }

    internal long Fcntl(Process p, in SyscallArgs a)
    {
        int fd = a.I0;
        var f = p.Files.Get(fd);
        if (f == null) return Err(Errno.EBADF);
        switch (a.I1)
        {
            case Abi.Fcntl.DupFd:
            case Abi.Fcntl.DupFdCloExec:
                if (a.I2 < 0 || a.I2 >= FdTable.Limit) return Err(Errno.EINVAL);
                f.AddReference();
                return p.Files.Allocate(f, a.I1 == Abi.Fcntl.DupFdCloExec, a.I2);
            case Abi.Fcntl.GetFd:
                return p.Files.GetCloseOnExec(fd) ? Abi.Fcntl.FdCloExec : 0;
            case Abi.Fcntl.SetFd:
                p.Files.SetCloseOnExec(fd, (a.I2 & Abi.Fcntl.FdCloExec) != 0);
                return 0;
            case Abi.Fcntl.GetFl:
                return f.Flags | OpenFlags.LargeFile;
            case Abi.Fcntl.SetFl:
                f.Flags = (f.Flags & ~OpenFlags.Settable) | (a.I2 & OpenFlags.Settable);
                return 0;
            case Abi.Fcntl.GetLk:
            case Abi.Fcntl.SetLk:
            case Abi.Fcntl.SetLkW:
                return RecordLock(p, f, a.I1, a.A2, wide: false);
            case Abi.Fcntl.GetLk64:
            case Abi.Fcntl.SetLk64:
            case Abi.Fcntl.SetLkW64:
                return RecordLock(p, f, a.I1 - Abi.Fcntl.GetLk64 + Abi.Fcntl.GetLk, a.A2, wide: true);
            case Abi.Fcntl.GetOwn:
                return 0;
            case Abi.Fcntl.SetOwn:
                return 0;
            case Abi.Fcntl.GetPipeSize:
                return f is PipeEnd ? Files.Pipe.Capacity : Err(Errno.EBADF);
            case Abi.Fcntl.SetPipeSize:
                return f is PipeEnd ? Files.Pipe.Capacity : Err(Errno.EBADF);
            default:
                return Err(Errno.EINVAL);
        }
    }

    /// <summary>F_GETLK/F_SETLK/F_SETLKW with struct flock (16 bytes) or struct flock64 (24 bytes).</summary>
    private long RecordLock(Process p, OpenFile f, int command, uint address, bool wide)
    {
        if (f.Inode == null) return Err(Errno.EBADF);
        Span<byte> b = stackalloc byte[wide ? 24 : 16];
        if (!p.Memory.CopyFromUser(address, b)) return Err(Errno.EFAULT);
        short type = BinaryPrimitives.ReadInt16LittleEndian(b);
        short whence = BinaryPrimitives.ReadInt16LittleEndian(b[2..]);
        long start = wide ? BinaryPrimitives.ReadInt64LittleEndian(b[4..]) : BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
        long length = wide ? BinaryPrimitives.ReadInt64LittleEndian(b[12..]) : BinaryPrimitives.ReadInt32LittleEndian(b[8..]);
        if (type is not (Abi.Fcntl.ReadLock or Abi.Fcntl.WriteLock or Abi.Fcntl.Unlock)) return Err(Errno.EINVAL);
        long basis = whence switch
        {
            Whence.Set => 0,
            Whence.Current => f is InodeFile inf ? inf.Offset : 0,
            Whence.End => f.Inode.Size,
            _ => -1,
        };
        if (basis < 0) return Err(Errno.EINVAL);
        start += basis;
        long end = length == 0 ? long.MaxValue : start + length;
        if (length < 0)
        {
            end = start;
            start += length;
        }
        if (start < 0) return Err(Errno.EINVAL);
        if (command == Abi.Fcntl.SetLk || command == Abi.Fcntl.SetLkW)
        {
            if (type == Abi.Fcntl.ReadLock && !f.CanRead || type == Abi.Fcntl.WriteLock && !f.CanWrite) return Err(Errno.EBADF);
            if (type != Abi.Fcntl.Unlock && Locks.FindConflict(p.Pid, f.Inode, type, start, end, false) != null)
                return command == Abi.Fcntl.SetLk ? Err(Errno.EAGAIN) : Sleep(p, Locks.Released);
            Locks.Set(p.Pid, f.Inode, type, start, end, false);
            return 0;
        }
        // F_GETLK: describe a conflicting lock, or set the type to F_UNLCK.
        var conflict = Locks.FindConflict(p.Pid, f.Inode, type == Abi.Fcntl.Unlock ? Abi.Fcntl.WriteLock : type, start, end, false);
        if (conflict == null)
        {
            BinaryPrimitives.WriteInt16LittleEndian(b, Abi.Fcntl.Unlock);
        }
        else
        {
            BinaryPrimitives.WriteInt16LittleEndian(b, conflict.Type);
            BinaryPrimitives.WriteInt16LittleEndian(b[2..], Whence.Set);
            long len = conflict.End == long.MaxValue ? 0 : conflict.End - conflict.Start;
            if (wide)
            {
                BinaryPrimitives.WriteInt64LittleEndian(b[4..], conflict.Start);
                BinaryPrimitives.WriteInt64LittleEndian(b[12..], len);
                BinaryPrimitives.WriteInt32LittleEndian(b[20..], conflict.Pid);
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(b[4..], (int)conflict.Start);
                BinaryPrimitives.WriteInt32LittleEndian(b[8..], (int)len);
                BinaryPrimitives.WriteInt32LittleEndian(b[12..], conflict.Pid);
            }
        }
        return p.Memory.CopyToUser(address, b) ? 0 : Err(Errno.EFAULT);
    }

    internal long Flock(Process p, in SyscallArgs a)
    {
        const int Shared = 1, Exclusive = 2, NonBlock = 4, Unlock = 8;
        var f = p.Files.Get(a.I0);
        if (f == null) return Err(Errno.EBADF);
        if (f.Inode == null) return Err(Errno.EINVAL);
        int op = a.I1 & ~NonBlock;
        short type = op switch { Shared => Abi.Fcntl.ReadLock, Exclusive => Abi.Fcntl.WriteLock, Unlock => Abi.Fcntl.Unlock, _ => (short)-1 };
        if (type < 0) return Err(Errno.EINVAL);
        if (type != Abi.Fcntl.Unlock && Locks.FindConflict(p.Pid, f.Inode, type, 0, long.MaxValue, true) != null)
            return (a.I1 & NonBlock) != 0 ? Err(Errno.EAGAIN) : Sleep(p, Locks.Released);
        Locks.Set(p.Pid, f.Inode, type, 0, long.MaxValue, true);
        return 0;
    }

    internal long Ioctl(Process p, in SyscallArgs a)
    {
        var f = p.Files.Get(a.I0);
        if (f == null) return Err(Errno.EBADF);
        switch (a.A1)
        {
            case Abi.Ioctl.FIOCLEX:
                p.Files.SetCloseOnExec(a.I0, true);
                return 0;
            case Abi.Ioctl.FIONCLEX:
                p.Files.SetCloseOnExec(a.I0, false);
                return 0;
            case Abi.Ioctl.FIONREAD when f is InodeFile { Inode: Vfs.RegularFile } rf:
                long left = Math.Max(0, rf.Inode.Size - rf.Offset);
                return p.Memory.TryWriteUInt32(a.A2, (uint)Math.Min(left, int.MaxValue)) ? 0 : Err(Errno.EFAULT);
        }
        return f.Ioctl(this, p, a.A1, a.A2);
    }

    // ---------------------------------------------------------------- poll and select

    internal long Poll(Process p, in SyscallArgs a)
    {
        long timeoutNs = a.I2 < 0 ? -1 : a.I2 * 1_000_000L;
        return PollCore(p, a.A0, a.A1, timeoutNs);
    }

    internal long Ppoll(Process p, in SyscallArgs a) => PpollCore(p, a, wide: false);

    internal long Ppoll64(Process p, in SyscallArgs a) => PpollCore(p, a, wide: true);

    private long PpollCore(Process p, in SyscallArgs a, bool wide)
    {
        long timeout = -1;
        if (a.A2 != 0)
        {
            var err = ReadTimespec(p, a.A2, wide, out timeout);
            if (err != Errno.None) return Err(err);
        }
        return PollCore(p, a.A0, a.A1, timeout);
    }

    /// <summary>
    /// poll: checks every descriptor; if none is ready, sleeps on all their queues (and the deadline), then checks
    /// again when woken. The deadline is kept across re-executions in <see cref="Process.SyscallProgress"/>.
    /// </summary>
    private long PollCore(Process p, uint fdsAddress, uint count, long timeoutNs)
    {
        if (count > FdTable.Limit) return Err(Errno.EINVAL);
        var fds = new byte[count * 8];
        if (!p.Memory.CopyFromUser(fdsAddress, fds)) return Err(Errno.EFAULT);
        int ready = 0;
        var queues = new List<WaitQueue?>();
        for (int i = 0; i < count; i++)
        {
            int fd = BinaryPrimitives.ReadInt32LittleEndian(fds.AsSpan(i * 8));
            short events = BinaryPrimitives.ReadInt16LittleEndian(fds.AsSpan(i * 8 + 4));
            short revents = 0;
            if (fd >= 0)
            {
                var f = p.Files.Get(fd);
                if (f == null)
                {
                    revents = PollEvents.Nval;
                }
                else
                {
                    short now = f.Poll();
                    revents = (short)(now & (events | PollEvents.Err | PollEvents.Hup | PollEvents.Nval));
                    queues.Add(f.ReadQueue);
                    queues.Add(f.WriteQueue);
                    WatchHost(f);
                }
            }
            BinaryPrimitives.WriteInt16LittleEndian(fds.AsSpan(i * 8 + 6), revents);
            if (revents != 0) ready++;
        }
        if (ready > 0 || timeoutNs == 0 || DeadlinePassed(p, timeoutNs))
        {
            p.SyscallProgress = 0;
            return p.Memory.CopyToUser(fdsAddress, fds) ? ready : Err(Errno.EFAULT);
        }
        return SleepUntil(p, timeoutNs, queues);
    }

    /// <summary>
    /// On the first execution of a timed call, records its deadline; true once the deadline passed.
    /// <see cref="Process.SyscallProgress"/> holds deadline + 1 (0 = not started).
    /// </summary>
    private bool DeadlinePassed(Process p, long timeoutNs)
    {
        if (timeoutNs < 0) return false;
        if (p.SyscallProgress == 0) p.SyscallProgress = Clock.MonotonicNanoseconds + timeoutNs + 1;
        return Clock.MonotonicNanoseconds >= p.SyscallProgress - 1;
    }

    private long SleepUntil(Process p, long timeoutNs, List<WaitQueue?> queues)
    {
        long deadline = timeoutNs < 0 ? long.MaxValue : p.SyscallProgress - 1;
        queues.Add(HostIoQueue);
        long r = Sleep(p, deadline, queues.ToArray());
        if (r == SyscallResult.RestartSys) return Err(Errno.EINTR);   // poll and select are not restarted
        return r;
    }

    internal long NewSelect(Process p, in SyscallArgs a)
    {
        long timeout = -1;
        if (a.A4 != 0)
        {
            Span<byte> tv = stackalloc byte[8];
            if (!p.Memory.CopyFromUser(a.A4, tv)) return Err(Errno.EFAULT);
            long sec = BinaryPrimitives.ReadInt32LittleEndian(tv), usec = BinaryPrimitives.ReadInt32LittleEndian(tv[4..]);
            if (sec < 0 || usec < 0) return Err(Errno.EINVAL);
            timeout = sec * 1_000_000_000L + usec * 1000L;
        }
        return SelectCore(p, a.I0, a.A1, a.A2, a.A3, timeout);
    }

    internal long Pselect6(Process p, in SyscallArgs a) => Pselect6Core(p, a, wide: false);

    internal long Pselect6Time64(Process p, in SyscallArgs a) => Pselect6Core(p, a, wide: true);

    private long Pselect6Core(Process p, in SyscallArgs a, bool wide)
    {
        long timeout = -1;
        if (a.A4 != 0)
        {
            var err = ReadTimespec(p, a.A4, wide, out timeout);
            if (err != Errno.None) return Err(err);
        }
        return SelectCore(p, a.I0, a.A1, a.A2, a.A3, timeout);
    }

    private long SelectCore(Process p, int nfds, uint readAddress, uint writeAddress, uint exceptAddress, long timeoutNs)
    {
        if (nfds < 0 || nfds > FdTable.Limit) return Err(Errno.EINVAL);
        int bytes = (nfds + 31) / 32 * 4;
        byte[] ReadSet(uint address)
        {
            var set = new byte[bytes];
            if (address != 0 && !p.Memory.CopyFromUser(address, set)) throw new InvalidOperationException();
            return set;
        }
        byte[] rin, win, ein;
        try
        {
            rin = ReadSet(readAddress);
            win = ReadSet(writeAddress);
            ein = ReadSet(exceptAddress);
        }
        catch (InvalidOperationException)
        {
            return Err(Errno.EFAULT);
        }
        var rout = new byte[bytes];
        var wout = new byte[bytes];
        var eout = new byte[bytes];
        int ready = 0;
        var queues = new List<WaitQueue?>();
        for (int fd = 0; fd < nfds; fd++)
        {
            bool r = (rin[fd >> 3] & (1 << (fd & 7))) != 0, w = (win[fd >> 3] & (1 << (fd & 7))) != 0, e = (ein[fd >> 3] & (1 << (fd & 7))) != 0;
            if (!r && !w && !e) continue;
            var f = p.Files.Get(fd);
            if (f == null) return Err(Errno.EBADF);
            short ev = f.Poll();
            if (r && (ev & (PollEvents.In | PollEvents.Hup | PollEvents.Err)) != 0) { rout[fd >> 3] |= (byte)(1 << (fd & 7)); ready++; }
            if (w && (ev & (PollEvents.Out | PollEvents.Err)) != 0) { wout[fd >> 3] |= (byte)(1 << (fd & 7)); ready++; }
            if (e && (ev & PollEvents.Pri) != 0) { eout[fd >> 3] |= (byte)(1 << (fd & 7)); ready++; }
            queues.Add(f.ReadQueue);
            queues.Add(f.WriteQueue);
            WatchHost(f);
        }
        if (ready > 0 || timeoutNs == 0 || DeadlinePassed(p, timeoutNs))
        {
            p.SyscallProgress = 0;
            if ((readAddress != 0 && !p.Memory.CopyToUser(readAddress, rout)) ||
                (writeAddress != 0 && !p.Memory.CopyToUser(writeAddress, wout)) ||
                (exceptAddress != 0 && !p.Memory.CopyToUser(exceptAddress, eout)))
                return Err(Errno.EFAULT);
            return ready;
        }
        return SleepUntil(p, timeoutNs, queues);
    }
}
