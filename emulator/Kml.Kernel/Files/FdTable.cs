using Kml.Kernel.Abi;

namespace Kml.Kernel.Files;

/// <summary>A process's file descriptors: each refers to an <see cref="OpenFile"/> and carries FD_CLOEXEC.</summary>
internal sealed class FdTable
{
    /// <summary>The largest RLIMIT_NOFILE the kernel accepts (descriptor numbers stay below it).</summary>
    public const int Limit = 65536;

    /// <summary>The soft RLIMIT_NOFILE: descriptors are allocated below it (dup2 may name any number below <see cref="Limit"/>).</summary>
    public int SoftLimit { get; set; } = 1024;

    private readonly List<(OpenFile File, bool CloseOnExec)?> _slots = [];

    /// <summary>Told when a descriptor is installed (the recovery log records it).</summary>
    public Action<int, OpenFile>? Installed { get; set; }

    /// <summary>Told when a descriptor is closed.</summary>
    public Action<int>? Closed { get; set; }

    public OpenFile? Get(int fd) => fd >= 0 && fd < _slots.Count ? _slots[fd]?.File : null;

    public bool GetCloseOnExec(int fd) => fd >= 0 && fd < _slots.Count && (_slots[fd]?.CloseOnExec ?? false);

    public void SetCloseOnExec(int fd, bool value)
    {
        if (_slots[fd] is { } e) _slots[fd] = (e.File, value);
    }

    /// <summary>Installs <paramref name="file"/> at the lowest free descriptor ≥ <paramref name="minimum"/> (takes over the caller's reference).</summary>
    public int Allocate(OpenFile file, bool closeOnExec, int minimum = 0)
    {
        for (int fd = minimum; fd < SoftLimit; fd++)
        {
            while (_slots.Count <= fd) _slots.Add(null);
            if (_slots[fd] == null)
            {
                _slots[fd] = (file, closeOnExec);
                Installed?.Invoke(fd, file);
                return fd;
            }
        }
        file.Release();
        return -(int)Errno.EMFILE;
    }

    /// <summary>Puts <paramref name="file"/> at <paramref name="fd"/>, closing what was there (dup2).</summary>
    public void Install(int fd, OpenFile file, bool closeOnExec)
    {
        while (_slots.Count <= fd) _slots.Add(null);
        var old = _slots[fd];
        _slots[fd] = (file, closeOnExec);
        old?.File.Release();
        Installed?.Invoke(fd, file);
    }

    /// <summary>Removes a descriptor; returns the description it referred to (already released), or null if not open.</summary>
    public OpenFile? Close(int fd)
    {
        var file = Get(fd);
        if (file == null) return null;
        _slots[fd] = null;
        file.Release();
        Closed?.Invoke(fd);
        return file;
    }

    public IEnumerable<int> OpenDescriptors
    {
        get
        {
            for (int fd = 0; fd < _slots.Count; fd++)
                if (_slots[fd] != null) yield return fd;
        }
    }

    public int Count => _slots.Count(s => s != null);

    /// <summary>A copy for fork: the same descriptions, one more reference each.</summary>
    public FdTable Clone()
    {
        var copy = new FdTable { SoftLimit = SoftLimit };
        foreach (var slot in _slots)
        {
            slot?.File.AddReference();
            copy._slots.Add(slot);
        }
        return copy;
    }

    public void CloseOnExecute()
    {
        for (int fd = 0; fd < _slots.Count; fd++)
            if (_slots[fd] is { CloseOnExec: true }) Close(fd);
    }

    public void CloseAll()
    {
        for (int fd = 0; fd < _slots.Count; fd++) Close(fd);
        _slots.Clear();
    }
}
