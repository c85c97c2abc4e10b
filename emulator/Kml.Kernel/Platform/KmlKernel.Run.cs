using Stopwatch = System.Diagnostics.Stopwatch;
using System.Text;
using Kml.Kernel.Elf;
using Kml.Kernel.Platform;
using Kml.Kernel.Processes;
using Kml.Kernel.Vfs;

namespace Kml.Kernel;

public sealed partial class KmlKernel
{
    /// <summary>
    /// Runs the static i386 program at <paramref name="hostPath"/> with the given argv (argv[0] included) and returns
    /// its exit status as a shell reports it (128 + N when killed by signal N).
    /// Bad input (not an ELF, a hostile ELF, a dynamic binary) throws <see cref="InvalidDataException"/>.
    /// </summary>
    public int Run(string hostPath, IReadOnlyList<string> arguments)
    {
        if (!File.Exists(hostPath)) throw new FileNotFoundException($"{hostPath}: no such file");
        return Run(hostPath, File.ReadAllBytes(hostPath), arguments);
    }

    /// <summary>
    /// <see cref="Run(string, IReadOnlyList{string})"/> for a caller that has already read the file: <paramref name="bytes"/>
    /// are its contents (a 2 MB busybox is then read once per run instead of three times).
    /// </summary>
    public int Run(string hostPath, byte[] bytes, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        // A TAL object (it has a .kml.tal section) goes to the checker first (Tal/KmlKernel.TalExec.cs).
        if (Tal.TalObjectFile.IsTalObject(bytes)) return RunTal(hostPath, bytes, arguments);
        if (Level.Verified)
            throw new InvalidDataException(
                $"{hostPath}: protection level {Level.Number} runs TAL binaries only (the checker verifies them first); this is a plain ELF executable (use --protection 5 to run it in ring 0 unverified)");
        var watch = Stopwatch.StartNew();
        // Validate first, so a bad binary is reported with the name the user typed.
        _ = ElfImage.Parse(hostPath, bytes);
        string guestPath = InstallExecutable(hostPath);
        var p = CreateInitialProcess();
        p.Name = Path.GetFileName(guestPath);
        // Linux hands a program its arguments as UTF-8 bytes; guest strings are kept one char per byte.
        var argv = arguments.Count > 0 ? [.. arguments.Select(a => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(a)))] : new List<string> { hostPath };
        var env = (Options.Environment ?? HostEnvironment()).ToList();
        long r = ExecInitial(p, guestPath, argv, env);
        if (r < 0) throw new InvalidDataException($"{hostPath}: cannot start the program (errno {-r})");
        RunTimersAndSchedule();
        return FinishRun(p, watch);
    }

    /// <summary>Fills the statistics at the end of a run and returns the first process's status as a shell reports it.</summary>
    private int FinishRun(Process p, Stopwatch watch)
    {
        watch.Stop();
        Statistics.HostTime = watch.Elapsed;
        Statistics.HostTimeInCpu = TimeSpan.FromSeconds(_hostTicksInCpu / (double)System.Diagnostics.Stopwatch.Frequency);
        var cpu = Cpu;
        Statistics.ProtectionLevel = p.Protection.ToString();
        Statistics.SyscallEntry = Entry switch { SyscallEntry.Int80 => "int 0x80", SyscallEntry.Sysenter => "sysenter", _ => "call (KML)" };
        Statistics.CycleModel = $"{cpu.CycleModel.Name} at {cpu.CycleModel.ClockHz / 1e9:0.0#} GHz";
        Statistics.Instructions = cpu.Statistics.InstructionsRetired;
        Statistics.Cycles = cpu.Cycles;
        Statistics.PeakPages = Pages.PeakUsed;
        Statistics.Publish();
        Statistics.CountTransition("iret", cpu.Statistics.Irets);
        Statistics.CountTransition("sysexit", cpu.Statistics.Sysexits);
        Statistics.CountTransition("CR3 writes", cpu.Statistics.Cr3Writes);
        Statistics.CountTransition("task switches", cpu.Statistics.TaskSwitches);
        Statistics.CountTransition("same-privilege interrupts and exceptions", cpu.Statistics.SoftwareInterrupts + cpu.Statistics.ExternalInterrupts + cpu.Statistics.Exceptions - cpu.Statistics.PrivilegeChangingDeliveries);
        for (int v = 0; v < 32; v++)
            if (cpu.Statistics.ExceptionsByVector[v] > 0) Statistics.CountTransition($"CPU: exception {v} raised", cpu.Statistics.ExceptionsByVector[v]);
        Statistics.CountTransition("CPU: decoded blocks built", cpu.Statistics.BlocksBuilt);
        Statistics.CountTransition("CPU: decoded blocks invalidated", cpu.Statistics.BlocksInvalidated);
        Statistics.CountTransition("CPU: blocks translated", cpu.Statistics.BlocksTranslated);
        Statistics.CountTransition("CPU: instructions native code left to their handler", cpu.Statistics.NativeHandlerRuns);
        Statistics.CountTransition("CPU: TLB misses", cpu.Statistics.TlbMisses);
        Statistics.CountTransition("CPU: TLB flushes", cpu.Statistics.TlbFlushes);
        Statistics.CountTransition("CPU: TLB page invalidations", cpu.Statistics.TlbPageInvalidations);
        int status = p.ExitStatus;
        return (status & 0x7F) != 0 ? 128 + (status & 0x7F) : (status >> 8) & 0xFF;
    }

    private long ExecInitial(Process p, string guestPath, List<string> argv, List<string> env)
    {
        SwitchTo(p);
        long r = ExecCore(p, guestPath, argv, env, depth: 0);
        if (r != Syscalls.SyscallResult.RegistersSet) return r;
        p.Entry = EntryKind.Interrupt;
        MakeRunnable(p);
        return 0;
    }

    private void RunTimersAndSchedule()
    {
        Schedule();
        // Whatever the first process left behind ends with the run.
        foreach (var q in ProcessTable.Values.ToList())
            if (q != InitialProcess && q.State is ProcessState.Runnable or ProcessState.Sleeping) ExitProcess(q, Abi.Sig.KILL);
    }

    /// <summary>
    /// Makes the program visible in the guest so a shell can run it again (busybox re-executes /proc/self/exe):
    /// its own path if it lies inside --root, else a hidden /bin/NAME.
    /// </summary>
    private string InstallExecutable(string hostPath)
    {
        string full = Path.GetFullPath(hostPath);
        if (Options.RootDirectory != null)
        {
            string root = Path.GetFullPath(Options.RootDirectory).TrimEnd('/') + "/";
            if (full.StartsWith(root, StringComparison.Ordinal))
            {
                string guest = "/" + HostTreeImporter.GuestName(full[root.Length..]);
                if (Fs.Resolve(Fs.RootContext(), null, guest, true, out var node) == Abi.Errno.None && node is RegularFile f)
                {
                    RegisterExecutable(f, guest);
                    return guest;
                }
            }
        }
        string name = HostTreeImporter.GuestName(Path.GetFileName(full));
        var bin = KernelFiles.HiddenDirectory(Fs, Fs.Root, "bin");
        if (bin.Lookup(name) is RegularFile existing)
        {
            RegisterExecutable(existing, "/bin/" + name);
            return "/bin/" + name;
        }
        var info = new FileInfo(full);
        var file = new RegularFile(Fs, 0x1ED) { Uid = HostUid, Gid = HostGid };
        var source = new HostFileSource(full, info.Length);
        TrackResource(source);
        file.SetSource(source);
        bin.AddHidden(name, file);
        RegisterExecutable(file, "/bin/" + name);
        return "/bin/" + name;
    }

    /// <summary>The host's environment in its own order (/proc/self/environ on Linux).</summary>
    private static IEnumerable<string> HostEnvironment()
    {
        try
        {
            var bytes = File.ReadAllBytes("/proc/self/environ");
            return Encoding.UTF8.GetString(bytes).Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(HostTreeImporter.GuestName);
        }
        catch (IOException)
        {
            return System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Select(e => HostTreeImporter.GuestName($"{e.Key}={e.Value}"));
        }
    }
}
