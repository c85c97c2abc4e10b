namespace Kml.Kernel.Processes;

/// <summary>
/// Processes sleeping until something changes (data in a pipe, a child exiting, a socket becoming readable).
/// A woken process re-executes its system call, which either completes or sleeps again, so a wake-up never
/// needs to say what happened.
/// </summary>
internal sealed class WaitQueue(string name)
{
    private readonly List<Process> _sleepers = [];

    public string Name { get; } = name;

    public bool HasSleepers => _sleepers.Count > 0;

    public void Add(Process process)
    {
        if (!_sleepers.Contains(process)) _sleepers.Add(process);
    }

    public void Remove(Process process) => _sleepers.Remove(process);

    /// <summary>Makes every sleeper runnable.</summary>
    public void WakeAll()
    {
        if (_sleepers.Count == 0) return;
        var woken = _sleepers.ToArray();
        _sleepers.Clear();
        foreach (var p in woken) p.Wake();
    }

    public override string ToString() => Name;
}
