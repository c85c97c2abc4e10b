using Kml.Tal.Types;

namespace Kml.Tal.Interface;

/// <summary>
/// The typed kernel interface: every entry point a TAL program may call, with its type, and the records
/// the kernel writes into. Defined once here; the checker checks calls against it and the kernel
/// implements it. A call writes memory only into <c>u8[]</c> arrays and into the all-integer records below,
/// never into memory that holds pointers.
/// </summary>
public static class KernelInterface
{
    /// <summary>The record stat/fstat fill: integers only.</summary>
    public static readonly StructDef Stat = Record("kml.Stat",
        ("dev", ScalarKind.I32), ("ino", ScalarKind.I32), ("mode", ScalarKind.I32), ("nlink", ScalarKind.I32),
        ("uid", ScalarKind.I32), ("gid", ScalarKind.I32), ("rdev", ScalarKind.I32), ("size", ScalarKind.I64),
        ("blksize", ScalarKind.I32), ("blocks", ScalarKind.I32), ("atime", ScalarKind.I32), ("mtime", ScalarKind.I32),
        ("ctime", ScalarKind.I32));

    /// <summary>The record clock_gettime fills.</summary>
    public static readonly StructDef Timespec = Record("kml.Timespec", ("sec", ScalarKind.I32), ("nsec", ScalarKind.I32));

    /// <summary>The record llseek fills: the new 64-bit file position.</summary>
    public static readonly StructDef Offset = Record("kml.Offset", ("value", ScalarKind.I64));

    /// <summary>The kernel's records.</summary>
    public static readonly IReadOnlyList<StructDef> Records = [Stat, Timespec, Offset];

    private static readonly ValType Int = IntType.Instance;
    private static readonly ValType Bytes = new PtrType(new ArrayHeap(new ScalarField(ScalarKind.U8), false), false);
    private static readonly ValType ConstBytes = new PtrType(new ArrayHeap(new ScalarField(ScalarKind.U8), true), false);

    /// <summary>All entry points, by name.</summary>
    public static readonly IReadOnlyDictionary<string, ImportSignature> Entries = new[]
    {
        Sig("exit", [Int], null, "ends the process with the status; never returns", noReturn: true),
        Sig("panic", [Int, Int], null, "ends the process after a run-time error (kind: 1 index out of range, 2 null dereference, 3 division by zero, 4 overflow, 5 out of memory, 6 invalid cast, 7 assertion); the location is a program-defined code; never returns", noReturn: true),
        Sig("read", [Int, Bytes, Int, Int], Int, "read(fd, buf, offset, count): reads into buf[offset..offset+count); the kernel checks the descriptor and that offset+count is within the array (else -EFAULT)"),
        Sig("write", [Int, ConstBytes, Int, Int], Int, "write(fd, buf, offset, count): writes buf[offset..offset+count); same run-time checks as read"),
        Sig("open", [ConstBytes, Int, Int], Int, "open(path, flags, mode): the path is the whole byte array (no NUL terminator needed)"),
        Sig("close", [Int], Int, "close(fd)"),
        Sig("lseek", [Int, Int, Int], Int, "lseek(fd, offset, whence): a 32-bit position (-EOVERFLOW when the result does not fit; use llseek)"),
        Sig("llseek", [Int, Int, Int, Int, new PtrType(new StructHeap(Offset.Name), false)], Int, "llseek(fd, offsetLow, offsetHigh, whence, result): moves to a 64-bit position and stores it in the kml.Offset record; returns 0 or -errno"),
        Sig("ftruncate", [Int, Int, Int], Int, "ftruncate(fd, lengthLow, lengthHigh): sets the length of an open regular file (64-bit, from two ints)"),
        Sig("unlink", [ConstBytes], Int, "unlink(path): removes a file's name; the path is the whole byte array (a NUL inside gives -EINVAL)"),
        Sig("mkdir", [ConstBytes, Int], Int, "mkdir(path, mode): creates a directory"),
        Sig("rmdir", [ConstBytes], Int, "rmdir(path): removes an empty directory"),
        Sig("getdents", [Int, Bytes, Int, Int], Int, "getdents(fd, buf, offset, count): linux_dirent64 records into buf[offset..offset+count)"),
        Sig("stat", [ConstBytes, new PtrType(new StructHeap(Stat.Name), false)], Int, "stat(path, st): fills the kml.Stat record"),
        Sig("lstat", [ConstBytes, new PtrType(new StructHeap(Stat.Name), false)], Int, "lstat(path, st): like stat, but describes a symbolic link itself"),
        Sig("fstat", [Int, new PtrType(new StructHeap(Stat.Name), false)], Int, "fstat(fd, st): fills the kml.Stat record"),
        Sig("socket", [Int, Int, Int], Int, "socket(domain, type, protocol)"),
        Sig("bind", [Int, ConstBytes], Int, "bind(fd, sockaddr): the address is the whole byte array"),
        Sig("listen", [Int, Int], Int, "listen(fd, backlog)"),
        Sig("accept", [Int], Int, "accept(fd): returns the new descriptor"),
        Sig("connect", [Int, ConstBytes], Int, "connect(fd, sockaddr): the address is the whole byte array"),
        Sig("send", [Int, ConstBytes, Int, Int], Int, "send(fd, buf, offset, count): writes buf[offset..offset+count) to a socket; a closed peer gives -EPIPE, never a signal"),
        Sig("recv", [Int, Bytes, Int, Int], Int, "recv(fd, buf, offset, count): reads from a socket into buf[offset..offset+count)"),
        Sig("shutdown", [Int, Int], Int, "shutdown(fd, how)"),
        Sig("setsockopt", [Int, Int, Int, Int], Int, "setsockopt(fd, level, name, value): an integer option (SO_REUSEADDR, SO_KEEPALIVE, TCP_NODELAY ...)"),
        Sig("getsockname", [Int, Bytes], Int, "getsockname(fd, sockaddr): writes the local address into the byte array (at most its length); returns the address's full length"),
        Sig("getpid", [], Int, "getpid()"),
        Sig("argc", [], Int, "argc(): the number of the program's arguments, not counting its name (C#'s args.Length)"),
        Sig("arg", [Int, Bytes, Int, Int], Int, "arg(i, buf, offset, count): copies the first count bytes of argument i's UTF-8 bytes (at most its length) into buf[offset..offset+count) and returns the argument's full length in bytes; -EINVAL unless 0 <= i < argc(), the range checks of read (-EFAULT)"),
        Sig("clock_gettime", [Int, new PtrType(new StructHeap(Timespec.Name), false)], Int, "clock_gettime(clock, ts): fills the kml.Timespec record"),
        new ImportSignature("alloc", [], null, false, ImportGeneric.Alloc, "alloc<S>(): a fresh zeroed object of struct S (S must be all integers and nullable pointers); out of memory ends the process"),
        new ImportSignature("alloc_array", [Int], null, false, ImportGeneric.AllocArray, "alloc_array<E>(count): a fresh zeroed array; the kernel ends the process (panic 5) unless 0 <= count and 4 + count * sizeof(E) <= 2^30"),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Whether a code label or data object name claims a kernel entry point's name.</summary>
    public static bool IsReservedName(string name) =>
        Entries.ContainsKey(name) || name.StartsWith("kml.", StringComparison.Ordinal);

    private static ImportSignature Sig(string name, ValType[] parameters, ValType? result, string summary, bool noReturn = false) =>
        new(name, parameters, result, noReturn, ImportGeneric.None, summary);

    private static StructDef Record(string name, params (string Name, ScalarKind Kind)[] fields)
    {
        var list = new List<FieldDef>();
        var offset = 0;
        foreach (var (n, k) in fields)
        {
            list.Add(new FieldDef(n, offset, new ScalarField(k), true));
            offset += k.Size();
        }
        return new StructDef(name, offset, list);
    }
}
