namespace Kml.Kernel.Processes;

/// <summary>
/// The user-mode register state of a process while it is in the kernel (Linux's pt_regs): read from the CPU and the
/// trap frame on kernel entry, changed by system calls, signal delivery, sigreturn and execve, written back on exit.
/// </summary>
internal struct UserRegisters
{
    public uint Eax, Ebx, Ecx, Edx, Esi, Edi, Ebp, Esp, Eip, Eflags;
    public ushort Cs, Ss, Ds, Es, Fs, Gs;

    /// <summary>The system call number at entry (EAX before it became the result): Linux's orig_eax.</summary>
    public uint OrigEax;

    public override readonly string ToString() =>
        $"eax={Eax:x8} ebx={Ebx:x8} ecx={Ecx:x8} edx={Edx:x8} esi={Esi:x8} edi={Edi:x8} ebp={Ebp:x8} esp={Esp:x8} eip={Eip:x8} eflags={Eflags:x8}";
}
