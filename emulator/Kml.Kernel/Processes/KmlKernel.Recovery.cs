using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Net;
using Kml.Kernel.Processes;

namespace Kml.Kernel;

// The recovery log (protection levels 1 to 3): what a process acquires is recorded as it happens, and undone when the
// process dies abnormally. Descriptors are recorded by the descriptor table's hooks, locks by the lock table's, ports
// by bind/listen, memory by mmap/brk.
public sealed partial class KmlKernel
{
    /// <summary>Gives <paramref name="p"/> a recovery log if its level keeps one, and records what it already holds.</summary>
    internal void AttachRecoveryLog(Process p)
    {
        if (!p.Protection.RecoveryLog) return;
        var log = p.Log = new RecoveryLog();
        var files = p.Files;
        files.Installed = (fd, file) => LogRecord(p, ResourceKind.Descriptor, fd, $"fd {fd}: {file.Describe()}", () => CloseForRecovery(p, fd));
        files.Closed = fd =>
        {
            log.Forget(ResourceKind.Descriptor, fd);
            // A port goes with the last of the process's descriptors of its socket.
            if (log.Entries.Any(e => e.Kind == ResourceKind.Port))
                log.ForgetWhere(e => e.Kind == ResourceKind.Port && !files.OpenDescriptors.Any(d => ReferenceEquals(files.Get(d), e.Key)));
        };
        Locks.Changed ??= SyncLockRecords;
        foreach (int fd in files.OpenDescriptors) files.Installed(fd, files.Get(fd)!);
        SyncLockRecords(p.Pid);
    }

    /// <summary>Writes a record (and pays for it in emulated time).</summary>
    private void LogRecord(Process p, ResourceKind kind, object key, string what, Action undo)
    {
        if (p.Log == null) return;
        p.Log.Record(kind, key, what, undo);
        Statistics.RecoveryRecords++;
        Clock.Charge(Costs.RecoveryLogRecord);
    }

    /// <summary>The lock records of a process mirror the lock table after every change.</summary>
    private void SyncLockRecords(int pid)
    {
        if (FindProcess(pid) is not { Log: { } log } p) return;
        var held = Locks.Held.Where(l => l.Pid == pid).ToList();
        log.ForgetWhere(e => e.Kind == ResourceKind.Lock && !held.Contains((FileLocks.Lock)e.Key));
        foreach (var l in held)
        {
            if (log.Entries.Any(e => e.Kind == ResourceKind.Lock && Equals(e.Key, l))) continue;
            string range = l.Flock ? "whole file (flock)" : $"bytes {l.Start}..{(l.End == long.MaxValue ? "end" : (l.End - 1).ToString())}";
            string type = l.Type == Abi.Fcntl.WriteLock ? "write" : "read";
            LogRecord(p, ResourceKind.Lock, l, $"{type} lock on inode {l.Inode.Number}, {range}",
                () => Locks.Set(l.Pid, l.Inode, Abi.Fcntl.Unlock, l.Start, l.End, l.Flock));
        }
    }

    /// <summary>bind/listen succeeded: the port is held until the socket's last descriptor in this process closes.</summary>
    internal void LogPort(Process p, int fd, SocketFile socket, string what)
    {
        if (p.Log == null) return;
        LogRecord(p, ResourceKind.Port, socket, $"{what} (fd {fd})", () =>
        {
            foreach (int d in p.Files.OpenDescriptors.ToList())
                if (ReferenceEquals(p.Files.Get(d), socket)) CloseForRecovery(p, d);
        });
    }

    /// <summary>mmap or brk gave the process memory.</summary>
    internal void LogMemory(Process p, object key, uint start, uint end, string how)
    {
        if (p.Log == null) return;
        LogRecord(p, ResourceKind.Memory, key, $"memory: {(end - start) / 1024} KiB at 0x{start:X8} ({how})", () =>
        {
            // A vfork child borrows its parent's memory: that is not the child's to give back.
            if (p.Memory.Users == 1 && end > start) p.Memory.Unmap(start, end - start);
        });
    }

    /// <summary>munmap: records of areas entirely inside the range go.</summary>
    internal void ForgetMemory(Process p, uint start, uint end) =>
        p.Log?.ForgetWhere(e => e.Kind == ResourceKind.Memory && e.Key is uint s && s >= start && s < end);

    /// <summary>Closes a descriptor as the close system call does (POSIX record locks on the file go with it).</summary>
    private void CloseForRecovery(Process p, int fd)
    {
        var file = p.Files.Close(fd);
        if (file?.Inode != null) Locks.ReleaseFile(p.Pid, file.Inode);
    }

    /// <summary>
    /// A process with a log died abnormally: undo the log newest first, then check that nothing it held is left
    /// (descriptors, locks); what is left is reported as a kernel bug.
    /// </summary>
    private void UndoRecoveryLog(Process p)
    {
        var log = p.Log!;
        var undone = log.UndoAll();
        Clock.Charge((long)undone.Count * Costs.RecoveryLogRecord);
        Statistics.RecoveryUndone += undone.Count;
        foreach (var what in undone)
        {
            Statistics.RecoveryUndoneDetails.Add($"pid {p.Pid}: {what}");
            if (Options.Trace) KernelMessage($"recovery log: pid {p.Pid} ({p.Name}) died; undone: {what}");
        }
        var missed = p.Files.OpenDescriptors.Select(fd => $"pid {p.Pid}: fd {fd}: {p.Files.Get(fd)!.Describe()}")
            .Concat(Locks.Held.Where(l => l.Pid == p.Pid).Select(l => $"pid {p.Pid}: lock on inode {l.Inode.Number}"))
            .ToList();
        if (missed.Count > 0)
        {
            Statistics.RecoveryMissed.AddRange(missed);
            KernelMessage($"recovery log of pid {p.Pid} missed {missed.Count} resource(s): {string.Join("; ", missed)} (a kernel bug)");
        }
    }
}
