// The TAL side of the Kml runtime (compiled with every program by the KML compiler, never by the C# build of
// this project). KernelCalls is the only primitive: the compiler turns each call into a call through the import
// slot of the named kernel entry point (docs/tal.md, "The typed kernel interface"); the bodies are never compiled.
namespace Kml;

/// <summary>The typed kernel interface, one method per entry point (see Kml.Compiler's Intrinsics.KernelCalls).</summary>
internal static class KernelCalls
{
    public static void Exit(int status) { }
    public static int Read(int fd, byte[] buffer, int offset, int count) { return 0; }
    public static int Write(int fd, byte[] buffer, int offset, int count) { return 0; }
    public static int Open(byte[] path, int flags, int mode) { return 0; }
    public static int Close(int fd) { return 0; }
    public static int Seek(int fd, int offset, int whence) { return 0; }
    public static int Seek64(int fd, int offsetLow, int offsetHigh, int whence, KernelOffset result) { return 0; }
    public static int Truncate(int fd, int lengthLow, int lengthHigh) { return 0; }
    public static int Unlink(byte[] path) { return 0; }
    public static int MakeDirectory(byte[] path, int mode) { return 0; }
    public static int RemoveDirectory(byte[] path) { return 0; }
    public static int ReadDirectory(int fd, byte[] buffer, int offset, int count) { return 0; }
    public static int Stat(byte[] path, KernelStat status) { return 0; }
    public static int StatDescriptor(int fd, KernelStat status) { return 0; }
    public static int LinkStat(byte[] path, KernelStat status) { return 0; }
    public static int Socket(int domain, int type, int protocol) { return 0; }
    public static int Bind(int fd, byte[] address) { return 0; }
    public static int Listen(int fd, int backlog) { return 0; }
    public static int Accept(int fd) { return 0; }
    public static int Connect(int fd, byte[] address) { return 0; }
    public static int Send(int fd, byte[] buffer, int offset, int count) { return 0; }
    public static int Receive(int fd, byte[] buffer, int offset, int count) { return 0; }
    public static int Shutdown(int fd, int how) { return 0; }
    public static int SetSocketOption(int fd, int level, int name, int value) { return 0; }
    public static int GetSocketName(int fd, byte[] address) { return 0; }
    public static int ProcessId() { return 0; }
    public static int ArgumentCount() { return 0; }
    public static int Argument(int index, byte[] buffer, int offset, int count) { return 0; }
    public static int ClockGetTime(int clock, KernelTimespec time) { return 0; }
}

/// <summary>The kernel's stat record (kml.Stat): the compiler lays it out exactly as the kernel interface's record.</summary>
internal sealed class KernelStat
{
    public int Dev;
    public int Ino;
    public int Mode;
    public int Nlink;
    public int Uid;
    public int Gid;
    public int Rdev;
    public long Size;
    public int Blksize;
    public int Blocks;
    public int Atime;
    public int Mtime;
    public int Ctime;
}

/// <summary>The kernel's timespec record (kml.Timespec).</summary>
internal sealed class KernelTimespec
{
    public int Sec;
    public int Nsec;
}

/// <summary>The kernel's 64-bit file position record (kml.Offset), filled by llseek.</summary>
internal sealed class KernelOffset
{
    public long Value;
}
