using System.Buffers.Binary;
using Kml.Kernel.Abi;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;

namespace Kml.Kernel;

// Signal system calls, and delivery: on the way back to user mode a pending signal runs its default action or gets
// a signal frame (Linux's i386 sigframe or rt_sigframe) on the user stack; sigreturn/rt_sigreturn undo the frame.
public sealed partial class KmlKernel
{
    internal long RtSigAction(Process p, in SyscallArgs a)
    {
        if (a.A3 != 8) return Err(Errno.EINVAL);
        int sig = a.I0;
        if (sig < 1 || sig > Sig.Max) return Err(Errno.EINVAL);
        Span<byte> b = stackalloc byte[20];
        if (a.A2 != 0)
        {
            var old = p.SignalActions[sig];
            BinaryPrimitives.WriteUInt32LittleEndian(b, old.Handler);
            BinaryPrimitives.WriteUInt32LittleEndian(b[4..], old.Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(b[8..], old.Restorer);
            BinaryPrimitives.WriteUInt64LittleEndian(b[12..], old.Mask);
            if (!p.Memory.CopyToUser(a.A2, b)) return Err(Errno.EFAULT);
        }
        if (a.A1 != 0)
        {
            if (sig is Sig.KILL or Sig.STOP) return Err(Errno.EINVAL);
            if (!p.Memory.CopyFromUser(a.A1, b)) return Err(Errno.EFAULT);
            SetAction(p, sig, new SignalAction
            {
                Handler = BinaryPrimitives.ReadUInt32LittleEndian(b),
                Flags = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]),
                Restorer = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]),
                Mask = BinaryPrimitives.ReadUInt64LittleEndian(b[12..]) & ~Sig.Unblockable,
            });
        }
        return 0;
    }

    /// <summary>The old sigaction(2): struct old_sigaction { handler, mask (32 bits), flags, restorer }.</summary>
    internal long SigAction(Process p, in SyscallArgs a)
    {
        int sig = a.I0;
        if (sig < 1 || sig > Sig.Max) return Err(Errno.EINVAL);
        Span<byte> b = stackalloc byte[16];
        if (a.A2 != 0)
        {
            var old = p.SignalActions[sig];
            BinaryPrimitives.WriteUInt32LittleEndian(b, old.Handler);
            BinaryPrimitives.WriteUInt32LittleEndian(b[4..], (uint)old.Mask);
            BinaryPrimitives.WriteUInt32LittleEndian(b[8..], old.Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(b[12..], old.Restorer);
            if (!p.Memory.CopyToUser(a.A2, b)) return Err(Errno.EFAULT);
        }
        if (a.A1 != 0)
        {
            if (sig is Sig.KILL or Sig.STOP) return Err(Errno.EINVAL);
            if (!p.Memory.CopyFromUser(a.A1, b)) return Err(Errno.EFAULT);
            SetAction(p, sig, new SignalAction
            {
                Handler = BinaryPrimitives.ReadUInt32LittleEndian(b),
                Mask = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]) & ~Sig.Unblockable,
                Flags = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]),
                Restorer = BinaryPrimitives.ReadUInt32LittleEndian(b[12..]),
            });
        }
        return 0;
    }

    private static void SetAction(Process p, int sig, SignalAction action)
    {
        p.SignalActions[sig] = action;
        // Setting a signal to be ignored discards it if pending (POSIX).
        bool ignored = action.Handler == Sig.Ignore || (action.Handler == Sig.Default && SignalDefaults.For(sig) == DefaultAction.Ignore);
        if (ignored) p.PendingSignals &= ~Sig.Bit(sig);
    }

    internal long RtSigProcMask(Process p, in SyscallArgs a)
    {
        if (a.A3 != 8) return Err(Errno.EINVAL);
        return SigProcMaskCore(p, a.I0, a.A1, a.A2, 8);
    }

    internal long SigProcMask(Process p, in SyscallArgs a) => SigProcMaskCore(p, a.I0, a.A1, a.A2, 4);

    private static long SigProcMaskCore(Process p, int how, uint setAddress, uint oldAddress, int size)
    {
        ulong old = p.BlockedSignals;
        if (setAddress != 0 && how is not (Sig.Block or Sig.Unblock or Sig.SetMask)) return Err(Errno.EINVAL);
        if (setAddress != 0)
        {
            Span<byte> b = stackalloc byte[8];
            b.Clear();
            if (!p.Memory.CopyFromUser(setAddress, b[..size])) return Err(Errno.EFAULT);
            ulong set = BinaryPrimitives.ReadUInt64LittleEndian(b);
            if (size == 4) set |= old & 0xFFFFFFFF00000000;
            ulong next = how switch
            {
                Sig.Block => old | set,
                Sig.Unblock => old & ~set,
                Sig.SetMask => size == 4 ? (old & 0xFFFFFFFF00000000) | (set & 0xFFFFFFFF) : set,
                _ => old,
            };
            p.BlockedSignals = next & ~Sig.Unblockable;
        }
        if (oldAddress != 0)
        {
            Span<byte> o = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(o, old);
            if (!p.Memory.CopyToUser(oldAddress, o[..size])) return Err(Errno.EFAULT);
        }
        return 0;
    }

    internal long RtSigPending(Process p, in SyscallArgs a)
    {
        if (a.A1 > 8) return Err(Errno.EINVAL);
        Span<byte> o = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(o, p.PendingSignals & p.BlockedSignals);
        return p.Memory.CopyToUser(a.A0, o[..(int)a.A1]) ? 0 : Err(Errno.EFAULT);
    }

    internal long RtSigSuspend(Process p, in SyscallArgs a)
    {
        if (a.A1 != 8) return Err(Errno.EINVAL);
        if (!TryReadUInt64(p, a.A0, out ulong mask)) return Err(Errno.EFAULT);
        return SuspendCore(p, mask);
    }

    /// <summary>The old sigsuspend(2): (unused, unused, mask) on i386.</summary>
    internal long SigSuspend(Process p, in SyscallArgs a) => SuspendCore(p, (p.BlockedSignals & 0xFFFFFFFF00000000) | a.A2);

    private long SuspendCore(Process p, ulong mask)
    {
        p.SavedMaskForSuspend ??= p.BlockedSignals;
        p.BlockedSignals = mask & ~Sig.Unblockable;
        if (p.HasDeliverableSignal) return Err(Errno.EINTR);
        long r = Sleep(p);
        return r == SyscallResult.RestartSys ? Err(Errno.EINTR) : r;
    }

    internal long Pause(Process p, in SyscallArgs a)
    {
        long r = Sleep(p);
        return r == SyscallResult.RestartSys ? Err(Errno.EINTR) : r;
    }

    internal long SigAltStack(Process p, in SyscallArgs a)
    {
        const int OnStack = 1, Disable = 2;
        Span<byte> b = stackalloc byte[12];
        if (a.A1 != 0)
        {
            var cur = p.AlternateStack;
            bool on = cur.Size != 0 && p.Registers.Esp - cur.Base < cur.Size;
            BinaryPrimitives.WriteUInt32LittleEndian(b, cur.Base);
            BinaryPrimitives.WriteInt32LittleEndian(b[4..], cur.Size == 0 ? Disable : on ? OnStack : 0);
            BinaryPrimitives.WriteUInt32LittleEndian(b[8..], cur.Size);
            if (!p.Memory.CopyToUser(a.A1, b)) return Err(Errno.EFAULT);
        }
        if (a.A0 != 0)
        {
            if (!p.Memory.CopyFromUser(a.A0, b)) return Err(Errno.EFAULT);
            uint sp = BinaryPrimitives.ReadUInt32LittleEndian(b);
            int flags = BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
            if ((flags & ~Disable & ~unchecked((int)0x80000000)) != 0) return Err(Errno.EINVAL);
            if ((flags & Disable) != 0) p.AlternateStack = default;
            else if (size < 2048) return Err(Errno.ENOMEM);
            else p.AlternateStack = (sp, size, flags);
        }
        return 0;
    }

    internal long Kill(Process p, in SyscallArgs a)
    {
        int pid = a.I0, sig = a.I1;
        if (sig < 0 || sig > Sig.Max) return Err(Errno.EINVAL);
        IEnumerable<Process> targets = pid switch
        {
            > 0 => FindProcess(pid) is { } t ? [t] : [],
            0 => ProcessTable.Values.Where(q => q.ProcessGroup == p.ProcessGroup),
            -1 => ProcessTable.Values.Where(q => q != p),
            _ => ProcessTable.Values.Where(q => q.ProcessGroup == -pid),
        };
        var list = targets.Where(q => q.State is ProcessState.Runnable or ProcessState.Sleeping).ToList();
        if (list.Count == 0) return Err(Errno.ESRCH);
        var allowed = list.Where(q => p.Credentials.Euid == 0 || q.Credentials.Uid == p.Credentials.Uid || q.Credentials.Uid == p.Credentials.Euid).ToList();
        if (allowed.Count == 0) return Err(Errno.EPERM);
        if (sig == 0) return 0;
        foreach (var q in allowed)
            SendSignal(q, new SignalInfo { Signal = sig, Code = SigCode.User, Pid = p.Pid, Uid = p.Credentials.Uid });
        return 0;
    }

    internal long TKill(Process p, in SyscallArgs a) => ThreadKill(p, a.I0, a.I1);

    internal long TgKill(Process p, in SyscallArgs a) => a.I0 != a.I1 ? Err(Errno.ESRCH) : ThreadKill(p, a.I1, a.I2);

    private long ThreadKill(Process p, int tid, int sig)
    {
        if (tid <= 0 || sig < 0 || sig > Sig.Max) return Err(Errno.EINVAL);
        var target = FindProcess(tid);
        if (target == null || target.State is ProcessState.Zombie or ProcessState.Dead) return Err(Errno.ESRCH);
        if (sig != 0) SendSignal(target, new SignalInfo { Signal = sig, Code = SigCode.TKill, Pid = p.Pid, Uid = p.Credentials.Uid });
        return 0;
    }

    // ---------------------------------------------------------------- delivery

    private const int SigcontextSize = 88;
    private const int SigframeSize = 4 + 4 + SigcontextSize + 4 + 8;
    private const int RtSigframeSize = 4 + 4 + 4 + 4 + 128 + 116 + 8;
    private const uint FixEflags = 0x40DD5;   // AC|OF|DF|TF|SF|ZF|AF|PF|CF|RF: what sigreturn may change

    /// <summary>
    /// Runs before a process returns to user mode: finishes an interrupted system call (restart or EINTR) and handles
    /// one deliverable signal. Returns false if the process died.
    /// </summary>
    internal bool DeliverSignals(Process p, long syscallResult, bool fromSyscall)
    {
        bool restartable = fromSyscall && (syscallResult == SyscallResult.RestartSys || syscallResult == SyscallResult.RestartNoHandler);
        while (p.HasDeliverableSignal)
        {
            ulong ready = p.PendingSignals & ~p.BlockedSignals;
            // Synchronous fault signals first, then the lowest number (as Linux's next_signal does).
            const ulong Synchronous = (1UL << (Sig.SEGV - 1)) | (1UL << (Sig.BUS - 1)) | (1UL << (Sig.ILL - 1)) | (1UL << (Sig.TRAP - 1)) | (1UL << (Sig.FPE - 1)) | (1UL << (Sig.SYS - 1));
            ulong pick = (ready & Synchronous) != 0 ? ready & Synchronous : ready;
            int sig = System.Numerics.BitOperations.TrailingZeroCount(pick) + 1;
            p.PendingSignals &= ~Sig.Bit(sig);
            var info = p.PendingInfo[sig];
            if (info.Signal == 0) info = new SignalInfo { Signal = sig, Code = SigCode.Kernel };
            ref var action = ref p.SignalActions[sig];
            if (action.Handler == Sig.Ignore) continue;
            if (action.Handler == Sig.Default)
            {
                switch (SignalDefaults.For(sig))
                {
                    case DefaultAction.Ignore:
                    case DefaultAction.Continue:
                        continue;
                    case DefaultAction.Stop:
                        // Job control stops are not supported: the stop is ignored (no terminal, no job control).
                        NoteUnsupported($"stop by {SignalDefaults.Name(sig)}");
                        continue;
                    default:
                        ExitProcess(p, sig);
                        return false;
                }
            }
            if (restartable)
            {
                if (syscallResult == SyscallResult.RestartSys && (action.Flags & Sig.SaRestart) != 0) RestartSyscall(p);
                else p.Registers.Eax = unchecked((uint)-(int)Errno.EINTR);
                restartable = false;
            }
            ulong maskBefore = p.SavedMaskForSuspend ?? p.BlockedSignals;
            p.SavedMaskForSuspend = null;
            if (!BuildSignalFrame(p, sig, info, action, maskBefore))
            {
                // The stack is unusable: Linux's force_sigsegv.
                ExitProcess(p, Sig.SEGV);
                return false;
            }
            p.BlockedSignals |= action.Mask | ((action.Flags & Sig.SaNoDefer) != 0 ? 0 : Sig.Bit(sig));
            p.BlockedSignals &= ~Sig.Unblockable;
            if ((action.Flags & Sig.SaResetHand) != 0) action = default;
            Statistics.CountTransition("signal frames");
            return true;
        }
        if (restartable) RestartSyscall(p);
        if (p.SavedMaskForSuspend is { } saved)
        {
            p.BlockedSignals = saved;
            p.SavedMaskForSuspend = null;
        }
        return true;
    }

    /// <summary>Backs up to the <c>int 0x80</c> (2 bytes) so the call runs again; the vDSO keeps one before its landing point.</summary>
    private static void RestartSyscall(Process p)
    {
        p.Registers.Eax = p.Registers.OrigEax;
        p.Registers.Eip -= 2;
    }

    private byte[] EncodeSigcontext(in UserRegisters r, ulong mask, int trapNumber, uint errorCode, uint cr2)
    {
        var b = new byte[SigcontextSize];
        var s = b.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, r.Gs);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], r.Fs);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], r.Es);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], r.Ds);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], r.Edi);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], r.Esi);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], r.Ebp);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], r.Esp);
        BinaryPrimitives.WriteUInt32LittleEndian(s[32..], r.Ebx);
        BinaryPrimitives.WriteUInt32LittleEndian(s[36..], r.Edx);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], r.Ecx);
        BinaryPrimitives.WriteUInt32LittleEndian(s[44..], r.Eax);
        BinaryPrimitives.WriteInt32LittleEndian(s[48..], trapNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(s[52..], errorCode);
        BinaryPrimitives.WriteUInt32LittleEndian(s[56..], r.Eip);
        BinaryPrimitives.WriteUInt32LittleEndian(s[60..], r.Cs);
        BinaryPrimitives.WriteUInt32LittleEndian(s[64..], r.Eflags);
        BinaryPrimitives.WriteUInt32LittleEndian(s[68..], r.Esp);
        BinaryPrimitives.WriteUInt32LittleEndian(s[72..], r.Ss);
        BinaryPrimitives.WriteUInt32LittleEndian(s[76..], 0);   // no FPU state in the frame (fpstate = NULL)
        BinaryPrimitives.WriteUInt32LittleEndian(s[80..], (uint)mask);
        BinaryPrimitives.WriteUInt32LittleEndian(s[84..], cr2);
        return b;
    }

    private bool BuildSignalFrame(Process p, int sig, SignalInfo info, SignalAction action, ulong maskBefore)
    {
        ref var r = ref p.Registers;
        uint sp = r.Esp;
        var alt = p.AlternateStack;
        bool onAlt = alt.Size != 0 && sp - alt.Base < alt.Size;
        if ((action.Flags & Sig.SaOnStack) != 0 && alt.Size != 0 && !onAlt) sp = alt.Base + alt.Size;
        bool rt = (action.Flags & Sig.SaSigInfo) != 0;
        int size = rt ? RtSigframeSize : SigframeSize;
        // Linux's align_sigframe: ((sp - size) & -16) - 4, so the handler sees (esp + 4) % 16 == 0.
        uint frame = ((sp - (uint)size) & ~15u) - 4;
        uint restorer = (action.Flags & Sig.SaRestorer) != 0 ? action.Restorer : rt ? Vdso.RtSigreturnAddress : Vdso.SigreturnAddress;
        var sc = EncodeSigcontext(r, maskBefore, LastTrap.Number, LastTrap.ErrorCode, LastTrap.Cr2);
        var bytes = new byte[size];
        var s = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, restorer);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], sig);
        if (!rt)
        {
            sc.CopyTo(s[8..]);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(8 + SigcontextSize)..], (uint)(maskBefore >> 32));
            // The legacy return code (popl %eax; movl $119, %eax; int $0x80), kept for debuggers.
            new byte[] { 0x58, 0xB8, 0x77, 0x00, 0x00, 0x00, 0xCD, 0x80 }.CopyTo(s[(12 + SigcontextSize)..]);
        }
        else
        {
            uint infoAddress = frame + 16, ucAddress = frame + 16 + 128;
            BinaryPrimitives.WriteUInt32LittleEndian(s[8..], infoAddress);
            BinaryPrimitives.WriteUInt32LittleEndian(s[12..], ucAddress);
            info.ToBytes().CopyTo(s[16..]);
            var uc = s[144..];
            BinaryPrimitives.WriteUInt32LittleEndian(uc[8..], alt.Base);
            BinaryPrimitives.WriteInt32LittleEndian(uc[12..], alt.Size == 0 ? 2 : onAlt ? 1 : 0);
            BinaryPrimitives.WriteUInt32LittleEndian(uc[16..], alt.Size);
            sc.CopyTo(uc[20..]);
            BinaryPrimitives.WriteUInt64LittleEndian(uc[108..], maskBefore);
            new byte[] { 0xB8, 0xAD, 0x00, 0x00, 0x00, 0xCD, 0x80, 0x00 }.CopyTo(s[260..]);
            r.Edx = infoAddress;
            r.Ecx = ucAddress;
        }
        if (!p.Memory.CopyToUser(frame, bytes)) return false;
        r.Esp = frame;
        r.Eip = action.Handler;
        r.Eax = (uint)sig;
        if (!rt)
        {
            r.Edx = 0;
            r.Ecx = 0;
        }
        r.Ds = r.Es = UserDataSelector;
        r.Ss = StackSelectorFor(p);
        r.Cs = CodeSelectorFor(p);
        r.Eflags &= ~0x500u;   // TF, DF clear
        return true;
    }

    internal long SigReturn(Process p, in SyscallArgs a)
    {
        uint frame = p.Registers.Esp - 8;
        var buf = new byte[SigcontextSize + 4];
        if (!p.Memory.CopyFromUser(frame + 8, buf)) return BadSigreturn(p);
        ulong mask = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(80)) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(SigcontextSize)) << 32);
        return RestoreSigcontext(p, buf.AsSpan(0, SigcontextSize), mask);
    }

    internal long RtSigReturn(Process p, in SyscallArgs a)
    {
        uint frame = p.Registers.Esp - 4;
        var uc = new byte[116];
        if (!p.Memory.CopyFromUser(frame + 144, uc)) return BadSigreturn(p);
        ulong mask = BinaryPrimitives.ReadUInt64LittleEndian(uc.AsSpan(108));
        uint altBase = BinaryPrimitives.ReadUInt32LittleEndian(uc.AsSpan(8));
        int altFlags = BinaryPrimitives.ReadInt32LittleEndian(uc.AsSpan(12));
        uint altSize = BinaryPrimitives.ReadUInt32LittleEndian(uc.AsSpan(16));
        if ((altFlags & 2) == 0 && altSize >= 2048) p.AlternateStack = (altBase, altSize, 0);
        return RestoreSigcontext(p, uc.AsSpan(20, SigcontextSize), mask);
    }

    private long RestoreSigcontext(Process p, ReadOnlySpan<byte> context, ulong mask)
    {
        var s = context.ToArray();
        ushort Sel(int at) => (ushort)BitConverter.ToUInt32(s, at);
        uint U(int at) => BitConverter.ToUInt32(s, at);
        ushort gs = Sel(0), fs = Sel(4), es = Sel(8), ds = Sel(12), cs = Sel(60), ss = Sel(72);
        // Selectors are checked here, not left to fault in the kernel's iret.
        if (cs != CodeSelectorFor(p) || ss != StackSelectorFor(p) || !ValidDataSelector(ds) || !ValidDataSelector(es) || !ValidDataSelector(fs) || !ValidDataSelector(gs))
            return BadSigreturn(p);
        ref var r = ref p.Registers;
        r.Gs = gs; r.Fs = fs; r.Es = es; r.Ds = ds; r.Cs = cs; r.Ss = ss;
        r.Edi = U(16); r.Esi = U(20); r.Ebp = U(24); r.Esp = U(28); r.Ebx = U(32); r.Edx = U(36); r.Ecx = U(40); r.Eax = U(44);
        r.Eip = U(56);
        r.Eflags = (r.Eflags & ~FixEflags) | (U(64) & FixEflags) | 0x202;
        p.BlockedSignals = mask & ~Sig.Unblockable;
        return SyscallResult.RegistersSet;
    }

    private static bool ValidDataSelector(ushort selector) =>
        selector == 0 || selector == UserDataSelector || ((selector & 3) == 3 && (selector >> 3) is >= FirstTlsEntry and < FirstTlsEntry + 3);

    private long BadSigreturn(Process p)
    {
        ForceSignal(p, new SignalInfo { Signal = Sig.SEGV, Code = SigCode.Kernel });
        return SyscallResult.RegistersSet;
    }

    /// <summary>The trap that led to the signal being delivered now (for sigcontext.trapno/err/cr2).</summary>
    internal (int Number, uint ErrorCode, uint Cr2) LastTrap { get; set; }
}
