using Kml.Kernel.Abi;
using Kml.Kernel.Processes;
using Kml.Kernel.Vfs;

namespace Kml.Kernel.Files;

/// <summary>
/// POSIX record locks (fcntl F_SETLK/F_SETLKW/F_GETLK) and flock(2) locks, recorded per process so that the
/// kernel releases them when the process closes the file or dies (part of its recovery log).
/// </summary>
internal sealed class FileLocks
{
    /// <summary>A held lock: [Start, End) of the file (End = long.MaxValue for "to the end").</summary>
    public sealed record Lock(int Pid, Inode Inode, short Type, long Start, long End, bool Flock);

    private readonly List<Lock> _locks = [];

    public WaitQueue Released { get; } = new("file lock");

    public IReadOnlyList<Lock> Held => _locks;

    /// <summary>Told (with the pid) after a process's locks changed: the recovery log mirrors them.</summary>
    public Action<int>? Changed { get; set; }

    /// <summary>The first lock of another process that conflicts with the request, or null.</summary>
    public Lock? FindConflict(int pid, Inode inode, short type, long start, long end, bool flock) =>
        _locks.FirstOrDefault(l => l.Inode == inode && l.Pid != pid && l.Flock == flock && l.Start < end && start < l.End
            && (type == Fcntl.WriteLock || l.Type == Fcntl.WriteLock));

    /// <summary>Sets or clears the caller's lock on a range (replacing what it held there).</summary>
    public void Set(int pid, Inode inode, short type, long start, long end, bool flock)
    {
        var kept = new List<Lock>();
        foreach (var l in _locks)
        {
            if (l.Pid != pid || l.Inode != inode || l.Flock != flock || l.End <= start || end <= l.Start)
            {
                kept.Add(l);
                continue;
            }
            // Keep the parts of the old lock outside the new range.
            if (l.Start < start) kept.Add(l with { End = start });
            if (l.End > end) kept.Add(l with { Start = end });
        }
        if (type != Fcntl.Unlock) kept.Add(new Lock(pid, inode, type, start, end, flock));
        _locks.Clear();
        _locks.AddRange(kept);
        Released.WakeAll();
        Changed?.Invoke(pid);
    }

    /// <summary>POSIX rule: closing any descriptor of a file drops the process's record locks on it.</summary>
    public void ReleaseFile(int pid, Inode inode)
    {
        if (_locks.RemoveAll(l => l.Pid == pid && l.Inode == inode && !l.Flock) > 0)
        {
            Released.WakeAll();
            Changed?.Invoke(pid);
        }
    }

    public void ReleaseAll(int pid)
    {
        if (_locks.RemoveAll(l => l.Pid == pid) > 0)
        {
            Released.WakeAll();
            Changed?.Invoke(pid);
        }
    }
}
