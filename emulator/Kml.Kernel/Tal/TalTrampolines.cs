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
/// call into the kernel, KML style. The slot stub loads the slot number and jumps to the kernel's direct-call entry
/// (<c>Platform/EntryStubs.cs</c>, the same one <c>__kernel_vsyscall</c>'s call flavour uses), which saves EFLAGS below
/// the return address, switches to the process's kernel stack itself (ESP0 from the TSS), enters the C# kernel with
/// <c>vmcall</c> and comes back through <c>popfd; ret</c> on the program's stack:
/// <code>
///   slot k:  mov eax, k; jmp DirectCallEntry
/// </code>
/// ebx, esi, edi and ebp are untouched (the kernel's work runs on the host), the result comes back in eax, and the
/// program's stack above its return address is never written.
/// </summary>
internal static class TalKernelStubs
{
    /// <summary>Physical address of slot 0's stub.</summary>
    public const uint SlotsPhysical = Platform.KernelLayout.TalStubsPhysical;

    /// <summary>Pages of slot stubs.</summary>
    public const int SlotPages = Platform.KernelLayout.TalSlotStubPages;

    /// <summary>Bytes per slot stub.</summary>
    public const int SlotSize = 16;

    /// <summary>The most imports a ring-0 program may have.</summary>
    public const int MaxSlots = SlotPages * 4096 / SlotSize;

    /// <summary>Slot k's stub, a linear address in kernel text.</summary>
    public static uint Slot(int k) => Platform.KernelLayout.Linear(SlotsPhysical) + (uint)(k * SlotSize);

    /// <summary>The slot pages, jumping to the direct-call entry at linear address <paramref name="directCallEntry"/>.</summary>
    public static byte[] Build(uint directCallEntry)
    {
        var code = new byte[SlotPages * 4096];
        code.AsSpan().Fill(0xCC);   // int3: a stray jump into the padding traps
        for (int k = 0; k < MaxSlots; k++)
        {
            int at = k * SlotSize;
            code[at] = 0xB8;                            // mov eax, k
            BitConverter.TryWriteBytes(code.AsSpan(at + 1), k);
            code[at + 5] = 0xE9;                        // jmp DirectCallEntry
            int rel = (int)(directCallEntry - (Slot(k) + 10));
            BitConverter.TryWriteBytes(code.AsSpan(at + 6), rel);
        }
        return code;
    }
}
