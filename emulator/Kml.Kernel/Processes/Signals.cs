using Kml.Kernel.Abi;

namespace Kml.Kernel.Processes;

/// <summary>A signal disposition (the kernel's struct sigaction for i386).</summary>
internal struct SignalAction
{
    /// <summary>SIG_DFL (0), SIG_IGN (1) or the handler's address.</summary>
    public uint Handler;
    public uint Flags;
    public uint Restorer;
    public ulong Mask;
}

/// <summary>What the kernel records about a pending signal (the fields of siginfo_t it fills).</summary>
internal struct SignalInfo
{
    public int Signal, Errno, Code;
    public int Pid, Uid;
    /// <summary>SIGCHLD: exit code or signal; SIGSEGV/SIGBUS/SIGFPE/SIGILL: unused.</summary>
    public int Status;
    /// <summary>The faulting address for SIGSEGV, SIGBUS, SIGILL, SIGFPE.</summary>
    public uint Address;

    /// <summary>The i386 siginfo_t (128 bytes).</summary>
    public readonly byte[] ToBytes()
    {
        var b = new byte[128];
        BitConverter.TryWriteBytes(b.AsSpan(0), Signal);
        BitConverter.TryWriteBytes(b.AsSpan(4), Errno);
        BitConverter.TryWriteBytes(b.AsSpan(8), Code);
        if (Signal is Sig.SEGV or Sig.BUS or Sig.ILL or Sig.FPE or Sig.TRAP)
        {
            BitConverter.TryWriteBytes(b.AsSpan(12), Address);
        }
        else
        {
            BitConverter.TryWriteBytes(b.AsSpan(12), Pid);
            BitConverter.TryWriteBytes(b.AsSpan(16), Uid);
            if (Signal == Sig.CHLD) BitConverter.TryWriteBytes(b.AsSpan(20), Status);
        }
        return b;
    }
}

/// <summary>The default action of each signal (signal(7)).</summary>
internal enum DefaultAction
{
    Terminate,
    CoreDump,
    Ignore,
    Stop,
    Continue,
}

internal static class SignalDefaults
{
    public static DefaultAction For(int signal) => signal switch
    {
        Sig.QUIT or Sig.ILL or Sig.TRAP or Sig.ABRT or Sig.BUS or Sig.FPE or Sig.SEGV or Sig.XCPU or Sig.XFSZ or Sig.SYS => DefaultAction.CoreDump,
        Sig.CHLD or Sig.URG or Sig.WINCH => DefaultAction.Ignore,
        Sig.CONT => DefaultAction.Continue,
        Sig.STOP or Sig.TSTP or Sig.TTIN or Sig.TTOU => DefaultAction.Stop,
        _ => DefaultAction.Terminate,
    };

    private static readonly string[] Names =
    [
        "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV",
        "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU",
        "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    public static string Name(int signal) => signal > 0 && signal < Names.Length ? Names[signal] : $"SIGRT{signal - Sig.RtMin}";
}
