namespace Kml.Kernel.Tal;

/// <summary>
/// Ring 3 (protection level 2): import slot k points to a 16-byte trampoline in a user page (read/execute) that
/// enters the kernel the classic way, with the slot number in eax:
/// <code>
///   int 0x80:   mov eax, k; int 0x80; ret
///   sysenter:   push ebp; mov ebp, esp; mov eax, k; sysenter     (sysexit lands on: pop ebp; ret)
/// </code>
/// The program's arguments are at [esp+4] (int 0x80) or [ebp+8] (sysenter) when the kernel reads them, as for a
/// direct call. eax, ecx and edx are clobbered, which the calling convention allows.
/// </summary>
internal static class TalTrampolines
{
    /// <summary>Bytes per slot.</summary>
    public const int SlotSize = 16;

    /// <summary>Bytes the trampolines of <paramref name="slots"/> imports need (plus the sysexit landing), page-aligned.</summary>
    public static uint Bytes(int slots) => (uint)(((slots + 1) * SlotSize + 4095) & ~4095);

    /// <summary>Where the landing is (sysenter): after the last slot.</summary>
    public static uint LandingOffset(int slots) => (uint)(slots * SlotSize);

    /// <summary>The trampoline pages for <paramref name="slots"/> imports.</summary>
    public static byte[] Build(int slots, bool sysenter)
    {
        var code = new byte[Bytes(slots)];
        code.AsSpan().Fill(0xCC);   // int3: a stray jump into the padding traps
        for (int k = 0; k < slots; k++)
        {
            int at = k * SlotSize;
            if (sysenter)
            {
                code[at] = 0x55;                    // push ebp
                code[at + 1] = 0x89; code[at + 2] = 0xE5;   // mov ebp, esp
                code[at + 3] = 0xB8;                // mov eax, k
                BitConverter.TryWriteBytes(code.AsSpan(at + 4), k);
                code[at + 8] = 0x0F; code[at + 9] = 0x34;   // sysenter
            }
            else
            {
                code[at] = 0xB8;                    // mov eax, k
                BitConverter.TryWriteBytes(code.AsSpan(at + 1), k);
                code[at + 5] = 0xCD; code[at + 6] = 0x80;   // int 0x80
                code[at + 7] = 0xC3;                // ret
            }
        }
        int landing = (int)LandingOffset(slots);
        code[landing] = 0x5D;       // pop ebp
        code[landing + 1] = 0xC3;   // ret
        return code;
    }
}

/// <summary>
/// Ring 0 (protection levels 3 and 4): import slot k points to a stub in kernel text, so an import call is a direct
/// call into the kernel, KML style. The slot stub loads the slot number and jumps to the common entry, which switches
/// to the process's kernel stack itself (from TSS.ESP0), hands over to the C# kernel with <c>vmcall</c>, switches
/// back and returns:
/// <code>
///   slot k:  mov ecx, k; jmp common
///   common:  cli; mov eax, esp; mov esp, [tss.esp0]; push eax; vmcall; pop esp; sti; ret
/// </code>
/// ebx, esi, edi and ebp are untouched (the kernel's work runs on the host), the result comes back in eax, and the
/// program's stack above its return address is never written.
/// </summary>
internal static class TalKernelStubs
{
    /// <summary>Physical page of the common entry; the slot stubs follow in <see cref="SlotPages"/> pages.</summary>
    public const uint CommonPhysical = Platform.KernelLayout.TalStubsPhysical;

    /// <summary>Physical address of slot 0's stub.</summary>
    public const uint SlotsPhysical = CommonPhysical + 4096;

    /// <summary>Pages of slot stubs.</summary>
    public const int SlotPages = Platform.KernelLayout.TalSlotStubPages;

    /// <summary>Bytes per slot stub.</summary>
    public const int SlotSize = 16;

    /// <summary>The most imports a ring-0 program may have.</summary>
    public const int MaxSlots = SlotPages * 4096 / SlotSize;

    /// <summary>Offset of the vmcall in the common entry (the kernel tells the entry by EIP − 3).</summary>
    public const uint VmcallOffset = 10;

    /// <summary>Offset of <c>pop esp; sti; ret</c>: where a direct call resumes after the kernel's work.</summary>
    public const uint ResumeOffset = 13;

    /// <summary>The common entry's linear address.</summary>
    public static uint Common => Memory.KernelMappings.ToLinear(CommonPhysical);

    /// <summary>Slot k's stub, a linear address in kernel text.</summary>
    public static uint Slot(int k) => Memory.KernelMappings.ToLinear(SlotsPhysical) + (uint)(k * SlotSize);

    /// <summary>Whether <paramref name="linear"/> lies in the stub pages (common entry or slot stubs).</summary>
    public static bool Contains(uint linear) => linear - Common < (uint)(1 + SlotPages) * 4096;

    /// <summary>The common page and the slot pages, contiguous.</summary>
    public static byte[] Build()
    {
        var code = new byte[(1 + SlotPages) * 4096];
        code.AsSpan().Fill(0xCC);
        uint esp0 = Memory.KernelMappings.ToLinear(Platform.KernelLayout.TssPhysical) + (uint)Kml.Machine.Protection.Tss32.Esp0;
        byte[] common =
        [
            0xFA,                                       // cli
            0x89, 0xE0,                                 // mov eax, esp
            0x8B, 0x25, (byte)esp0, (byte)(esp0 >> 8), (byte)(esp0 >> 16), (byte)(esp0 >> 24), // mov esp, [tss.esp0]
            0x50,                                       // push eax
            0x0F, 0x01, 0xC1,                           // vmcall
            0x5C,                                       // pop esp
            0xFB,                                       // sti
            0xC3,                                       // ret
        ];
        common.CopyTo(code, 0);
        for (int k = 0; k < MaxSlots; k++)
        {
            int at = 4096 + k * SlotSize;
            code[at] = 0xB9;                            // mov ecx, k
            BitConverter.TryWriteBytes(code.AsSpan(at + 1), k);
            code[at + 5] = 0xE9;                        // jmp common
            int rel = -(at + 10);
            BitConverter.TryWriteBytes(code.AsSpan(at + 6), rel);
        }
        return code;
    }
}
