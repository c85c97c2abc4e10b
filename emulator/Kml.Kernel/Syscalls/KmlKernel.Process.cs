using System.Buffers.Binary;
using System.Text;
using Kml.Kernel.Abi;
using Kml.Kernel.Elf;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;
using Kml.Kernel.Vfs;

namespace Kml.Kernel;

// fork, vfork, clone, execve, exit, wait4, and the process identity calls.
public sealed partial class KmlKernel
{
    internal long Fork(Process p, in SyscallArgs a) => CreateChild(p, Sig.CHLD, 0, 0, 0, 0);

    internal long VFork(Process p, in SyscallArgs a) => VForkCore(p, Sig.CHLD | CloneFlags.Vm | CloneFlags.VFork, 0, 0, 0, 0);

    internal long Clone(Process p, in SyscallArgs a)
    {
        uint flags = a.A0;
        const uint Supported = CloneFlags.SignalMask | CloneFlags.Vm | CloneFlags.VFork | CloneFlags.SetTls |
            CloneFlags.ParentSetTid | CloneFlags.ChildSetTid | CloneFlags.ChildClearTid | CloneFlags.Detached;
        if ((flags & ~Supported) != 0 || ((flags & CloneFlags.Vm) != 0 && (flags & CloneFlags.VFork) == 0))
        {
            // Threads (CLONE_VM without CLONE_VFORK, CLONE_THREAD, CLONE_SIGHAND, ...) are not supported.
            NoteUnsupported($"clone flags 0x{flags:X}");
            return Err(Errno.ENOSYS);
        }
        if ((flags & CloneFlags.VFork) != 0)
            return VForkCore(p, flags, a.A1, a.A2, a.A4, a.A3);
        return CreateChild(p, flags, a.A1, a.A2, a.A4, a.A3);
    }

    private long VForkCore(Process p, uint flags, uint stack, uint parentTid, uint childTid, uint tls)
    {
        if (p.SyscallProgress != 0)
        {
            // Re-executed after the child let go of our memory: return its pid.
            if (p.VforkWaiting) return SleepUninterruptible(p, FindVforkChild(p)?.VforkDone);
            return p.SyscallProgress;
        }
        long pid = CreateChild(p, flags, stack, parentTid, childTid, tls);
        if (pid < 0) return pid;
        p.SyscallProgress = pid;
        p.VforkWaiting = true;
        return SleepUninterruptible(p, ProcessTable[(int)pid].VforkDone);
    }

    private Process? FindVforkChild(Process p) => p.Children.FirstOrDefault(c => c.VforkParent == p);

    /// <summary>Sleeps without the signal check (vfork's wait for the child: Linux's is killable only).</summary>
    private static long SleepUninterruptible(Process p, WaitQueue? queue)
    {
        if (queue == null)
        {
            p.VforkWaiting = false;
            return p.SyscallProgress;
        }
        p.State = ProcessState.Sleeping;
        queue.Add(p);
        p.WaitingOn.Add(queue);
        return SyscallResult.Sleep;
    }

    /// <summary>fork and fork-like clone: a copy of the caller that returns 0.</summary>
    private long CreateChild(Process p, uint flags, uint stack, uint parentTid, uint childTid, uint tls)
    {
        if (ProcessTable.Count >= 4096) return Err(Errno.EAGAIN);
        bool vfork = (flags & CloneFlags.VFork) != 0;
        var memory = vfork ? p.Memory : p.Memory.Fork();
        if (vfork) memory.Users++;
        var child = new Process(AllocatePid(), p, memory, p.Files.Clone(), p.PathContext)
        {
            Umask = p.Umask,
            ExecutablePath = p.ExecutablePath,
            Name = p.Name,
            SignalActions = (SignalAction[])p.SignalActions.Clone(),
            BlockedSignals = p.BlockedSignals,
            ResourceLimits = (ulong[])p.ResourceLimits.Clone(),
            ExitSignal = (int)(flags & CloneFlags.SignalMask),
            Entry = p.Entry,
            Protection = p.Protection,
            StartTime = Clock.MonotonicNanoseconds,
            AlternateStack = p.AlternateStack,
        };
        child.Credentials = p.Credentials;
        child.ProcessGroup = p.ProcessGroup;
        child.Session = p.Session;
        Array.Copy(p.TlsDescriptors, child.TlsDescriptors, 3);
        child.Registers = p.Registers;
        child.Registers.Eax = 0;
        if (stack != 0) child.Registers.Esp = stack;
        child.OnWake = MakeRunnable;
        AllocateKernelStack(child);
        AttachRecoveryLog(child);
        ProcessTable[child.Pid] = child;
        p.Children.Add(child);
        Statistics.ProcessesCreated++;
        if ((flags & CloneFlags.SetTls) != 0)
        {
            var err = SetTls(child, tls, out _);
            if (err != Errno.None) return Err(err);
        }
        if ((flags & CloneFlags.ChildSetTid) != 0) child.Memory.TryWriteUInt32(childTid, (uint)child.Pid);
        if ((flags & CloneFlags.ChildClearTid) != 0) child.ClearChildTid = childTid;
        if ((flags & CloneFlags.ParentSetTid) != 0) p.Memory.TryWriteUInt32(parentTid, (uint)child.Pid);
        if (vfork) child.VforkParent = p;
        MakeRunnable(child);
        return child.Pid;
    }

    private readonly Dictionary<RegularFile, (Timespec Modified, long Size, ElfImage Image)> _imageCache = [];

    /// <summary>The validated ELF image of an executable file (cached while the file is unchanged).</summary>
    internal ElfImage LoadImage(RegularFile file, string guestPath)
    {
        if (_imageCache.TryGetValue(file, out var cached) && cached.Modified == file.ModifyTime && cached.Size == file.Size)
            return cached.Image;
        var bytes = new byte[file.Size];
        file.Read(0, bytes);
        var image = ElfImage.Parse(guestPath, bytes);
        _imageCache[file] = (file.ModifyTime, file.Size, image);
        return image;
    }

    internal long Execve(Process p, in SyscallArgs a)
    {
        var err = ReadPath(p, a.A0, out string path);
        if (err != Errno.None) return Err(err);
        err = ReadStringArray(p, a.A1, out var argv);
        if (err != Errno.None) return Err(err);
        err = ReadStringArray(p, a.A2, out var envp);
        if (err != Errno.None) return Err(err);
        return ExecCore(p, path, argv, envp, depth: 0);
    }

    private long ExecCore(Process p, string path, List<string> argv, List<string> envp, int depth)
    {
        var err = Fs.Resolve(p.PathContext, null, path, true, out var node);
        if (err != Errno.None) return Err(err);
        if (node.IsDirectory || node is not RegularFile file) return Err(Errno.EACCES);
        if (!node.MayAccess(p.Credentials, 1)) return Err(Errno.EACCES);
        Span<byte> head = stackalloc byte[256];
        int headLength = file.Read(0, head);
        head = head[..headLength];
        if (headLength >= 2 && head[0] == '#' && head[1] == '!')
        {
            if (depth >= 4) return Err(Errno.ELOOP);
            int end = head.IndexOf((byte)'\n');
            string line = Encoding.Latin1.GetString(end >= 0 ? head[2..end] : head[2..]).Trim();
            if (line.Length == 0) return Err(Errno.ENOEXEC);
            int space = line.IndexOfAny([' ', '\t']);
            string interpreter = space < 0 ? line : line[..space];
            string? optional = space < 0 ? null : line[(space + 1)..].Trim();
            var newArgs = new List<string> { interpreter };
            if (!string.IsNullOrEmpty(optional)) newArgs.Add(optional);
            newArgs.Add(path);
            newArgs.AddRange(argv.Skip(1));
            return ExecCore(p, interpreter, newArgs, envp, depth + 1);
        }
        ElfImage image;
        try
        {
            image = LoadImage(file, path);
        }
        catch (InvalidDataException ex)
        {
            // Not a program the kernel runs: the caller (a shell) may try it as a script. Say why on the console.
            NoteExecFailure(ex.Message);
            return Err(Errno.ENOEXEC);
        }
        // A TAL object goes to the checker, never to the ELF loader (Tal/KmlKernel.TalExec.cs).
        if (Tal.TalObjectFile.IsTalObject(image.Bytes.Span)) return ExecTalImage(p, path, image.Bytes.ToArray(), argv);
        var space2 = NewAddressSpace();
        LoadedProgram loaded;
        try
        {
            var random = new byte[16];
            Random.NextBytes(random);
            loaded = ProgramLoader.Load(space2, image, new ProgramEnvironment
            {
                Arguments = argv,
                Environment = envp,
                ExecutableName = path,
                Uid = p.Credentials.Uid, Euid = p.Credentials.Euid, Gid = p.Credentials.Gid, Egid = p.Credentials.Egid,
                SysinfoAddress = Vdso.SysinfoAddress,
                VdsoAddress = Vdso.Address,
                VdsoFrame = Vdso.Frame,
                HardwareCapabilities = Vdso.HardwareCapabilities,
                RandomBytes = random,
                StackLimit = (uint)Math.Min(p.ResourceLimits[RLimit.Stack * 2], 1u << 30),
            });
        }
        catch (ArgumentException)
        {
            space2.Dispose();
            return Err(Errno.E2BIG);
        }
        catch (InvalidOperationException)
        {
            space2.Dispose();
            return Err(Errno.ENOMEM);
        }
        // The point of no return: the old image is gone.
        var old = p.Memory;
        p.Memory = space2;
        p.Log?.ForgetWhere(e => e.Kind == ResourceKind.Memory);
        ActivateAddressSpace(p);
        if (--old.Users == 0) old.Dispose();
        ReleaseVforkParent(p);
        p.Files.CloseOnExecute();
        for (int s = 1; s <= Sig.Max; s++)
        {
            ref var act = ref p.SignalActions[s];
            if (act.Handler != Sig.Ignore) act = default;
            else act = new SignalAction { Handler = Sig.Ignore };
        }
        p.AlternateStack = default;
        Array.Clear(p.TlsDescriptors);
        p.ClearChildTid = 0;
        p.RobustList = 0;
        // /proc/self/exe names the file, not the path it was reached by (which may be /proc/self/exe itself).
        p.ExecutablePath = FindPathOf(file) ?? AbsolutePath(p, null, path);
        RegisterExecutable(file, p.ExecutablePath);
        string baseName = path[(path.LastIndexOf('/') + 1)..];
        p.Name = baseName.Length > 15 ? baseName[..15] : baseName;
        p.Registers = InitialRegisters(p, loaded.Entry, loaded.StackPointer);
        OnExec(p);
        return SyscallResult.RegistersSet;
    }

    /// <summary>The executables the kernel knows the path of (the binary being run, and what execve resolved).</summary>
    private readonly Dictionary<RegularFile, string> _executablePaths = [];

    private string? FindPathOf(RegularFile file) => _executablePaths.TryGetValue(file, out var path) ? path : null;

    internal void RegisterExecutable(RegularFile file, string guestPath) => _executablePaths.TryAdd(file, guestPath);

    /// <summary>Reads a NULL-terminated array of string pointers (argv, envp).</summary>
    private static Errno ReadStringArray(Process p, uint address, out List<string> values)
    {
        values = [];
        if (address == 0) return Errno.None;
        long total = 0;
        for (uint i = 0; ; i++)
        {
            if (!p.Memory.TryReadUInt32(address + i * 4, out uint ptr)) return Errno.EFAULT;
            if (ptr == 0) return Errno.None;
            var err = p.Memory.ReadString(ptr, ProgramLoader.MaxArgumentBytes, out string s);
            if (err == Errno.ENAMETOOLONG) return Errno.E2BIG;
            if (err != Errno.None) return err;
            total += s.Length + 1 + 4;
            if (total > ProgramLoader.MaxArgumentBytes) return Errno.E2BIG;
            values.Add(s);
        }
    }

    internal long Exit(Process p, in SyscallArgs a)
    {
        ExitProcess(p, (a.I0 & 0xFF) << 8);
        return SyscallResult.Exited;
    }

    internal long Wait4(Process p, in SyscallArgs a) => WaitCore(p, a.I0, a.A1, a.I2, a.A3);

    internal long WaitPid(Process p, in SyscallArgs a) => WaitCore(p, a.I0, a.A1, a.I2, 0);

    private long WaitCore(Process p, int pid, uint statusAddress, int options, uint rusageAddress)
    {
        if ((options & ~(WaitOptions.NoHang | WaitOptions.Untraced | WaitOptions.Continued | WaitOptions.All | WaitOptions.Clone)) != 0)
            return Err(Errno.EINVAL);
        bool Matches(Process c) => pid switch
        {
            > 0 => c.Pid == pid,
            -1 => true,
            0 => c.ProcessGroup == p.ProcessGroup,
            _ => c.ProcessGroup == -pid,
        };
        var candidates = p.Children.Where(Matches).ToList();
        if (candidates.Count == 0) return Err(Errno.ECHILD);
        var zombie = candidates.FirstOrDefault(c => c.State is ProcessState.Zombie or ProcessState.Dead);
        if (zombie == null)
        {
            if ((options & WaitOptions.NoHang) != 0) return 0;
            return Sleep(p, p.ChildEvents);
        }
        if (statusAddress != 0 && !p.Memory.TryWriteUInt32(statusAddress, (uint)zombie.ExitStatus)) return Err(Errno.EFAULT);
        if (rusageAddress != 0 && !p.Memory.CopyToUser(rusageAddress, EncodeRusage(zombie.CpuCycles))) return Err(Errno.EFAULT);
        p.Children.Remove(zombie);
        p.ChildCycles += zombie.CpuCycles + zombie.ChildCycles;
        Reap(zombie);
        return zombie.Pid;
    }

    internal long GetPid(Process p, in SyscallArgs a) => p.Pid;

    internal long GetPpid(Process p, in SyscallArgs a) => p.Parent?.Pid ?? 1;

    internal long GetPgrp(Process p, in SyscallArgs a) => p.ProcessGroup;

    internal long GetPgid(Process p, in SyscallArgs a)
    {
        var target = a.I0 == 0 ? p : FindProcess(a.I0);
        return target == null ? Err(Errno.ESRCH) : target.ProcessGroup;
    }

    internal long SetPgid(Process p, in SyscallArgs a)
    {
        var target = a.I0 == 0 ? p : FindProcess(a.I0);
        if (target == null || (target != p && target.Parent != p)) return Err(Errno.ESRCH);
        if (a.I1 < 0) return Err(Errno.EINVAL);
        if (target.Session != p.Session) return Err(Errno.EPERM);
        if (target.Pid == target.Session) return Err(Errno.EPERM);
        int group = a.I1 == 0 ? target.Pid : a.I1;
        if (group != target.Pid && !ProcessTable.Values.Any(q => q.ProcessGroup == group && q.Session == p.Session)) return Err(Errno.EPERM);
        target.ProcessGroup = group;
        return 0;
    }

    internal long GetSid(Process p, in SyscallArgs a)
    {
        var target = a.I0 == 0 ? p : FindProcess(a.I0);
        return target == null ? Err(Errno.ESRCH) : target.Session;
    }

    internal long SetSid(Process p, in SyscallArgs a)
    {
        if (ProcessTable.Values.Any(q => q.ProcessGroup == p.Pid && q != p) || p.ProcessGroup == p.Pid) return Err(Errno.EPERM);
        p.Session = p.Pid;
        p.ProcessGroup = p.Pid;
        return p.Pid;
    }

    // ---------------------------------------------------------------- identity

    internal long GetUid(Process p, in SyscallArgs a) => p.Credentials.Uid;
    internal long GetEuid(Process p, in SyscallArgs a) => p.Credentials.Euid;
    internal long GetGid(Process p, in SyscallArgs a) => p.Credentials.Gid;
    internal long GetEgid(Process p, in SyscallArgs a) => p.Credentials.Egid;

    internal long SetUid(Process p, in SyscallArgs a) => SetIds(p, a.I0, a.I0, true);
    internal long SetGid(Process p, in SyscallArgs a) => SetIds(p, a.I0, a.I0, false);
    internal long SetUid16(Process p, in SyscallArgs a) => SetIds(p, Widen16(a.A0), Widen16(a.A0), true);
    internal long SetGid16(Process p, in SyscallArgs a) => SetIds(p, Widen16(a.A0), Widen16(a.A0), false);
    internal long SetReuid(Process p, in SyscallArgs a) => SetIds(p, a.I0, a.I1, true);
    internal long SetRegid(Process p, in SyscallArgs a) => SetIds(p, a.I0, a.I1, false);
    internal long SetResuid(Process p, in SyscallArgs a) => SetIds(p, a.I0, a.I1, true);
    internal long SetResgid(Process p, in SyscallArgs a) => SetIds(p, a.I0, a.I1, false);

    private static long SetIds(Process p, int real, int effective, bool user)
    {
        var c = p.Credentials;
        int curReal = user ? c.Uid : c.Gid, curEff = user ? c.Euid : c.Egid;
        if (c.Euid != 0 && ((real != -1 && real != curReal && real != curEff) || (effective != -1 && effective != curReal && effective != curEff)))
            return Err(Errno.EPERM);
        int newReal = real == -1 ? curReal : real, newEff = effective == -1 ? curEff : effective;
        p.Credentials = user ? c with { Uid = newReal, Euid = newEff } : c with { Gid = newReal, Egid = newEff };
        return 0;
    }

    internal long GetResuid(Process p, in SyscallArgs a) => WriteIds(p, a, p.Credentials.Uid, p.Credentials.Euid);
    internal long GetResgid(Process p, in SyscallArgs a) => WriteIds(p, a, p.Credentials.Gid, p.Credentials.Egid);

    private static long WriteIds(Process p, in SyscallArgs a, int real, int effective) =>
        p.Memory.TryWriteUInt32(a.A0, (uint)real) && p.Memory.TryWriteUInt32(a.A1, (uint)effective) && p.Memory.TryWriteUInt32(a.A2, (uint)effective)
            ? 0 : Err(Errno.EFAULT);

    internal long GetGroups(Process p, in SyscallArgs a)
    {
        if (a.I0 < 0) return Err(Errno.EINVAL);
        if (a.I0 == 0) return 1;
        return p.Memory.TryWriteUInt32(a.A1, (uint)p.Credentials.Egid) ? 1 : Err(Errno.EFAULT);
    }

    internal long SetGroups(Process p, in SyscallArgs a) => p.Credentials.Euid == 0 ? 0 : Err(Errno.EPERM);

    // ---------------------------------------------------------------- thread-ish state

    internal long SetTidAddress(Process p, in SyscallArgs a)
    {
        p.ClearChildTid = a.A0;
        return p.Pid;
    }

    internal long SetRobustList(Process p, in SyscallArgs a)
    {
        if (a.A1 != 12) return Err(Errno.EINVAL);
        p.RobustList = a.A0;
        return 0;
    }

    internal long GetRobustList(Process p, in SyscallArgs a)
    {
        var target = a.I0 == 0 ? p : FindProcess(a.I0);
        if (target == null) return Err(Errno.ESRCH);
        return p.Memory.TryWriteUInt32(a.A1, target.RobustList) && p.Memory.TryWriteUInt32(a.A2, 12) ? 0 : Err(Errno.EFAULT);
    }

    /// <summary>The first GDT entry glibc may use for TLS (entries 6–8, as on an i386 kernel).</summary>
    internal const int FirstTlsEntry = 6;

    internal long SetThreadArea(Process p, in SyscallArgs a)
    {
        var err = SetTls(p, a.A0, out _);
        if (err != Errno.None) return Err(err);
        if (p == Current) LoadTlsDescriptors(p);
        return 0;
    }

    /// <summary>Linux's do_set_thread_area: reads a struct user_desc, fills a GDT TLS slot, writes the chosen entry back.</summary>
    private static Errno SetTls(Process p, uint address, out int entry)
    {
        entry = -1;
        Span<byte> d = stackalloc byte[16];
        if (!p.Memory.CopyFromUser(address, d)) return Errno.EFAULT;
        int number = BinaryPrimitives.ReadInt32LittleEndian(d);
        uint baseAddress = BinaryPrimitives.ReadUInt32LittleEndian(d[4..]);
        uint limit = BinaryPrimitives.ReadUInt32LittleEndian(d[8..]);
        uint bits = BinaryPrimitives.ReadUInt32LittleEndian(d[12..]);
        if (number == -1)
        {
            for (int i = 0; i < 3; i++)
            {
                if (p.TlsDescriptors[i] == 0)
                {
                    number = FirstTlsEntry + i;
                    break;
                }
            }
            if (number == -1) return Errno.ESRCH;
            BinaryPrimitives.WriteInt32LittleEndian(d, number);
            if (!p.Memory.CopyToUser(address, d[..4])) return Errno.EFAULT;
        }
        if (number < FirstTlsEntry || number >= FirstTlsEntry + 3) return Errno.EINVAL;
        uint seg32 = bits & 1, contents = (bits >> 1) & 3, readExecOnly = (bits >> 3) & 1, limitInPages = (bits >> 4) & 1;
        uint notPresent = (bits >> 5) & 1, useable = (bits >> 6) & 1;
        bool empty = baseAddress == 0 && limit == 0 && contents == 0 && readExecOnly == 1 && seg32 == 0 && limitInPages == 0 && notPresent == 1 && useable == 0;
        if (contents == 3 && notPresent == 0) return Errno.EINVAL;   // conforming code segments are refused, as Linux does
        ulong descriptor = 0;
        if (!empty)
        {
            uint low = (limit & 0xFFFF) | (baseAddress << 16);
            uint high = ((baseAddress >> 16) & 0xFF) | (baseAddress & 0xFF000000) | (limit & 0xF0000) |
                ((readExecOnly ^ 1) << 9) | (contents << 10) | ((notPresent ^ 1) << 15) | (seg32 << 22) | (limitInPages << 23) |
                (useable << 20) | 0x7000;
            descriptor = low | ((ulong)high << 32);
        }
        p.TlsDescriptors[number - FirstTlsEntry] = descriptor;
        entry = number;
        return Errno.None;
    }

    internal long GetThreadArea(Process p, in SyscallArgs a)
    {
        if (!p.Memory.TryReadUInt32(a.A0, out uint number)) return Err(Errno.EFAULT);
        int index = (int)number - FirstTlsEntry;
        if (index < 0 || index >= 3) return Err(Errno.EINVAL);
        ulong desc = p.TlsDescriptors[index];
        uint low = (uint)desc, high = (uint)(desc >> 32);
        uint baseAddress = (low >> 16) | ((high & 0xFF) << 16) | (high & 0xFF000000);
        uint limit = (low & 0xFFFF) | (high & 0xF0000);
        uint bits = desc == 0 ? 0x28u
            : ((high >> 22) & 1) | (((high >> 10) & 3) << 1) | ((((high >> 9) & 1) ^ 1) << 3) | (((high >> 23) & 1) << 4) |
              ((((high >> 15) & 1) ^ 1) << 5) | (((high >> 20) & 1) << 6);
        Span<byte> d = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(d, number);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], baseAddress);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], limit);
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], bits);
        return p.Memory.CopyToUser(a.A0, d) ? 0 : Err(Errno.EFAULT);
    }

    internal long Prctl(Process p, in SyscallArgs a)
    {
        const int SetPdeathSig = 1, GetDumpable = 3, SetDumpable = 4, SetName = 15, GetName = 16;
        switch (a.I0)
        {
            case SetName:
                var err = p.Memory.ReadString(a.A1, 4096, out string name);
                if (err != Errno.None) return Err(err);
                p.Name = name.Length > 15 ? name[..15] : name;
                return 0;
            case GetName:
                var bytes = new byte[16];
                Encoding.Latin1.GetBytes(p.Name, bytes);
                return p.Memory.CopyToUser(a.A1, bytes) ? 0 : Err(Errno.EFAULT);
            case GetDumpable:
                return 1;
            case SetDumpable:
            case SetPdeathSig:
                return 0;
            default:
                return Err(Errno.EINVAL);
        }
    }

    partial void OnExecCore(Process p);

    private void OnExec(Process p) => OnExecCore(p);

    /// <summary>An unsupported feature the guest asked for: counted and named in the statistics.</summary>
    internal void NoteUnsupported(string what)
    {
        Statistics.CountTransition($"unsupported: {what}");
    }

    private void NoteExecFailure(string message)
    {
        if (Options.Trace) KernelMessage($"execve: {message}");
        Statistics.CountTransition($"execve rejected: {message}");
    }
}
