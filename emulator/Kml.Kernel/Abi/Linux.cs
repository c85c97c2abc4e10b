namespace Kml.Kernel.Abi;

// Constants of the Linux i386 ABI, as the kernel headers define them (asm/*.h, linux/*.h).
// Grouped by the system call family that uses them; the values are the i386 ones.

/// <summary>open(2) flags.</summary>
internal static class OpenFlags
{
    public const int AccessMode = 3, ReadOnly = 0, WriteOnly = 1, ReadWrite = 2;
    public const int Create = 0x40, Exclusive = 0x80, NoCtty = 0x100, Truncate = 0x200, Append = 0x400;
    public const int NonBlock = 0x800, DSync = 0x1000, Async = 0x2000, Direct = 0x4000, LargeFile = 0x8000;
    public const int Directory = 0x10000, NoFollow = 0x20000, NoAtime = 0x40000, CloseOnExec = 0x80000, Path = 0x200000;
    /// <summary>Flags F_SETFL may change.</summary>
    public const int Settable = Append | NonBlock | Async | Direct | NoAtime;
}

/// <summary>st_mode bits.</summary>
internal static class StMode
{
    public const int TypeMask = 0xF000;
    public const int Socket = 0xC000, Symlink = 0xA000, Regular = 0x8000, Block = 0x6000, Directory = 0x4000, Char = 0x2000, Fifo = 0x1000;
    public const int SetUid = 0x800, SetGid = 0x400, Sticky = 0x200, PermissionMask = 0xFFF;
}

/// <summary>*at(2) flags and the special descriptor.</summary>
internal static class At
{
    public const int FdCwd = -100;
    public const int SymlinkNoFollow = 0x100, RemoveDir = 0x200, EAccess = 0x200, SymlinkFollow = 0x400, NoAutomount = 0x800, EmptyPath = 0x1000;
}

/// <summary>mmap(2) protections and flags.</summary>
internal static class Mman
{
    public const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, ProtGrowsDown = 0x01000000;
    public const int Shared = 1, Private = 2, SharedValidate = 3, TypeMask = 0xF, Fixed = 0x10, Anonymous = 0x20;
    public const int GrowsDown = 0x100, DenyWrite = 0x800, Executable = 0x1000, Locked = 0x2000, NoReserve = 0x4000;
    public const int Populate = 0x8000, NonBlock = 0x10000, Stack = 0x20000, HugeTlb = 0x40000, FixedNoReplace = 0x100000;
}

/// <summary>Signal numbers and sigaction flags.</summary>
internal static class Sig
{
    public const int HUP = 1, INT = 2, QUIT = 3, ILL = 4, TRAP = 5, ABRT = 6, BUS = 7, FPE = 8, KILL = 9, USR1 = 10;
    public const int SEGV = 11, USR2 = 12, PIPE = 13, ALRM = 14, TERM = 15, STKFLT = 16, CHLD = 17, CONT = 18, STOP = 19;
    public const int TSTP = 20, TTIN = 21, TTOU = 22, URG = 23, XCPU = 24, XFSZ = 25, VTALRM = 26, PROF = 27, WINCH = 28;
    public const int IO = 29, PWR = 30, SYS = 31, RtMin = 32, Max = 64;

    public const uint SaNoCldStop = 1, SaNoCldWait = 2, SaSigInfo = 4, SaRestorer = 0x04000000, SaOnStack = 0x08000000;
    public const uint SaRestart = 0x10000000, SaNoDefer = 0x40000000, SaResetHand = 0x80000000;
    public const uint Default = 0, Ignore = 1;
    public const int Block = 0, Unblock = 1, SetMask = 2;

    /// <summary>The bit of signal <paramref name="signal"/> in a 64-bit signal set.</summary>
    public static ulong Bit(int signal) => 1UL << (signal - 1);

    /// <summary>Signals that can be neither caught, blocked nor ignored.</summary>
    public static readonly ulong Unblockable = Bit(KILL) | Bit(STOP);
}

/// <summary>si_code values.</summary>
internal static class SigCode
{
    public const int User = 0, Kernel = 0x80, TKill = -6;
    public const int CldExited = 1, CldKilled = 2, CldDumped = 3;
    public const int SegvMapErr = 1, SegvAccErr = 2;
    public const int IllIllOpc = 1, FpeIntDiv = 1, FpeFltInv = 7, BusAdrErr = 2, TrapBrkpt = 1;
}

/// <summary>Auxiliary vector entry types.</summary>
internal static class AuxType
{
    public const uint Null = 0, Phdr = 3, Phent = 4, Phnum = 5, PageSize = 6, Base = 7, Flags = 8, Entry = 9;
    public const uint Uid = 11, Euid = 12, Gid = 13, Egid = 14, Platform = 15, HwCap = 16, ClkTck = 17;
    public const uint Secure = 23, Random = 25, HwCap2 = 26, ExecFn = 31, SysInfo = 32, SysInfoEhdr = 33, MinSigStkSz = 51;
}

/// <summary>fcntl(2) commands.</summary>
internal static class Fcntl
{
    public const int DupFd = 0, GetFd = 1, SetFd = 2, GetFl = 3, SetFl = 4, GetLk = 5, SetLk = 6, SetLkW = 7;
    public const int SetOwn = 8, GetOwn = 9, GetLk64 = 12, SetLk64 = 13, SetLkW64 = 14, DupFdCloExec = 1030;
    public const int SetPipeSize = 1031, GetPipeSize = 1032;
    public const int FdCloExec = 1;
    public const short ReadLock = 0, WriteLock = 1, Unlock = 2;
}

/// <summary>ioctl(2) requests.</summary>
internal static class Ioctl
{
    public const uint TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCSCTTY = 0x540E;
    public const uint TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
    public const uint FIONREAD = 0x541B, FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451;
}

/// <summary>clone(2) flags.</summary>
internal static class CloneFlags
{
    public const uint SignalMask = 0xFF, Vm = 0x100, Fs = 0x200, Files = 0x400, SigHand = 0x800, PidFd = 0x1000;
    public const uint Ptrace = 0x2000, VFork = 0x4000, Parent = 0x8000, Thread = 0x10000, NewNs = 0x20000, SysVSem = 0x40000;
    public const uint SetTls = 0x80000, ParentSetTid = 0x100000, ChildClearTid = 0x200000, Detached = 0x400000;
    public const uint Untraced = 0x800000, ChildSetTid = 0x01000000;
}

/// <summary>wait4(2) options.</summary>
internal static class WaitOptions
{
    public const int NoHang = 1, Untraced = 2, Exited = 4, Continued = 8, NoWait = 0x01000000, All = 0x40000000, Clone = unchecked((int)0x80000000);
}

/// <summary>poll(2) events.</summary>
internal static class PollEvents
{
    public const short In = 1, Pri = 2, Out = 4, Err = 8, Hup = 0x10, Nval = 0x20, RdNorm = 0x40, RdBand = 0x80, WrNorm = 0x100, RdHup = 0x2000;
}

/// <summary>Socket constants.</summary>
internal static class SocketAbi
{
    public const int AfUnix = 1, AfInet = 2, AfInet6 = 10;
    public const int Stream = 1, Datagram = 2, TypeMask = 0xF, NonBlock = 0x800, CloseOnExec = 0x80000;
    public const int SolSocket = 1, IpProtoTcp = 6, IpProtoIp = 0;
    public const int SoReuseAddr = 2, SoType = 3, SoError = 4, SoBroadcast = 6, SoSndBuf = 7, SoRcvBuf = 8, SoKeepAlive = 9;
    public const int SoLinger = 13, SoReusePort = 15, SoRcvTimeo = 20, SoSndTimeo = 21, SoAcceptConn = 30;
    public const int TcpNoDelay = 1;
    public const int MsgOob = 1, MsgPeek = 2, MsgDontRoute = 4, MsgDontWait = 0x40, MsgWaitAll = 0x100, MsgNoSignal = 0x4000;
    public const int ShutRead = 0, ShutWrite = 1, ShutBoth = 2;
}

/// <summary>socketcall(2) sub-call numbers.</summary>
internal static class SocketCallNumber
{
    public const int Socket = 1, Bind = 2, Connect = 3, Listen = 4, Accept = 5, GetSockName = 6, GetPeerName = 7;
    public const int SocketPair = 8, Send = 9, Recv = 10, SendTo = 11, RecvFrom = 12, Shutdown = 13, SetSockOpt = 14;
    public const int GetSockOpt = 15, SendMsg = 16, RecvMsg = 17, Accept4 = 18, RecvMMsg = 19, SendMMsg = 20;
}

/// <summary>clock ids.</summary>
internal static class ClockId
{
    public const int Realtime = 0, Monotonic = 1, ProcessCpuTime = 2, ThreadCpuTime = 3, MonotonicRaw = 4;
    public const int RealtimeCoarse = 5, MonotonicCoarse = 6, BootTime = 7;

    /// <summary>
    /// Not Linux's: kml's host clock (the host's monotonic time in ns), so a benchmark can report host time beside
    /// emulated time. Linux answers EINVAL for this id. 0x4B4D is "KM".
    /// </summary>
    public const int KmlHost = 0x4B4D;
}

/// <summary>Resource limits.</summary>
internal static class RLimit
{
    public const int Cpu = 0, FSize = 1, Data = 2, Stack = 3, Core = 4, Rss = 5, NProc = 6, NoFile = 7, MemLock = 8, As = 9;
    public const int Count = 16;
    public const ulong Infinity = ulong.MaxValue;
}

/// <summary>statx(2) mask bits.</summary>
internal static class StatxMask
{
    public const uint Type = 1, Mode = 2, NLink = 4, Uid = 8, Gid = 0x10, ATime = 0x20, MTime = 0x40, CTime = 0x80;
    public const uint Ino = 0x100, Size = 0x200, Blocks = 0x400, BasicStats = 0x7FF, BTime = 0x800;
}

/// <summary>lseek(2) whence values.</summary>
internal static class Whence
{
    public const int Set = 0, Current = 1, End = 2, Data = 3, Hole = 4;
}
