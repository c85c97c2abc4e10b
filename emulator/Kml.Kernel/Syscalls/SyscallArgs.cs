namespace Kml.Kernel.Syscalls;

/// <summary>The six arguments of an i386 system call (EBX, ECX, EDX, ESI, EDI, EBP).</summary>
internal readonly record struct SyscallArgs(uint A0, uint A1, uint A2, uint A3, uint A4, uint A5)
{
    public int I0 => (int)A0;
    public int I1 => (int)A1;
    public int I2 => (int)A2;
    public int I3 => (int)A3;
    public int I4 => (int)A4;
    public int I5 => (int)A5;
}

/// <summary>Special results of a system call handler, outside the range of results and -errno values.</summary>
internal static class SyscallResult
{
    /// <summary>The process went to sleep; the call runs again when it is woken.</summary>
    public const long Sleep = long.MinValue;

    /// <summary>The handler set every register itself (execve, sigreturn): EAX must not be overwritten.</summary>
    public const long RegistersSet = long.MinValue + 1;

    /// <summary>The process is gone (exit, killed).</summary>
    public const long Exited = long.MinValue + 2;

    /// <summary>Linux's ERESTARTSYS: interrupted by a signal; restarted if the handler has SA_RESTART, else EINTR.</summary>
    public const long RestartSys = -512;

    /// <summary>Linux's ERESTARTNOHAND: restarted only if no handler runs (pause, sigsuspend never restart: they use EINTR).</summary>
    public const long RestartNoHandler = -514;
}
