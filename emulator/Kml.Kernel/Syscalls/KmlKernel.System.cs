using System.Buffers.Binary;
using System.Text;
using Kml.Kernel.Abi;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;

namespace Kml.Kernel;

// uname, sysinfo, resource limits, getrandom, sched_*, futex, priorities.
public sealed partial class KmlKernel
{
    internal long Uname(Process p, in SyscallArgs a)
    {
        var b = new byte[65 * 6];
        void Field(int i, string s) => Encoding.ASCII.GetBytes(s, b.AsSpan(i * 65, 64));
        Field(0, "Linux");
        Field(1, "kml");
        Field(2, "6.1.0-kml");
        Field(3, "#1 SMP KML emulated i386 kernel");
        Field(4, "i686");
        Field(5, "(none)");
        return p.Memory.CopyToUser(a.A0, b) ? 0 : Err(Errno.EFAULT);
    }

    internal long SysInfo(Process p, in SyscallArgs a)
    {
        var b = new byte[64];
        var s = b.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(s, (int)(Clock.MonotonicNanoseconds / 1_000_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], PhysicalMemory.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], (uint)Pages.FreeCount * PageSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[40..], (ushort)ProcessTable.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[52..], 1);
        return p.Memory.CopyToUser(a.A0, b) ? 0 : Err(Errno.EFAULT);
    }

    internal long GetRlimit(Process p, in SyscallArgs a)
    {
        int resource = a.I0;
        if (resource < 0 || resource >= RLimit.Count) return Err(Errno.EINVAL);
        // ugetrlimit reports "infinity" as 0xFFFFFFFF; the old getrlimit would clamp to 0x7FFFFFFF (both use this).
        uint Clamp(ulong v) => v >= uint.MaxValue ? uint.MaxValue : (uint)v;
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(b, Clamp(p.ResourceLimits[resource * 2]));
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], Clamp(p.ResourceLimits[resource * 2 + 1]));
        return p.Memory.CopyToUser(a.A1, b) ? 0 : Err(Errno.EFAULT);
    }

    internal long SetRlimit(Process p, in SyscallArgs a)
    {
        int resource = a.I0;
        if (resource < 0 || resource >= RLimit.Count) return Err(Errno.EINVAL);
        Span<byte> b = stackalloc byte[8];
        if (!p.Memory.CopyFromUser(a.A1, b)) return Err(Errno.EFAULT);
        ulong Widen(uint v) => v == uint.MaxValue ? RLimit.Infinity : v;
        return SetLimit(p, resource, Widen(BinaryPrimitives.ReadUInt32LittleEndian(b)), Widen(BinaryPrimitives.ReadUInt32LittleEndian(b[4..])));
    }

    internal long Prlimit64(Process p, in SyscallArgs a)
    {
        var target = a.I0 == 0 ? p : FindProcess(a.I0);
        if (target == null) return Err(Errno.ESRCH);
        int resource = a.I1;
        if (resource < 0 || resource >= RLimit.Count) return Err(Errno.EINVAL);
        ulong oldCur = target.ResourceLimits[resource * 2], oldMax = target.ResourceLimits[resource * 2 + 1];
        if (a.A2 != 0)
        {
            if (!TryReadUInt64(p, a.A2, out ulong cur) || !TryReadUInt64(p, a.A2 + 8, out ulong max)) return Err(Errno.EFAULT);
            long r = SetLimit(target, resource, cur, max);
            if (r != 0) return r;
        }
        if (a.A3 != 0 && !(TryWriteUInt64(p, a.A3, oldCur) && TryWriteUInt64(p, a.A3 + 8, oldMax))) return Err(Errno.EFAULT);
        return 0;
    }

    private static long SetLimit(Process p, int resource, ulong cur, ulong max)
    {
        if (cur > max) return Err(Errno.EINVAL);
        if (max > p.ResourceLimits[resource * 2 + 1] && p.Credentials.Euid != 0) return Err(Errno.EPERM);
        if (resource == RLimit.NoFile && max > Files.FdTable.Limit) return Err(Errno.EPERM);
        p.ResourceLimits[resource * 2] = cur;
        p.ResourceLimits[resource * 2 + 1] = max;
        if (resource == RLimit.Stack) p.Memory.StackLimit = (uint)Math.Min(cur, 1u << 30);
        if (resource == RLimit.NoFile) p.Files.SoftLimit = (int)Math.Min(cur, (ulong)Files.FdTable.Limit);
        return 0;
    }

    internal long GetRandom(Process p, in SyscallArgs a)
    {
        const uint NonBlock = 1, Random = 2, Insecure = 4;
        if ((a.A2 & ~(NonBlock | Random | Insecure)) != 0) return Err(Errno.EINVAL);
        int count = (int)Math.Min(a.A1, 1u << 25);
        var bytes = new byte[count];
        this.Random.NextBytes(bytes);
        return p.Memory.CopyToUser(a.A0, bytes) ? count : Err(Errno.EFAULT);
    }

    internal long SchedYield(Process p, in SyscallArgs a)
    {
        p.YieldRequested = true;
        return 0;
    }

    internal long SchedGetAffinity(Process p, in SyscallArgs a)
    {
        if (a.A1 < 4) return Err(Errno.EINVAL);
        if (a.I0 != 0 && FindProcess(a.I0) == null) return Err(Errno.ESRCH);
        return p.Memory.TryWriteUInt32(a.A2, 1) ? 4 : Err(Errno.EFAULT);
    }

    internal long GetPriority(Process p, in SyscallArgs a) => 20;   // nice 0, in the kernel's 40..1 encoding

    internal long SetPriority(Process p, in SyscallArgs a) => 0;

    private readonly Dictionary<uint, WaitQueue> _futexQueues = [];

    /// <summary>
    /// futex: WAIT sleeps while the word holds the expected value, WAKE wakes sleepers on the same physical word.
    /// Single-threaded processes only meet here through vfork or shared mappings.
    /// </summary>
    internal long Futex(Process p, in SyscallArgs a)
    {
        const int Wait = 0, Wake = 1, WaitBitset = 9, WakeBitset = 10, CommandMask = 0x7F;
        int op = a.I1 & CommandMask;
        if (!p.Memory.TryTranslate(a.A0, false, out uint physical)) return Err(Errno.EFAULT);
        switch (op)
        {
            case Wait:
            case WaitBitset:
                if (!p.Memory.TryReadUInt32(a.A0, out uint value)) return Err(Errno.EFAULT);
                if (value != a.A2) return Err(Errno.EAGAIN);
                if (!_futexQueues.TryGetValue(physical, out var queue)) _futexQueues[physical] = queue = new WaitQueue("futex");
                long deadline = long.MaxValue;
                if (a.A3 != 0)
                {
                    var err = ReadTimespec(p, a.A3, false, out long ns);
                    if (err != Errno.None) return Err(err);
                    if (p.SyscallProgress == 0) p.SyscallProgress = Clock.MonotonicNanoseconds + ns + 1;
                    deadline = p.SyscallProgress - 1;
                    if (Clock.MonotonicNanoseconds >= deadline) return Err(Errno.ETIMEDOUT);
                }
                long r = Sleep(p, deadline, queue);
                return r == SyscallResult.RestartSys ? Err(Errno.EINTR) : r;
            case Wake:
            case WakeBitset:
                if (_futexQueues.Remove(physical, out var q))
                {
                    q.WakeAll();
                    return 1;
                }
                return 0;
            default:
                NoteUnsupported($"futex op {op}");
                return Err(Errno.ENOSYS);
        }
    }
}
