using System.Buffers.Binary;
using System.Text;
using Kml.Machine.Protection;

namespace Kml.Machine.Tests.Support;

/// <summary>
/// A deliberately tiny Linux i386 personality for exercising the CPU on real static binaries (the real kernel is
/// Kml.Kernel): loads an ELF32 executable into the test machine, builds the initial stack (argv, envp, auxv), and
/// serves the handful of system calls a glibc-static busybox applet needs through the int 0x80 stub. Unknown calls
/// return -ENOSYS and are recorded.
/// </summary>
public sealed class MiniLinux
{
    public TestMachine Machine { get; }
    public StringBuilder Stdout { get; } = new();
    /// <summary>Everything written to fd 2.</summary>
    public StringBuilder Stderr { get; } = new();
    /// <summary>Everything written to fd 1, as bytes.</summary>
    public MemoryStream StdoutBytes { get; } = new();
    public List<int> UnknownSyscalls { get; } = new();
    public int? ExitCode { get; private set; }
    private readonly byte[] _stdin;
    private int _stdinPos;
    private uint _brk, _brkStart, _mmapNext = 0x4000_0000;

    public MiniLinux(string elfPath, string[] argv, byte[]? stdin = null)
    {
        _stdin = stdin ?? [];
        Machine = new TestMachine(256u << 20);
        var elf = File.ReadAllBytes(elfPath);
        if (BinaryPrimitives.ReadUInt32LittleEndian(elf) != 0x464C457F || elf[4] != 1) throw new InvalidDataException($"{elfPath}: not an ELF32 file");
        uint entry = U32(elf, 24), phoff = U32(elf, 28);
        int phnum = U16(elf, 44);
        uint phdrAddr = 0, end = 0;
        for (int i = 0; i < phnum; i++)
        {
            int p = (int)phoff + i * 32;
            if (U32(elf, p) != 1) continue; // PT_LOAD
            uint off = U32(elf, p + 4), va = U32(elf, p + 8), filesz = U32(elf, p + 16), memsz = U32(elf, p + 20);
            uint start = va & ~0xFFFu, stop = (va + memsz + 0xFFF) & ~0xFFFu;
            for (uint page = start; page < stop; page += 4096)
                if (!Machine.Cpu.TryTranslate(page, false, true, out _)) Machine.Map(page, Machine.AllocPhys(), TestMachine.UserRw);
            Machine.WriteLinear(va, elf.AsSpan((int)off, (int)filesz));
            if (off == 0) phdrAddr = va + phoff;
            end = Math.Max(end, stop);
        }
        _brk = _brkStart = end;
        // Stack: 1 MiB below UserStackTop.
        Machine.MapRange(TestMachine.UserStackTop - 0x10_0000, 0x10_0000, TestMachine.UserRw);
        uint sp = TestMachine.UserStackTop;
        uint PushBytes(byte[] b) { sp -= (uint)b.Length; Machine.WriteLinear(sp, b); return sp; }
        var argPtrs = argv.Select(a => PushBytes(Encoding.ASCII.GetBytes(a + "\0"))).ToList();
        var envPtrs = new[] { "PATH=/bin", "HOME=/" }.Select(e => PushBytes(Encoding.ASCII.GetBytes(e + "\0"))).ToList();
        uint random = PushBytes(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray());
        sp &= ~15u;
        var words = new List<uint> { (uint)argv.Length };
        words.AddRange(argPtrs); words.Add(0);
        words.AddRange(envPtrs); words.Add(0);
        uint[] aux = [3, phdrAddr, 4, 32, 5, (uint)phnum, 6, 4096, 9, entry, 11, 0, 12, 0, 13, 0, 14, 0, 16, 0x8919, 23, 0, 25, random, 0, 0];
        words.AddRange(aux);
        sp -= (uint)words.Count * 4;
        sp &= ~15u;
        var bytes = new byte[words.Count * 4];
        for (int i = 0; i < words.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), words[i]);
        Machine.WriteLinear(sp, bytes);
        Machine.EnterUser(entry, sp);
        Machine.Cpu.SetSegment(SegmentRegister.GS, 0);
    }

    private static uint U32(byte[] b, int o) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(o));
    private static int U16(byte[] b, int o) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(o));

    /// <summary>Runs until exit; returns the exit code.</summary>
    public int Run(ulong cycleBudget = 200_000_000_000)
    {
        var cpu = Machine.Cpu;
        while (true)
        {
            var r = cpu.Run(cycleBudget);
            if (r != StopReason.Hypercall) throw new InvalidOperationException($"stopped with {r}: {cpu.StopMessage} (EIP 0x{cpu.Eip:x8})");
            int vector = Machine.StoppedInStub();
            if (vector != 0x80)
            {
                uint eip = Machine.Read32(cpu.Esp + (vector is 8 or 10 or 11 or 12 or 13 or 14 or 17 ? 4u : 0u));
                throw new InvalidOperationException($"exception {vector} at EIP 0x{eip:x8} (CR2 0x{cpu.Cr2:x8})");
            }
            uint result = Syscall(cpu.Eax, cpu.Ebx, cpu.Ecx, cpu.Edx, cpu.Esi, cpu.Edi);
            if (ExitCode.HasValue) return ExitCode.Value;
            cpu.Eax = result;
        }
    }

    private void Output(uint fd, byte[] bytes)
    {
        if (fd == 1) StdoutBytes.Write(bytes);
        else Stderr.Append(Encoding.ASCII.GetString(bytes));
        if (Stdout.Length < 1 << 20) Stdout.Append(Encoding.ASCII.GetString(bytes));
    }

    private const uint ENOSYS = unchecked((uint)-38), ENOENT = unchecked((uint)-2), ENOTTY = unchecked((uint)-25), EBADF = unchecked((uint)-9);

    private uint Syscall(uint nr, uint b, uint c, uint d, uint si, uint di)
    {
        switch (nr)
        {
            case 1: case 252: ExitCode = (int)b; return 0;                   // exit, exit_group
            case 3:                                                           // read
                if (b != 0) return EBADF;
                int n = (int)Math.Min(d, (uint)(_stdin.Length - _stdinPos));
                Machine.WriteLinearUser(c, _stdin.AsSpan(_stdinPos, n));
                _stdinPos += n;
                return (uint)n;
            case 146 when b is not (1 or 2): return EBADF;
            case 4:                                                           // write
                if (b is not (1 or 2)) return EBADF;
                Output(b, Machine.ReadLinear(c, (int)d));
                return d;
            case 146:                                                         // writev
            {
                uint total = 0;
                for (uint i = 0; i < d; i++)
                {
                    uint iovBase = Machine.Read32(c + i * 8), iovLen = Machine.Read32(c + i * 8 + 4);
                    if (iovLen > 0) Output(b, Machine.ReadLinear(iovBase, (int)iovLen));
                    total += iovLen;
                }
                return total;
            }
            case 45:                                                          // brk
                if (b > _brk)
                {
                    for (uint page = (_brk + 0xFFF) & ~0xFFFu; page < b; page += 4096) Machine.Map(page, Machine.AllocPhys(), TestMachine.UserRw);
                    _brk = b;
                }
                else if (b >= _brkStart) _brk = b;
                return _brk;
            case 192:                                                         // mmap2 (anonymous only)
            {
                uint len = (c + 0xFFF) & ~0xFFFu;
                uint addr = _mmapNext;
                _mmapNext += len;
                Machine.MapRange(addr, len, TestMachine.UserRw);
                return addr;
            }
            case 91: return 0;                                                // munmap
            case 243:                                                         // set_thread_area
            {
                int entry = (int)Machine.Read32(b);
                uint baseAddr = Machine.Read32(b + 4), limit = Machine.Read32(b + 8), flags = Machine.Read32(b + 12);
                if (entry == -1) { entry = 12; Machine.WriteLinear(b, BitConverter.GetBytes(12)); }
                bool pages = (flags & 0x10) != 0;
                Machine.WriteGdt(entry, Descriptors.Segment(baseAddr, limit & 0xFFFFF, 0xF2, pages, big: true));
                return 0;
            }
            case 258: return 1;                                               // set_tid_address → tid
            case 125: case 311: case 172: return 0;                           // mprotect, set_robust_list, prctl
            case 6: return b <= 2 ? 0 : EBADF;                                // close
            case 191:                                                         // ugetrlimit: 8 MiB soft, unlimited hard
                Machine.WriteLinearUser(c, BitConverter.GetBytes(8u << 20).Concat(BitConverter.GetBytes(uint.MaxValue)).ToArray());
                return 0;
            case 355:                                                         // getrandom
            {
                var r = new byte[Math.Min(c, 256u)];
                new Random(1).NextBytes(r);
                Machine.WriteLinearUser(b, r);
                return (uint)r.Length;
            }
            case 265: case 403:                                               // clock_gettime(64): emulated time
            {
                ulong ns = (ulong)(Machine.Cpu.EmulatedSeconds * 1e9);
                var t = nr == 403
                    ? BitConverter.GetBytes(ns / 1_000_000_000).Concat(BitConverter.GetBytes(ns % 1_000_000_000)).ToArray()
                    : BitConverter.GetBytes((uint)(ns / 1_000_000_000)).Concat(BitConverter.GetBytes((uint)(ns % 1_000_000_000))).ToArray();
                Machine.WriteLinearUser(c, t);
                return 0;
            }
            case 20: case 224: return 1;                                      // getpid, gettid
            case 199: case 200: case 201: case 202: case 24: case 47: case 49: case 50: return 0; // get*id
            case 122:                                                         // uname
            {
                var u = new byte[390];
                void Put(int field, string s) => Encoding.ASCII.GetBytes(s).CopyTo(u, field * 65);
                Put(0, "Linux"); Put(1, "kml"); Put(2, "6.1.0"); Put(3, "#1"); Put(4, "i686");
                Machine.WriteLinearUser(b, u);
                return 0;
            }
            case 54: return ENOTTY;                                           // ioctl
            case 174: case 175: return 0;                                     // rt_sigaction, rt_sigprocmask
            case 85: case 5: case 295: case 33: case 195: case 196: case 197: case 300: return ENOENT; // readlink, open, openat, access, stat64...
            default:
                UnknownSyscalls.Add((int)nr);
                return ENOSYS;
        }
    }
}
