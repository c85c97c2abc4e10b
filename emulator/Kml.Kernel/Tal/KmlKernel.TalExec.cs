using Stopwatch = System.Diagnostics.Stopwatch;
using Kml.Kernel.Abi;
using Kml.Kernel.Memory;
using Kml.Kernel.Platform;
using Kml.Kernel.Processes;
using Kml.Kernel.Tal;
using Kml.Tal;

namespace Kml.Kernel;

// Loading and starting TAL programs (docs/tal.md, "What the kernel must guarantee"; docs/kernel.md, "TAL processes").
public sealed partial class KmlKernel
{
    /// <summary>Whether the file is a TAL object (an ELF with a .kml.tal section), which <see cref="Run(string, IReadOnlyList{string})"/> hands to the checker.</summary>
    public static bool IsTalProgram(byte[] image) => TalObjectFile.IsTalObject(image);

    /// <summary>True when the file at <paramref name="hostPath"/> is a TAL object (see <see cref="IsTalProgram(byte[])"/>).</summary>
    public static bool IsTalProgram(string hostPath)
    {
        using var f = File.OpenRead(hostPath);
        var bytes = new byte[Math.Min(f.Length, 64L << 20)];
        f.ReadExactly(bytes);
        return TalObjectFile.IsTalObject(bytes);
    }

    /// <summary>What happened to the TAL program of the last <see cref="RunTal"/> (null before).</summary>
    public TalRunReport? TalReport { get; private set; }

    /// <summary>The protection level of a TAL run: --protection if given, else 4 in kernel mode and 2 in user mode.</summary>
    public ProtectionLevel TalLevel => Options.Protection ?? (Options.Mode == ExecutionMode.Kernel ? ProtectionLevel.Four : ProtectionLevel.Two);

    /// <summary>
    /// Checks and runs a TAL program (the bytes of its object file) at <see cref="TalLevel"/>. At the verified levels
    /// (3 and 4, ring 0) a program the checker rejects never runs: its diagnostics go to stderr and the result is 1.
    /// In ring 3 (levels 1 and 2) a rejected program runs after the diagnostics, contained by the hardware; level 5
    /// (ring 0, unverified) runs it too, trusting it. <paramref name="arguments"/> is argv with argv[0] included (as
    /// <see cref="Run(string, IReadOnlyList{string})"/> takes it); the program sees the rest, UTF-8 encoded, through <c>argc</c> and <c>arg</c>.
    /// Returns the exit status as a shell reports it.
    /// </summary>
    public int RunTal(string name, byte[] bytes, IReadOnlyList<string>? arguments = null)
    {
        var watch = Stopwatch.StartNew();
        var level = TalLevel;
        bool ring0 = level.RunsInRing0;
        var program = TalProgram.Load(name, bytes);
        var report = new TalRunReport { Name = name, Accepted = program.Accepted, Diagnostics = [.. program.DiagnosticLines], Ring0 = ring0, Level = level.Number };
        TalReport = report;
        if (!program.Accepted)
        {
            Console.Out.Flush();
            foreach (var line in report.Diagnostics) Stderr.WriteMessage(line + "\n");
            if (level.Verified || program.Unloadable != null)
            {
                KernelMessage(program.Unloadable == null
                    ? $"{name}: rejected by the TAL checker ({report.Diagnostics.Count} error{(report.Diagnostics.Count == 1 ? "" : "s")}): not run at protection level {level.Number} (ring 0, verified)"
                    : $"{name}: cannot be loaded: {program.Unloadable}");
                return 1;
            }
            KernelMessage(ring0
                ? $"{name}: rejected by the TAL checker; running it in ring 0 anyway (protection level 5: unverified, trusted)"
                : $"{name}: rejected by the TAL checker; running it in ring 3 anyway (protection level {level.Number}: the hardware contains it)");
        }
        var p = CreateInitialProcess();
        if (p.Protection != level)
        {
            p.Protection = level;
            AttachRecoveryLog(p);
        }
        p.Name = Path.GetFileName(name) is { Length: > 15 } longName ? longName[..15] : Path.GetFileName(name);
        SwitchTo(p);
        ExecTal(p, program, name, [.. (arguments ?? []).Skip(1).Select(a => System.Text.Encoding.UTF8.GetBytes(a))]);
        p.Entry = EntryKind.Interrupt;
        MakeRunnable(p);
        report.Started = true;
        RunTimersAndSchedule();
        var tal = p.Tal!;
        report.End = tal.End == TalEnd.None && (p.ExitStatus & 0x7F) != 0 ? TalEnd.Killed : tal.End;
        foreach (var (entry, count) in tal.Calls) report.Calls[entry] = count;
        report.HeapObjects = tal.Heap.Objects.Count;
        report.HeapBytes = tal.Heap.BytesAllocated;
        if (tal.Monitor is { } monitor)
        {
            monitor.Finish();
            report.Violations.AddRange(monitor.Violations);
            report.MonitoredAccesses = monitor.Accesses;
            report.MonitoredTransfers = monitor.Transfers;
        }
        return FinishRun(p, watch);
    }

    /// <summary>
    /// Replaces <paramref name="p"/>'s image with a TAL program: exactly the checked segments at their addresses and
    /// flags (the import table filled, then read-only), the stack with its guard, an empty heap zone, in ring 3 the
    /// trampoline page. Page 0 is never mapped. In ring 0 every page the program may touch without a fault is
    /// mapped up front (segments and the whole stack), so the only faults a ring-0 program takes are the null page
    /// and the guard.
    /// </summary>
    private void ExecTal(Process p, TalProgram program, string path, IReadOnlyList<byte[]> arguments)
    {
        bool ring0 = p.RunsInRing0;
        if (program.Unloadable != null) throw new InvalidDataException($"{path}: {program.Unloadable}");
        var imports = program.Imports;
        if (ring0 && imports.Count > TalKernelStubs.MaxSlots)
            throw new NotSupportedException($"{path}: {imports.Count} imports; ring 0 supports at most {TalKernelStubs.MaxSlots} import slots");
        bool sysenter = Entry == SyscallEntry.Sysenter;
        uint trampolineBytes = ring0 ? 0 : TalTrampolines.Bytes(imports.Count);
        var plan = TalMemoryPlan.Create(
            program.Segments().Select(s => (s.Section.Address, s.Section.Address + (uint)s.Section.Bytes.Length)),
            Options.Tal.StackLimit, trampolineBytes);
        var tal = new TalProcess(program, ring0, plan, arguments);
        var space = NewAddressSpace();
        try
        {
            // The import table: slot k holds entry k's address. Everything else is the checked bytes themselves.
            var slots = new uint[imports.Count];
            for (int k = 0; k < slots.Length; k++)
                slots[k] = ring0 ? TalKernelStubs.Slot(k) : plan.TrampolineStart + (uint)(k * TalTrampolines.SlotSize);
            tal.SlotEntries = slots;
            if (ring0) EnsureTalStubs();
            foreach (var (name, section, writable, executable) in program.Segments())
            {
                byte[] contents = section.Bytes;
                if (name == ".kml.imports")
                {
                    contents = new byte[section.Bytes.Length];
                    for (int k = 0; k < slots.Length; k++)
                        BitConverter.TryWriteBytes(contents.AsSpan((int)(imports[k].SlotAddress - section.Address)), slots[k]);
                }
                AddTalArea(space, section.Address, contents, writable, executable, name);
            }
            if (!ring0)
            {
                AddTalArea(space, plan.TrampolineStart, TalTrampolines.Build(imports.Count, sysenter), false, true, "[tal trampolines]");
                if (sysenter) tal.SysexitLanding = plan.TrampolineStart + TalTrampolines.LandingOffset(imports.Count);
            }
            // The stack grows on faults (in ring 0 through the double-fault task) down to StackLowest, never into the guard.
            uint initial = Math.Min(ProgramLoader.InitialStackSize, plan.StackTop - plan.StackLowest);
            space.AddArea(new Vma
            {
                Start = plan.StackTop - initial, End = plan.StackTop,
                Protection = Mman.ProtRead | Mman.ProtWrite, Kind = VmaKind.Stack, Name = "[stack]",
            });
            space.StackLimit = plan.StackTop - plan.StackLowest;
            space.StackGuardGap = (uint)TalLayout.StackGuard;
            space.BrkStart = space.Brk = 0;
            // The entry stack page: [esp] is mapped when the program starts, as the checker assumes.
            if (space.HandleFault(plan.StackTop - AddressSpace.PageSize, write: true) != FaultResult.Handled)
                throw new OutOfMemoryException($"{path}: no physical memory for the program's stack (try a larger --memory)");
        }
        catch
        {
            space.Dispose();
            throw;
        }

        // The point of no return: the old image is gone.
        var old = p.Memory;
        p.Memory = space;
        ActivateAddressSpace(p);
        if (--old.Users == 0) old.Dispose();
        ReleaseVforkParent(p);
        p.Files.CloseOnExecute();
        for (int s = 1; s <= Sig.Max; s++) p.SignalActions[s] = default;
        // The interface promises -EPIPE for a closed peer, never a signal.
        p.SignalActions[Sig.PIPE] = new SignalAction { Handler = Sig.Ignore };
        p.AlternateStack = default;
        Array.Clear(p.TlsDescriptors);
        p.ClearChildTid = 0;
        p.RobustList = 0;
        p.Log?.ForgetWhere(entry => entry.Kind == ResourceKind.Memory);
        p.ExecutablePath = path;
        p.Tal = tal;
        // The program starts with nothing typed: esp inside the mapped top page of its stack, flat segments.
        p.Registers = InitialRegisters(p, program.Object!.Entry, plan.StackTop - 16);
        OnExec(p);
        if (Options.Tal.CycleLimit != 0) tal.CycleDeadline = Cpu.Cycles + Options.Tal.CycleLimit;
        if (Options.Tal.TimeLimit is { } limit) tal.HostDeadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        if (Options.Tal.Monitor) tal.Monitor = new TalMonitor(tal, Cpu, v => Options.Tal.OnViolation?.Invoke(v));
        Statistics.CountTransition($"TAL programs started (protection level {p.Protection.Number})");
    }

    private static void AddTalArea(AddressSpace space, uint address, byte[] contents, bool writable, bool executable, string name)
    {
        space.AddArea(new Vma
        {
            Start = address,
            End = AddressSpace.PageAlign(address + (uint)contents.Length),
            Protection = Mman.ProtRead | (writable ? Mman.ProtWrite : 0) | (executable ? Mman.ProtExec : 0),
            Kind = VmaKind.File,
            Source = new BytesPageSource(contents),
            SourceOffset = 0,
            SourceEnd = address + (uint)contents.Length,
            Name = name,
        });
    }

    private bool _talStubsWritten;

    /// <summary>Writes the ring-0 import stubs into kernel text (once): each jumps to the direct-call entry.</summary>
    private void EnsureTalStubs()
    {
        if (_talStubsWritten) return;
        PhysicalMemory.Write(TalKernelStubs.SlotsPhysical, TalKernelStubs.Build(StubsBase + Stubs.DirectCallEntry));
        _talStubsWritten = true;
    }

    /// <summary>
    /// execve of a TAL object (a shell running it): the process's protection level decides the ring. The program's
    /// arguments are argv after argv[0], the guest's bytes unchanged (kept one char per byte, as guest strings are).
    /// </summary>
    private long ExecTalImage(Process p, string path, byte[] bytes, IReadOnlyList<string> argv)
    {
        var program = TalProgram.Load(path, bytes);
        if (!program.Accepted)
        {
            foreach (var line in program.DiagnosticLines) KernelMessage(line);
            if (p.Protection.Verified || program.Unloadable != null) return Err(Errno.ENOEXEC);
        }
        try
        {
            ExecTal(p, program, path, [.. argv.Skip(1).Select(a => System.Text.Encoding.Latin1.GetBytes(a))]);
        }
        catch (InvalidDataException ex)
        {
            NoteExecFailure(ex.Message);
            return Err(Errno.ENOEXEC);
        }
        catch (OutOfMemoryException)
        {
            return Err(Errno.ENOMEM);
        }
        return Syscalls.SyscallResult.RegistersSet;
    }
}
