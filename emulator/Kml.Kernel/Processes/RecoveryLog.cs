namespace Kml.Kernel.Processes;

/// <summary>What a recovery-log record is about.</summary>
internal enum ResourceKind
{
    /// <summary>A file descriptor (a reference to an open file description).</summary>
    Descriptor,
    /// <summary>A bound or listening port (held by a socket descriptor).</summary>
    Port,
    /// <summary>A record lock (fcntl) or a whole-file lock (flock).</summary>
    Lock,
    /// <summary>A memory area (mmap, the brk heap).</summary>
    Memory,
}

/// <summary>
/// The multi-level seed's recovery log, per process: every time the process acquires something in the kernel (a
/// descriptor, a port, a lock, memory) the kernel writes a record with the operation that undoes it, and drops the
/// record when the process releases the thing itself. When the process dies abnormally (killed by a signal), the
/// kernel undoes what is left, newest first, and then checks that the process holds nothing any more. Kept at
/// protection levels 1 to 3; each record costs <see cref="KernelCostModel.RecoveryLogRecord"/> cycles.
/// </summary>
internal sealed class RecoveryLog
{
    /// <summary>One record: what was acquired, under a key that identifies it, and how to undo it.</summary>
    public sealed record Entry(ResourceKind Kind, object Key, string What, Action Undo);

    private readonly List<Entry> _entries = [];

    /// <summary>Records written since the process started (including those dropped again).</summary>
    public long Written { get; private set; }

    /// <summary>What is held now, oldest first.</summary>
    public IReadOnlyList<Entry> Entries => _entries;

    /// <summary>Records an acquisition (replacing a record with the same kind and key).</summary>
    public void Record(ResourceKind kind, object key, string what, Action undo)
    {
        Forget(kind, key);
        _entries.Add(new Entry(kind, key, what, undo));
        Written++;
    }

    /// <summary>The process released the thing itself: the record goes.</summary>
    public void Forget(ResourceKind kind, object key) => _entries.RemoveAll(e => e.Kind == kind && Equals(e.Key, key));

    /// <summary>Drops every record that matches (e.g. all memory records at execve).</summary>
    public void ForgetWhere(Func<Entry, bool> match) => _entries.RemoveAll(e => match(e));

    /// <summary>Undoes every record, newest first; returns what was undone.</summary>
    public List<string> UndoAll()
    {
        var undone = new List<string>();
        while (_entries.Count > 0)
        {
            var e = _entries[^1];
            _entries.RemoveAt(_entries.Count - 1);
            e.Undo();
            undone.Add(e.What);
        }
        return undone;
    }
}
