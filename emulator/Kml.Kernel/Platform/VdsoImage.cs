namespace Kml.Kernel.Platform;

/// <summary>
/// The vDSO page: a small ELF shared object (what AT_SYSINFO_EHDR points at) exporting <c>__kernel_vsyscall</c>
/// (in the flavour the run chose) and the signal trampolines <c>__kernel_sigreturn</c> / <c>__kernel_rt_sigreturn</c>
/// (used when a handler has no SA_RESTORER). Static glibc uses AT_SYSINFO (→ %gs:0x10) only when AT_SYSINFO_EHDR
/// names a valid vDSO, which it parses (program headers, dynamic section, hash table, symbols); it looks for
/// <c>__vdso_clock_gettime</c> and friends, finds none here, and so reads the clocks through system calls, which
/// return emulated time. All addresses in the image are absolute (linked at <see cref="KernelLayout.VdsoAddress"/>).
/// </summary>
internal sealed class VdsoImage
{
    /// <summary>Offsets in the page.</summary>
    public const int VsyscallOffset = 0x400, SigreturnOffset = 0x440, RtSigreturnOffset = 0x450;

    private const int PhdrOffset = 0x34, DynamicOffset = 0x80, HashOffset = 0xC0, SymtabOffset = 0xE0, StrtabOffset = 0x140;

    private VdsoImage(byte[] page, int landingOffset)
    {
        Page = page;
        LandingOffset = landingOffset;
    }

    /// <summary>The 4 KiB page.</summary>
    public byte[] Page { get; }

    /// <summary>
    /// Where the kernel returns to after a system call through sysenter or the direct call (just after an
    /// <c>int 0x80</c> that restarts an interrupted call); -1 for int 0x80.
    /// </summary>
    public int LandingOffset { get; }

    /// <summary>The direct call's return address (what <c>call</c> pushes); -1 for the other flavours.</summary>
    public int CallReturnOffset { get; private init; } = -1;

    /// <param name="entry">The flavour of <c>__kernel_vsyscall</c>.</param>
    /// <param name="directCallEntry">The kernel's direct-call entry (a kernel linear address), for <see cref="SyscallEntry.Call"/>.</param>
    /// <param name="baseAddress">Where the page is mapped in user space.</param>
    public static VdsoImage Build(SyscallEntry entry, uint directCallEntry = 0, uint baseAddress = KernelLayout.VdsoAddress)
    {
        var page = new byte[4096];
        var s = page.AsSpan();
        void U16(int at, int v) => BitConverter.TryWriteBytes(page.AsSpan(at), (ushort)v);
        void U32(int at, uint v) => BitConverter.TryWriteBytes(page.AsSpan(at), v);

        int landing;
        int callReturn = -1;
        int vsyscallSize;
        if (entry == SyscallEntry.Call)
        {
            // KML's third flavour: a plain call into the kernel (ring 0 only). The kernel returns (popfd; ret) to the
            // landing point; a restarted call backs up two bytes onto the int 0x80, as with sysenter.
            uint next = baseAddress + VsyscallOffset + 5;
            uint rel = directCallEntry - next;
            byte[] code =
            [
                0xE8, (byte)rel, (byte)(rel >> 8), (byte)(rel >> 16), (byte)(rel >> 24),   // call DirectCallEntry
                0xCD, 0x80,       // int 0x80   (restart point)
                0xC3,             // landing: ret
            ];
            code.CopyTo(page, VsyscallOffset);
            callReturn = VsyscallOffset + 5;
            landing = VsyscallOffset + 7;
            vsyscallSize = code.Length;
        }
        else if (entry == SyscallEntry.Sysenter)
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
            vsyscallSize = code.Length;
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
            vsyscallSize = code.Length;
        }
        byte[] sigreturn = [0x58, 0xB8, 0x77, 0x00, 0x00, 0x00, 0xCD, 0x80];     // pop eax; mov eax, 119; int 0x80
        byte[] rtSigreturn = [0xB8, 0xAD, 0x00, 0x00, 0x00, 0xCD, 0x80];       // mov eax, 173; int 0x80
        sigreturn.CopyTo(page, SigreturnOffset);
        rtSigreturn.CopyTo(page, RtSigreturnOffset);

        // String table.
        string[] names = ["__kernel_vsyscall", "__kernel_sigreturn", "__kernel_rt_sigreturn", "linux-gate.so.1"];
        var nameOffsets = new int[names.Length];
        int at = StrtabOffset + 1;
        for (int i = 0; i < names.Length; i++)
        {
            nameOffsets[i] = at - StrtabOffset;
            System.Text.Encoding.ASCII.GetBytes(names[i]).CopyTo(page, at);
            at += names[i].Length + 1;
        }
        int strtabSize = at - StrtabOffset;

        // Symbols: index 0 is the null symbol; then the three functions (STB_GLOBAL, STT_FUNC, SHN_ABS).
        int[] values = [VsyscallOffset, SigreturnOffset, RtSigreturnOffset];
        int[] sizes = [vsyscallSize, 8, 7];
        for (int i = 0; i < 3; i++)
        {
            int sym = SymtabOffset + (i + 1) * 16;
            U32(sym, (uint)nameOffsets[i]);
            U32(sym + 4, baseAddress + (uint)values[i]);
            U32(sym + 8, (uint)sizes[i]);
            page[sym + 12] = 0x12;
            U16(sym + 14, 0xFFF1);
        }

        // SysV hash table: one bucket, chained through every symbol.
        U32(HashOffset, 1);
        U32(HashOffset + 4, 4);
        U32(HashOffset + 8, 3);                 // bucket[0] → symbol 3
        U32(HashOffset + 12, 0);                // chain[0]
        U32(HashOffset + 16, 0);                // chain[1] → end
        U32(HashOffset + 20, 1);                // chain[2] → 1
        U32(HashOffset + 24, 2);                // chain[3] → 2

        // Dynamic section.
        (uint Tag, uint Value)[] dynamic =
        [
            (4, baseAddress + HashOffset),       // DT_HASH
            (5, baseAddress + StrtabOffset),     // DT_STRTAB
            (6, baseAddress + SymtabOffset),     // DT_SYMTAB
            (10, (uint)strtabSize),              // DT_STRSZ
            (11, 16),                            // DT_SYMENT
            (14, (uint)nameOffsets[3]),          // DT_SONAME
            (0, 0),                              // DT_NULL
        ];
        for (int i = 0; i < dynamic.Length; i++)
        {
            U32(DynamicOffset + i * 8, dynamic[i].Tag);
            U32(DynamicOffset + i * 8 + 4, dynamic[i].Value);
        }

        // ELF header: ET_DYN, EM_386, two program headers, no sections.
        byte[] ident = [0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1, 0];
        ident.CopyTo(page, 0);
        U16(16, 3);
        U16(18, 3);
        U32(20, 1);
        U32(24, baseAddress + VsyscallOffset);
        U32(28, PhdrOffset);
        U16(40, 52);
        U16(42, 32);
        U16(44, 2);
        U16(46, 40);
        // PT_LOAD: the whole page, read + execute.
        U32(PhdrOffset, 1);
        U32(PhdrOffset + 4, 0);
        U32(PhdrOffset + 8, baseAddress);
        U32(PhdrOffset + 12, baseAddress);
        U32(PhdrOffset + 16, 4096);
        U32(PhdrOffset + 20, 4096);
        U32(PhdrOffset + 24, 5);
        U32(PhdrOffset + 28, 4096);
        // PT_DYNAMIC.
        U32(PhdrOffset + 32, 2);
        U32(PhdrOffset + 36, DynamicOffset);
        U32(PhdrOffset + 40, baseAddress + DynamicOffset);
        U32(PhdrOffset + 44, baseAddress + DynamicOffset);
        U32(PhdrOffset + 48, (uint)dynamic.Length * 8);
        U32(PhdrOffset + 52, (uint)dynamic.Length * 8);
        U32(PhdrOffset + 56, 4);
        U32(PhdrOffset + 60, 4);
        _ = s;
        return new VdsoImage(page, landing) { CallReturnOffset = callReturn };
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

    /// <summary>The sysexit / direct-call landing point in user space (0 for the int 0x80 flavour).</summary>
    public uint LandingAddress { get; init; }

    /// <summary>The return address the direct call pushes (0 unless the flavour is <see cref="SyscallEntry.Call"/>).</summary>
    public uint CallReturnAddress { get; init; }

    /// <summary>AT_HWCAP: CPUID.1:EDX of the emulated CPU.</summary>
    public uint HardwareCapabilities { get; init; }
}
