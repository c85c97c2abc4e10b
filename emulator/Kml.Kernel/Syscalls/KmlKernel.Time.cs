using System.Buffers.Binary;
using Kml.Kernel.Abi;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;

namespace Kml.Kernel;

// Time: every clock reads emulated time (the CPU's TSC at the cycle model's rate); sleeps wait for emulated time,
// which jumps forward when every process sleeps (the idle CPU halts until the next timer).
public sealed partial class KmlKernel
{
    private long ClockValue(int clock) => clock switch
    {
        ClockId.Realtime or ClockId.RealtimeCoarse => RealtimeNanoseconds,
        ClockId.Monotonic or ClockId.MonotonicRaw or ClockId.MonotonicCoarse or ClockId.BootTime => Clock.MonotonicNanoseconds,
        ClockId.ProcessCpuTime or ClockId.ThreadCpuTime => Current == null ? 0 : CyclesToNanoseconds(Current.CpuCycles),
        ClockId.KmlHost => (long)(System.Diagnostics.Stopwatch.GetTimestamp() * (1e9 / System.Diagnostics.Stopwatch.Frequency)),
        _ => -1,
    };

    internal long CyclesToNanoseconds(ulong cycles) => ClockHz == 0 ? 0 : (long)(cycles * 1e9 / ClockHz);

    /// <summary>The emulated clock rate (cycles per second).</summary>
    internal long ClockHz { get; set; } = 1_000_000_000;

    internal long ClockGetTime(Process p, in SyscallArgs a) => ClockGetTimeCore(p, a.I0, a.A1, wide: false);

    internal long ClockGetTime64(Process p, in SyscallArgs a) => ClockGetTimeCore(p, a.I0, a.A1, wide: true);

    private long ClockGetTimeCore(Process p, int clock, uint address, bool wide)
    {
        long ns = ClockValue(clock);
        if (ns < 0) return Err(Errno.EINVAL);
        return WriteTimespec(p, address, ns, wide) ? 0 : Err(Errno.EFAULT);
    }

    internal long ClockGetRes(Process p, in SyscallArgs a) => ClockGetResCore(p, a.I0, a.A1, false);

    internal long ClockGetRes64(Process p, in SyscallArgs a) => ClockGetResCore(p, a.I0, a.A1, true);

    private long ClockGetResCore(Process p, int clock, uint address, bool wide)
    {
        if (ClockValue(clock) < 0) return Err(Errno.EINVAL);
        if (address == 0) return 0;
        return WriteTimespec(p, address, 1, wide) ? 0 : Err(Errno.EFAULT);
    }

    internal static bool WriteTimespec(Process p, uint address, long ns, bool wide)
    {
        long sec = Math.DivRem(ns, 1_000_000_000L, out long rem);
        Span<byte> b = stackalloc byte[16];
        if (wide)
        {
            BinaryPrimitives.WriteInt64LittleEndian(b, sec);
            BinaryPrimitives.WriteInt64LittleEndian(b[8..], rem);
            return p.Memory.CopyToUser(address, b);
        }
        BinaryPrimitives.WriteInt32LittleEndian(b, (int)sec);
        BinaryPrimitives.WriteInt32LittleEndian(b[4..], (int)rem);
        return p.Memory.CopyToUser(address, b[..8]);
    }

    internal static Errno ReadTimespec(Process p, uint address, bool wide, out long ns)
    {
        ns = 0;
        Span<byte> b = stackalloc byte[16];
        if (!p.Memory.CopyFromUser(address, b[..(wide ? 16 : 8)])) return Errno.EFAULT;
        long sec = wide ? BinaryPrimitives.ReadInt64LittleEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b);
        long nsec = wide ? BinaryPrimitives.ReadInt64LittleEndian(b[8..]) : BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000) return Errno.EINVAL;
        ns = sec > long.MaxValue / 1_000_000_000 - 1 ? long.MaxValue / 2 : sec * 1_000_000_000 + nsec;
        return Errno.None;
    }

    internal long GetTimeOfDay(Process p, in SyscallArgs a)
    {
        if (a.A0 != 0)
        {
            long ns = RealtimeNanoseconds;
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)(ns / 1_000_000_000));
            BinaryPrimitives.WriteInt32LittleEndian(b[4..], (int)(ns % 1_000_000_000 / 1000));
            if (!p.Memory.CopyToUser(a.A0, b)) return Err(Errno.EFAULT);
        }
        if (a.A1 != 0 && !p.Memory.CopyToUser(a.A1, new byte[8])) return Err(Errno.EFAULT);
        return 0;
    }

    internal long Time(Process p, in SyscallArgs a)
    {
        long sec = RealtimeNanoseconds / 1_000_000_000;
        if (a.A0 != 0 && !p.Memory.TryWriteUInt32(a.A0, (uint)sec)) return Err(Errno.EFAULT);
        return sec;
    }

    internal long NanoSleep(Process p, in SyscallArgs a) => SleepCore(p, ClockId.Monotonic, 0, a.A0, a.A1, wide: false);

    internal long ClockNanoSleep(Process p, in SyscallArgs a) => SleepCore(p, a.I0, a.I1, a.A2, a.A3, wide: false);

    internal long ClockNanoSleep64(Process p, in SyscallArgs a) => SleepCore(p, a.I0, a.I1, a.A2, a.A3, wide: true);

    /// <summary>
    /// nanosleep / clock_nanosleep: the first execution records the monotonic deadline in
    /// <see cref="Process.SyscallProgress"/>; the process sleeps until it passes or a signal interrupts it.
    /// </summary>
    private long SleepCore(Process p, int clock, int flags, uint requestAddress, uint remainAddress, bool wide)
    {
        const int AbsoluteTime = 1;
        if (p.SyscallProgress == 0)
        {
            var err = ReadTimespec(p, requestAddress, wide, out long ns);
            if (err != Errno.None) return Err(err);
            long now = ClockValue(clock);
            if (now < 0 || clock is ClockId.ProcessCpuTime or ClockId.ThreadCpuTime) return Err(Errno.EINVAL);
            long relative = (flags & AbsoluteTime) != 0 ? ns - now : ns;
            if (relative <= 0) return 0;
            p.SyscallProgress = Clock.MonotonicNanoseconds + relative + 1;
        }
        long deadline = p.SyscallProgress - 1;
        long remaining = deadline - Clock.MonotonicNanoseconds;
        if (remaining <= 0) return 0;
        long r = Sleep(p, deadline);
        if (r == SyscallResult.RestartSys)
        {
            if (remainAddress != 0 && (flags & AbsoluteTime) == 0) WriteTimespec(p, remainAddress, remaining, wide);
            return Err(Errno.EINTR);
        }
        return r;
    }

    internal long Times(Process p, in SyscallArgs a)
    {
        long ticks = Clock.MonotonicNanoseconds / 10_000_000;
        if (a.A0 != 0)
        {
            Span<byte> b = stackalloc byte[16];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)(CyclesToNanoseconds(p.CpuCycles) / 10_000_000));
            BinaryPrimitives.WriteInt32LittleEndian(b[8..], (int)(CyclesToNanoseconds(p.ChildCycles) / 10_000_000));
            if (!p.Memory.CopyToUser(a.A0, b)) return Err(Errno.EFAULT);
        }
        return (int)ticks;
    }

    internal byte[] EncodeRusage(ulong cycles)
    {
        var b = new byte[72];
        long ns = CyclesToNanoseconds(cycles);
        BinaryPrimitives.WriteInt32LittleEndian(b, (int)(ns / 1_000_000_000));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), (int)(ns % 1_000_000_000 / 1000));
        return b;
    }

    internal long GetRusage(Process p, in SyscallArgs a)
    {
        const int Self = 0, Children = -1, Thread = 1;
        ulong cycles = a.I0 switch { Self or Thread => p.CpuCycles, Children => p.ChildCycles, _ => ulong.MaxValue };
        if (cycles == ulong.MaxValue) return Err(Errno.EINVAL);
        return p.Memory.CopyToUser(a.A1, EncodeRusage(cycles)) ? 0 : Err(Errno.EFAULT);
    }

    internal long Alarm(Process p, in SyscallArgs a)
    {
        long now = Clock.MonotonicNanoseconds;
        long left = p.AlarmDeadline == long.MaxValue ? 0 : Math.Max(0, p.AlarmDeadline - now);
        p.AlarmDeadline = a.A0 == 0 ? long.MaxValue : now + a.A0 * 1_000_000_000L;
        p.AlarmInterval = 0;
        return (left + 999_999_999) / 1_000_000_000;
    }

    internal long SetItimer(Process p, in SyscallArgs a)
    {
        const int Real = 0;
        if (a.I0 != Real)
        {
            NoteUnsupported($"setitimer({a.I0})");
            return Err(Errno.EINVAL);
        }
        if (a.A2 != 0 && GetItimerCore(p, a.A2) != 0) return Err(Errno.EFAULT);
        if (a.A1 == 0) return 0;
        Span<byte> b = stackalloc byte[16];
        if (!p.Memory.CopyFromUser(a.A1, b)) return Err(Errno.EFAULT);
        long interval = BinaryPrimitives.ReadInt32LittleEndian(b) * 1_000_000_000L + BinaryPrimitives.ReadInt32LittleEndian(b[4..]) * 1000L;
        long value = BinaryPrimitives.ReadInt32LittleEndian(b[8..]) * 1_000_000_000L + BinaryPrimitives.ReadInt32LittleEndian(b[12..]) * 1000L;
        p.AlarmDeadline = value == 0 ? long.MaxValue : Clock.MonotonicNanoseconds + value;
        p.AlarmInterval = interval;
        return 0;
    }

    internal long GetItimer(Process p, in SyscallArgs a) => a.I0 != 0 ? Err(Errno.EINVAL) : GetItimerCore(p, a.A1);

    private long GetItimerCore(Process p, uint address)
    {
        long left = p.AlarmDeadline == long.MaxValue ? 0 : Math.Max(1000, p.AlarmDeadline - Clock.MonotonicNanoseconds);
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(b, (int)(p.AlarmInterval / 1_000_000_000));
        BinaryPrimitives.WriteInt32LittleEndian(b[4..], (int)(p.AlarmInterval % 1_000_000_000 / 1000));
        BinaryPrimitives.WriteInt32LittleEndian(b[8..], (int)(left / 1_000_000_000));
        BinaryPrimitives.WriteInt32LittleEndian(b[12..], (int)(left % 1_000_000_000 / 1000));
        return p.Memory.CopyToUser(address, b) ? 0 : Err(Errno.EFAULT);
    }

    /// <summary>Fires due alarms (SIGALRM) and wakes timed sleepers whose deadline passed.</summary>
    internal void RunTimers()
    {
        long now = Clock.MonotonicNanoseconds;
        foreach (var p in ProcessTable.Values)
        {
            if (p.AlarmDeadline <= now && p.State is ProcessState.Runnable or ProcessState.Sleeping)
            {
                p.AlarmDeadline = p.AlarmInterval > 0 ? now + p.AlarmInterval : long.MaxValue;
                SendSignal(p, new SignalInfo { Signal = Sig.ALRM, Code = SigCode.Kernel });
            }
            if (p.State == ProcessState.Sleeping && p.WakeDeadline <= now) p.Wake();
        }
    }

    /// <summary>The earliest timed event (a sleep's deadline or an alarm), long.MaxValue if none.</summary>
    internal long NextTimerDeadline()
    {
        long next = long.MaxValue;
        foreach (var p in ProcessTable.Values)
        {
            if (p.State == ProcessState.Sleeping) next = Math.Min(next, p.WakeDeadline);
            if (p.State is ProcessState.Runnable or ProcessState.Sleeping) next = Math.Min(next, p.AlarmDeadline);
        }
        return next;
    }
}
