using System.Text;
using Kml.Kernel.Abi;
using Kml.Kernel.Elf;
using Kml.Kernel.Memory;

namespace Kml.Kernel.Processes;

/// <summary>What the loader tells the new program about itself and the machine (the auxiliary vector's inputs).</summary>
internal sealed record ProgramEnvironment
{
    public required IReadOnlyList<string> Arguments { get; init; }
    public required IReadOnlyList<string> Environment { get; init; }

    /// <summary>AT_EXECFN: the path execve was given.</summary>
    public required string ExecutableName { get; init; }

    public int Uid { get; init; }
    public int Euid { get; init; }
    public int Gid { get; init; }
    public int Egid { get; init; }

    /// <summary>AT_SYSINFO: the address of __kernel_vsyscall in the vDSO (0: none).</summary>
    public uint SysinfoAddress { get; init; }

    /// <summary>The vDSO page's address and its physical frame (mapped read/execute in every process).</summary>
    public uint VdsoAddress { get; init; }
    public uint VdsoFrame { get; init; }

    /// <summary>AT_HWCAP: the CPUID.1:EDX feature bits the CPU reports.</summary>
    public uint HardwareCapabilities { get; init; }

    /// <summary>The 16 bytes AT_RANDOM points at.</summary>
    public required byte[] RandomBytes { get; init; }

    /// <summary>RLIMIT_STACK.</summary>
    public uint StackLimit { get; init; } = 8 << 20;
}

/// <summary>The entry state of a freshly loaded program.</summary>
internal readonly record struct LoadedProgram(uint Entry, uint StackPointer, uint BrkStart);

/// <summary>
/// Loads a validated static ELF into an empty address space: one lazily-filled area per PT_LOAD segment, the brk
/// heap after the highest one, the vDSO page, and the initial stack with argc, argv, envp and the auxiliary vector
/// laid out as Linux's create_elf_tables does.
/// </summary>
internal static class ProgramLoader
{
    /// <summary>The top of the user stack (the stack grows down from here).</summary>
    public const uint StackTop = 0xC0000000;

    /// <summary>Initial size of the stack area (it grows on faults, up to RLIMIT_STACK).</summary>
    public const uint InitialStackSize = 128 * 1024;

    /// <summary>Linux's limit on argument and environment strings (a quarter of the 8 MiB stack limit, at most).</summary>
    public const int MaxArgumentBytes = 2 << 20;

    public const uint PageSize = 4096;

    public static LoadedProgram Load(AddressSpace space, ElfImage image, ProgramEnvironment env)
    {
        var source = new BytesPageSource(image.Bytes);
        foreach (var seg in image.Segments)
        {
            if (seg.MemorySize == 0) continue;
            int prot = (seg.Readable ? Mman.ProtRead : 0) | (seg.Writable ? Mman.ProtWrite : 0) | (seg.Executable ? Mman.ProtExec : 0);
            space.AddArea(new Vma
            {
                Start = seg.PageStart,
                End = seg.PageEnd,
                Protection = prot,
                Kind = VmaKind.File,
                Source = source,
                SourceOffset = seg.FileOffset - (seg.VirtualAddress - seg.PageStart),
                SourceEnd = seg.VirtualAddress + seg.FileSize,
                Name = image.FileName,
            });
        }
        uint brk = AddressSpace.PageAlign(image.HighestAddress);
        space.BrkStart = space.Brk = brk;
        space.StackLimit = env.StackLimit;

        if (env.VdsoAddress != 0)
        {
            space.AddArea(new Vma
            {
                Start = env.VdsoAddress, End = env.VdsoAddress + PageSize, Protection = Mman.ProtRead | Mman.ProtExec,
                Kind = VmaKind.Vdso, Name = "[vdso]",
            });
            space.MapPage(env.VdsoAddress, env.VdsoFrame, writable: false);
        }

        space.AddArea(new Vma
        {
            Start = StackTop - InitialStackSize, End = StackTop, Protection = Mman.ProtRead | Mman.ProtWrite,
            Kind = VmaKind.Stack, Name = "[stack]",
        });
        uint sp = BuildStack(space, image, env);
        return new LoadedProgram(image.Entry, sp, brk);
    }

    /// <summary>
    /// Writes the initial stack and returns the stack pointer (pointing at argc, 16-byte aligned). From the top down:
    /// the executable name, the environment and argument strings, "i686", 16 random bytes, then (aligned) the
    /// auxiliary vector, envp, argv and argc.
    /// </summary>
    public static uint BuildStack(AddressSpace space, ElfImage image, ProgramEnvironment env)
    {
        var latin1 = Encoding.Latin1;
        int stringBytes = 0;
        for (int i = 0; i < env.Arguments.Count; i++) stringBytes += env.Arguments[i].Length + 1;
        for (int i = 0; i < env.Environment.Count; i++) stringBytes += env.Environment[i].Length + 1;
        if (stringBytes > MaxArgumentBytes) throw new ArgumentException("E2BIG");

        uint p = StackTop - 4;   // Linux leaves a NULL word at the very top
        uint Push(byte[] bytes)
        {
            p -= (uint)bytes.Length;
            if (!space.CopyToUser(p, bytes)) throw new InvalidOperationException("the initial stack is not writable");
            return p;
        }
        byte[] Z(string s) => latin1.GetBytes(s + "\0");

        uint execfn = Push(Z(env.ExecutableName));
        var envAddresses = new uint[env.Environment.Count];
        for (int i = env.Environment.Count - 1; i >= 0; i--) envAddresses[i] = Push(Z(env.Environment[i]));
        var argAddresses = new uint[env.Arguments.Count];
        for (int i = env.Arguments.Count - 1; i >= 0; i--) argAddresses[i] = Push(Z(env.Arguments[i]));
        uint platform = Push(Z("i686"));
        p &= ~15u;
        uint random = Push(env.RandomBytes);

        // (type, value) pairs, flattened into a uint[]: a List of tuples would be JIT-compiled at every start.
        uint[] aux =
        [
            AuxType.SysInfo, env.SysinfoAddress,
            AuxType.SysInfoEhdr, env.VdsoAddress,
            AuxType.HwCap, env.HardwareCapabilities,
            AuxType.PageSize, PageSize,
            AuxType.ClkTck, 100,
            AuxType.Phdr, image.ProgramHeaderAddress,
            AuxType.Phent, (uint)image.ProgramHeaderEntrySize,
            AuxType.Phnum, (uint)image.ProgramHeaderCount,
            AuxType.Base, 0,
            AuxType.Flags, 0,
            AuxType.Entry, image.Entry,
            AuxType.Uid, (uint)env.Uid,
            AuxType.Euid, (uint)env.Euid,
            AuxType.Gid, (uint)env.Gid,
            AuxType.Egid, (uint)env.Egid,
            AuxType.Secure, 0,
            AuxType.Random, random,
            AuxType.HwCap2, 0,
            AuxType.ExecFn, execfn,
            AuxType.Platform, platform,
            AuxType.Null, 0,
        ];
        // No vDSO (ring-0 TAL layouts): drop AT_SYSINFO_EHDR (pair 1); no vsyscall entry: drop AT_SYSINFO (pair 0).
        int auxFirst = env.SysinfoAddress == 0 ? 1 : 0;
        bool skipEhdr = env.VdsoAddress == 0;
        int auxCount = aux.Length / 2 - auxFirst - (skipEhdr ? 1 : 0);

        int words = 1 + argAddresses.Length + 1 + envAddresses.Length + 1 + auxCount * 2;
        p -= (uint)words * 4;
        p &= ~15u;
        uint sp = p;
        var table = new byte[words * 4];
        int w = 0;
        void Word(uint v)
        {
            BitConverter.TryWriteBytes(table.AsSpan(w * 4), v);
            w++;
        }
        Word((uint)argAddresses.Length);
        foreach (uint a in argAddresses) Word(a);
        Word(0);
        foreach (uint e in envAddresses) Word(e);
        Word(0);
        for (int i = auxFirst; i < aux.Length / 2; i++)
        {
            if (i == 1 && skipEhdr) continue;
            Word(aux[2 * i]);
            Word(aux[2 * i + 1]);
        }
        if (!space.CopyToUser(sp, table)) throw new InvalidOperationException("the initial stack is not writable");
        return sp;
    }
}
