using System.Runtime.InteropServices;

namespace Kml.Machine.Translation.Native;

/// <summary>
/// One process-wide arena of readable, writable and executable memory (Linux x86-64 <c>mmap</c>) that native
/// translations are copied into. Allocation is a bump pointer (thread-safe: CPUs in different threads translate at
/// once); nothing is freed, because a block's code may still be reached through a stale link until its validity flag
/// is read, and find's whole working set is ≈ 2 MB. When the arena is full, native translation stops (the CPU goes on
/// with the IL translator or the interpreter).
/// </summary>
internal static unsafe partial class ExecutableMemory
{
    private const long ArenaSize = 256L << 20;
    private static byte* _base;
    private static long _used;
    private static readonly object Gate = new();
    private static bool _initialised, _available;

    /// <summary>True when this process can generate and run x86-64 code (Linux on x64, and the mapping succeeded).</summary>
    public static bool Available
    {
        get
        {
            if (!_initialised) Initialise();
            return _available;
        }
    }

    private static void Initialise()
    {
        lock (Gate)
        {
            if (_initialised) return;
            if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
            {
                // PROT_READ|WRITE|EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE: address space only, pages committed on use.
                nint p = Mmap(0, (nint)ArenaSize, 7, 0x02 | 0x20 | 0x4000, -1, 0);
                if (p != -1 && p != 0) { _base = (byte*)p; _available = true; }
            }
            _initialised = true;
        }
    }

    /// <summary>Copies <paramref name="code"/> into the arena (16-byte aligned) and returns its address, or null when full.</summary>
    public static byte* Place(ReadOnlySpan<byte> code)
    {
        if (!Available) return null;
        long size = (code.Length + 15) & ~15L;
        long end = Interlocked.Add(ref _used, size);
        if (end > ArenaSize) return null;
        byte* at = _base + (end - size);
        code.CopyTo(new Span<byte>(at, code.Length));
        return at;
    }

    /// <summary>Bytes of code placed so far (statistics).</summary>
    public static long Used => Math.Min(Volatile.Read(ref _used), ArenaSize);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = false)]
    private static partial nint Mmap(nint addr, nint length, int prot, int flags, int fd, nint offset);
}
