using System.Buffers.Binary;
using System.Text;
using Kml.Kernel.Abi;
using Kml.Kernel.Net;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;
using Kml.Kernel.Tal;
using Kml.Kernel.Vfs;
using Kml.Tal;
using Kml.Tal.Interface;
using Kml.Tal.Types;

namespace Kml.Kernel;

// The typed kernel interface (docs/tal.md, "The typed kernel interface"): one C# implementation per entry of
// Kml.Tal.Interface.KernelInterface. Each entry does the run-time checks types cannot do (descriptor validity,
// 0 <= offset, 0 <= count, offset + count <= length without overflow, path and address arrays) and then reuses the
// Linux system call behind it. It writes only into the byte range it was given or into an all-integer record.
public sealed partial class KmlKernel
{
    /// <summary>
    /// Runs (or re-runs, after a sleep: <paramref name="first"/> false) the import call in <paramref name="p"/>'s
    /// registers; false if the process must not run now.
    /// </summary>
    internal bool CompleteTalCall(Process p, bool first)
    {
        var tal = p.Tal!;
        ref var r = ref p.Registers;
        var imports = tal.Program.Imports;
        int slot = (int)r.OrigEax;
        long result;
        string name = slot >= 0 && slot < imports.Count ? imports[slot].Entry.Name : $"slot {slot}";
        tal.Calls[name] = tal.Calls.GetValueOrDefault(name) + 1;
        if (slot < 0 || slot >= imports.Count)
        {
            // Only a program the checker rejected (running in ring 3) can enter with a number that is no slot.
            result = Err(Errno.ENOSYS);
        }
        else
        {
            var binding = imports[slot];
            int n = binding.Entry.Parameters.Length;
            Span<uint> args = stackalloc uint[Math.Max(n, 1)];
            // After a direct call the saved esp is past the return address already; after int 0x80 [esp] is the
            // return address; a sysenter trampoline pushed ebp below it.
            uint at = r.Esp + p.Entry switch { EntryKind.DirectCall => 0u, EntryKind.Sysenter => 8u, _ => 4u };
            result = 0;
            for (int i = 0; i < n; i++)
                if (!p.Memory.TryReadUInt32(at + (uint)i * 4, out args[i])) { result = Err(Errno.EFAULT); break; }
            if (result == 0)
            {
                var memory = p.Memory;
                long copiedBefore = memory.BytesCopied;
                try
                {
                    if (first) Clock.Charge(Costs.SyscallCycles(TalCostName(name)));
                    result = TalCall(p, tal, binding, args[..n], at);
                    Clock.Charge((long)((memory.BytesCopied - copiedBefore) * Costs.CopyPerByte));
                }
                catch (OutOfMemoryException)
                {
                    result = Err(Errno.ENOMEM);
                }
                catch (Exception ex) when (ex is not (InvalidDataException or NotSupportedException))
                {
                    KillForMachineStop(p, $"{p.ExecutablePath}: internal error in kernel entry {name}: {ex.GetType().Name}: {ex.Message} (pid {p.Pid} killed)", Sig.KILL);
                    return false;
                }
            }
        }
        if (Options.Trace) KernelMessage($"[{p.Pid}] tal {name} = {result}");
        if (result == SyscallResult.Sleep)
        {
            tal.Calls[name]--;
            p.PendingSyscall = true;
            if (p.State == ProcessState.Runnable) RunQueue.AddFirst(p);
            return false;
        }
        p.SyscallProgress = 0;
        if (result == SyscallResult.Exited || p.State is ProcessState.Zombie or ProcessState.Dead) return false;
        // No entry restarts: a sleep a signal interrupted (and did not kill) reports EINTR.
        if (result is SyscallResult.RestartSys or SyscallResult.RestartNoHandler) result = Err(Errno.EINTR);
        r.Eax = (uint)result;
        if (!DeliverSignals(p, result, fromSyscall: false)) return false;
        return p.State == ProcessState.Runnable && !TalLimitReached(p);
    }

    /// <summary>The kernel cost model's name for an entry (the Linux call it is built on).</summary>
    private static string TalCostName(string entry) => entry switch
    {
        "stat" => "stat64", "lstat" => "lstat64", "fstat" => "fstat64", "getdents" => "getdents64",
        "llseek" => "_llseek", "ftruncate" => "ftruncate64", "send" => "sendto", "recv" => "recvfrom", "accept" => "accept4",
        _ => entry,
    };

    private long TalCall(Process p, TalProcess tal, ImportBinding b, ReadOnlySpan<uint> a, uint argumentsAddress)
    {
        Span<int> signed = stackalloc int[a.Length];
        for (int i = 0; i < a.Length; i++) signed[i] = (int)a[i];
        switch (b.Entry.Name)
        {
            case "exit":
                tal.End = TalEnd.Exit;
                ExitProcess(p, (signed[0] & 0xFF) << 8);
                return SyscallResult.Exited;
            case "panic":
                TalPanic(p, signed[0], signed[1]);
                return SyscallResult.Exited;
            case "read":
            {
                var err = TalRange(p, a[1], signed[2], signed[3], out uint at);
                return err != Errno.None ? Err(err) : Read(p, new SyscallArgs(a[0], at, a[3], 0, 0, 0));
            }
            case "write":
            {
                var err = TalRange(p, a[1], signed[2], signed[3], out uint at);
                return err != Errno.None ? Err(err) : Write(p, new SyscallArgs(a[0], at, a[3], 0, 0, 0));
            }
            case "getdents":
            {
                var err = TalRange(p, a[1], signed[2], signed[3], out uint at);
                return err != Errno.None ? Err(err) : GetDents64(p, new SyscallArgs(a[0], at, a[3], 0, 0, 0));
            }
            case "open":
            {
                var err = TalPath(p, a[0], out string path);
                return err != Errno.None ? Err(err) : OpenPath(p, At.FdCwd, path, signed[1], signed[2]);
            }
            case "close":
                return Close(p, new SyscallArgs(a[0], 0, 0, 0, 0, 0));
            case "lseek":
                return Lseek(p, new SyscallArgs(a[0], a[1], a[2], 0, 0, 0));
            case "llseek":
                // kml.Offset is one i64 at offset 0: _llseek's loff_t result.
                return Llseek(p, new SyscallArgs(a[0], a[2], a[1], a[4], a[3], 0));
            case "ftruncate":
                return Ftruncate64(p, new SyscallArgs(a[0], a[1], a[2], 0, 0, 0));
            case "stat":
            case "lstat":
            {
                var err = TalPath(p, a[0], out string path);
                if (err != Errno.None) return Err(err);
                err = Fs.Resolve(p.PathContext, null, path, b.Entry.Name == "stat", out var node);
                if (err != Errno.None) return Err(err);
                return WriteBytes(p, a[1], EncodeTalStat(StatOf(node))) ? 0 : Err(Errno.EFAULT);
            }
            case "fstat":
            {
                var f = p.Files.Get(signed[0]);
                if (f == null) return Err(Errno.EBADF);
                return WriteBytes(p, a[1], EncodeTalStat(StatOf(f))) ? 0 : Err(Errno.EFAULT);
            }
            case "unlink":
            case "rmdir":
            case "mkdir":
            {
                var err = TalPath(p, a[0], out string path);
                if (err != Errno.None) return Err(err);
                return Err(b.Entry.Name switch
                {
                    "unlink" => Fs.Unlink(p.PathContext, null, path),
                    "rmdir" => Fs.RemoveDirectory(p.PathContext, null, path),
                    _ => Fs.MakeDirectory(p.PathContext, null, path, signed[1] & ~p.Umask & 0xFFF, out _),
                });
            }
            case "getpid":
                return p.Pid;
            case "argc":
                return tal.Arguments.Count;
            case "arg":
                return TalArgument(p, tal, signed[0], a[1], signed[2], signed[3]);
            case "clock_gettime":
                // kml.Timespec (sec, nsec: i32) is the i386 struct timespec.
                return ClockGetTime(p, new SyscallArgs(a[0], a[1], 0, 0, 0, 0));
            case "alloc":
                return TalAllocate(p, tal, b, 1, isArray: false);
            case "alloc_array":
                return TalAllocate(p, tal, b, signed[0], isArray: true);
        }
        if (!Options.Tal.AllowSockets) return Err(Errno.EACCES);
        switch (b.Entry.Name)
        {
            case "socket":
                return Socket(p, new SyscallArgs(a[0], a[1], a[2], 0, 0, 0));
            case "bind":
            case "connect":
            {
                var err = TalWholeArray(p, a[1], out uint at, out uint length);
                if (err != Errno.None) return Err(err);
                var args = new SyscallArgs(a[0], at, length, 0, 0, 0);
                return b.Entry.Name == "bind" ? Bind(p, args) : Connect(p, args);
            }
            case "listen":
                return Listen(p, new SyscallArgs(a[0], a[1], 0, 0, 0, 0));
            case "accept":
                return Accept4(p, new SyscallArgs(a[0], 0, 0, 0, 0, 0));
            case "send":
            {
                var err = TalRange(p, a[1], signed[2], signed[3], out uint at);
                return err != Errno.None ? Err(err) : SendTo(p, new SyscallArgs(a[0], at, a[3], SocketAbi.MsgNoSignal, 0, 0));
            }
            case "recv":
            {
                var err = TalRange(p, a[1], signed[2], signed[3], out uint at);
                return err != Errno.None ? Err(err) : RecvFrom(p, new SyscallArgs(a[0], at, a[3], 0, 0, 0));
            }
            case "shutdown":
                return Shutdown(p, new SyscallArgs(a[0], a[1], 0, 0, 0, 0));
            case "setsockopt":
                // The value is the fourth argument itself: setsockopt reads it from its stack slot (4 bytes).
                return SetSockOpt(p, new SyscallArgs(a[0], a[1], a[2], argumentsAddress + 12, 4, 0));
            case "getsockname":
                return TalGetSockName(p, signed[0], a[1]);
        }
        throw new NotSupportedException($"kernel entry {b.Entry.Name} is not implemented by the kernel");
    }

    /// <summary>
    /// The run-time bound check of read/write/getdents/send/recv: <paramref name="array"/> is a byte array (its length
    /// in the 4-byte header), and [offset, offset + count) must lie inside it, computed without overflow.
    /// </summary>
    private static Errno TalRange(Process p, uint array, int offset, int count, out uint address)
    {
        address = 0;
        if (array == 0 || !p.Memory.TryReadUInt32(array, out uint length)) return Errno.EFAULT;
        if (offset < 0 || count < 0 || (long)offset + count > length) return Errno.EFAULT;
        address = array + TalLayout.ArrayHeader + (uint)offset;
        return Errno.None;
    }

    /// <summary>A whole byte array (a socket address): its elements and length.</summary>
    private static Errno TalWholeArray(Process p, uint array, out uint address, out uint length)
    {
        address = 0;
        if (array == 0 || !p.Memory.TryReadUInt32(array, out length)) { length = 0; return Errno.EFAULT; }
        if (length > TalLayout.MaxArrayBytes) return Errno.EFAULT;
        address = array + TalLayout.ArrayHeader;
        return Errno.None;
    }

    /// <summary>A path argument: the whole byte array, no NUL inside (-EINVAL), at most PATH_MAX − 1 bytes, not empty (-ENOENT).</summary>
    private static Errno TalPath(Process p, uint array, out string path)
    {
        path = "";
        var err = TalWholeArray(p, array, out uint at, out uint length);
        if (err != Errno.None) return err;
        if (length >= FileSystem.MaxPathLength) return Errno.ENAMETOOLONG;
        if (length == 0) return Errno.ENOENT;
        var bytes = new byte[length];
        if (!p.Memory.CopyFromUser(at, bytes)) return Errno.EFAULT;
        if (bytes.AsSpan().IndexOf((byte)0) >= 0) return Errno.EINVAL;
        // Guest names are byte strings kept one char per byte.
        path = Encoding.Latin1.GetString(bytes);
        return Errno.None;
    }

    /// <summary>kml.Stat: dev ino mode nlink uid gid rdev (i32), size (i64), blksize blocks atime mtime ctime (i32): 56 bytes.</summary>
    private static byte[] EncodeTalStat(in StatData s)
    {
        var b = new byte[KernelInterface.Stat.Size];
        var span = b.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)FileSystem.DeviceId);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)s.Ino);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], s.Mode);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], s.Nlink);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], s.Uid);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], s.Gid);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], s.Rdev);
        BinaryPrimitives.WriteInt64LittleEndian(span[28..], s.Size);
        BinaryPrimitives.WriteInt32LittleEndian(span[36..], 4096);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], (int)s.Blocks);
        BinaryPrimitives.WriteInt32LittleEndian(span[44..], (int)s.Atime.Seconds);
        BinaryPrimitives.WriteInt32LittleEndian(span[48..], (int)s.Mtime.Seconds);
        BinaryPrimitives.WriteInt32LittleEndian(span[52..], (int)s.Ctime.Seconds);
        return b;
    }

    /// <summary>
    /// arg(i, buf, offset, count): the first min(count, length) bytes of argument i into buf[offset..), and the
    /// argument's full length, so a program can size its array with a first call of count 0. A bad index is -EINVAL
    /// (checked first, so the answer does not depend on the array); the range is checked as for read.
    /// </summary>
    private static long TalArgument(Process p, TalProcess tal, int index, uint array, int offset, int count)
    {
        if (index < 0 || index >= tal.Arguments.Count) return Err(Errno.EINVAL);
        var err = TalRange(p, array, offset, count, out uint at);
        if (err != Errno.None) return Err(err);
        byte[] bytes = tal.Arguments[index];
        int n = Math.Min(count, bytes.Length);
        return p.Memory.CopyToUser(at, bytes.AsSpan(0, n)) ? bytes.Length : Err(Errno.EFAULT);
    }

    /// <summary>getsockname into a byte array: at most its length of the 16-byte sockaddr_in; returns 16.</summary>
    private long TalGetSockName(Process p, int fd, uint array)
    {
        var err = TalWholeArray(p, array, out uint at, out uint room);
        if (err != Errno.None) return Err(err);
        err = SocketOf(p, fd, out var socket);
        if (err != Errno.None) return Err(err);
        var local = socket.LocalEndPoint;
        uint ip = socket.State == SocketState.Connected || socket.GuestBoundAddress != 0 ? Loopback : 0;
        Span<byte> sa = stackalloc byte[16];
        sa.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(sa, SocketAbi.AfInet);
        BinaryPrimitives.WriteUInt16BigEndian(sa[2..], (ushort)(local?.Port ?? 0));
        BinaryPrimitives.WriteUInt32LittleEndian(sa[4..], ip);
        return p.Memory.CopyToUser(at, sa[..(int)Math.Min(room, 16u)]) ? 16 : Err(Errno.EFAULT);
    }

    /// <summary>
    /// alloc / alloc_array: a fresh zeroed object of the slot's type. An array must satisfy 0 &lt;= count and
    /// 4 + count × size &lt;= 2^30, else the process panics (kind 5); running out of heap or memory ends it too.
    /// </summary>
    private long TalAllocate(Process p, TalProcess tal, ImportBinding b, int count, bool isArray)
    {
        var layouts = tal.Program.Layouts!;
        int size = b.AllocationSize;
        uint bytes;
        HeapType type;
        Cell[] cells;
        if (isArray)
        {
            if (count < 0 || TalLayout.ArrayHeader + (ulong)count * (ulong)size > TalLayout.MaxArrayBytes)
            {
                // panic 5: what CoreCLR reports for an array it cannot allocate.
                TalOutOfMemory(p, $"alloc_array({count}) of {size}-byte elements: more than {TalLayout.MaxArrayBytes} bytes");
                return SyscallResult.Exited;
            }
            bytes = (uint)(TalLayout.ArrayHeader + (ulong)count * (ulong)size);
            type = new ArrayHeap(b.TypeArgument!, false);
            cells = layouts.CellsOf(b.TypeArgument!, true, "");
        }
        else
        {
            var name = ((InlineField)b.TypeArgument!).StructName;
            bytes = (uint)size;
            type = new StructHeap(name);
            cells = layouts.Cells(name);
        }
        var outcome = tal.Heap.Allocate(p.Memory, Pages, bytes, type, cells, isArray ? size : 0, isArray ? (uint)count : 0, out uint address);
        if (outcome != TalAllocation.Done)
        {
            string why = outcome == TalAllocation.NoAddressSpace
                ? $"the heap zone of {(tal.Plan.HeapEnd - tal.Plan.HeapStart) >> 20} MiB is full"
                : "no physical memory is left (try a larger --memory)";
            TalOutOfMemory(p, $"{(isArray ? "alloc_array" : "alloc")} of {bytes} bytes: {why}");
            return SyscallResult.Exited;
        }
        if (isArray && !p.Memory.TryWriteUInt32(address, (uint)count)) throw new InvalidOperationException("a fresh heap page is not writable");
        Clock.Charge((long)(bytes * Costs.CopyPerByte));
        return address;
    }
}
