namespace Kml.Kernel.Platform;

/// <summary>
/// The vDSO page: <c>__kernel_vsyscall</c> (in the flavour the run chose) and the signal trampolines
/// <c>__kernel_sigreturn</c> / <c>__kernel_rt_sigreturn</c> used when a handler has no SA_RESTORER.
/// glibc finds <c>__kernel_vsyscall</c> through AT_SYSINFO and calls it through %gs:0x10.
/// No ELF image is provided (no AT_SYSINFO_EHDR): static glibc then uses system calls for the clocks, which is
/// what we want (they read emulated time).
/// </summary>
internal sealed class VdsoImage
{
    /// <summary>Offsets in the page.</summary>
    public const int VsyscallOffset = 0x00, SigreturnOffset = 0x40, RtSigreturnOffset = 0x50;

    private VdsoImage(byte[] page, int landingOffset)
    {
        Page = page;
        LandingOffset = landingOffset;
    }

    /// <summary>The 4 KiB page.</summary>
    public byte[] Page { get; }

    /// <summary>Where sysexit returns to (just after an <c>int 0x80</c> that restarts an interrupted call); -1 for int 0x80.</summary>
    public int LandingOffset { get; }

    public static VdsoImage Build(SyscallEntry entry)
    {
        var page = new byte[4096];
        int landing;
        if (entry == SyscallEntry.Sysenter)
        {
            // Linux's sequence: the kernel reads the 6th argument at [ebp] and returns to the landing point with
            // sysexit; a restarted call backs up two bytes onto the int 0x80.
            byte[] code =
            [
                0x51,             // push ecx
                0x52,             // push edx
                0x55,             // push ebp
                0x89, 0xE5,       // mov ebp, esp
                0x0F, 0x34,       // sysenter
                0xCD, 0x80,       // int 0x80   (restart point)
                0x5D,             // landing: pop ebp
                0x5A,             // pop edx
                0x59,             // pop ecx
                0xC3,             // ret
            ];
            code.CopyTo(page, VsyscallOffset);
            landing = VsyscallOffset + 9;
        }
        else
        {
            byte[] code =
            [
                0xCD, 0x80,       // int 0x80
                0xC3,             // ret
            ];
            code.CopyTo(page, VsyscallOffset);
            landing = -1;
        }
        byte[] sigreturn = [0x58, 0xB8, 0x77, 0x00, 0x00, 0x00, 0xCD, 0x80];     // pop eax; mov eax, 119; int 0x80
        byte[] rtSigreturn = [0xB8, 0xAD, 0x00, 0x00, 0x00, 0xCD, 0x80];       // mov eax, 173; int 0x80
        sigreturn.CopyTo(page, SigreturnOffset);
        rtSigreturn.CopyTo(page, RtSigreturnOffset);
        return new VdsoImage(page, landing);
    }
}

/// <summary>The vDSO as the kernel uses it: addresses in user space, and the physical frame holding it.</summary>
internal sealed class VdsoInfo
{
    public uint Address { get; init; } = KernelLayout.VdsoAddress;
    public uint Frame { get; init; } = KernelLayout.VdsoPhysical;
    public uint SysinfoAddress => Address + VdsoImage.VsyscallOffset;
    public uint SigreturnAddress => Address + VdsoImage.SigreturnOffset;
    public uint RtSigreturnAddress => Address + VdsoImage.RtSigreturnOffset;

    /// <summary>The sysexit landing point in user space (0 for the int 0x80 flavour).</summary>
    public uint LandingAddress { get; init; }

    /// <summary>AT_HWCAP: CPUID.1:EDX of the emulated CPU.</summary>
    public uint HardwareCapabilities { get; init; }
}
