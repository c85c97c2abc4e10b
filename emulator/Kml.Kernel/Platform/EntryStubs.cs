namespace Kml.Kernel.Platform;

/// <summary>
/// The kernel's entry and exit code: real IA-32 instructions in a supervisor page. Every entry (the int 0x80 gate,
/// sysenter, the timer, each exception vector) is a <c>vmcall</c> at its own address, which hands control to the C#
/// kernel; the kernel tells entries apart by that address. The kernel then leaves through <c>iretd</c> (a full
/// frame it wrote on the process's kernel stack) or <c>sti; sysexit</c>. Privilege transitions, stack switches
/// through TSS.ESP0 and their cycle costs are therefore the CPU's own.
/// </summary>
internal static class EntryStubs
{
    public const uint IretExit = 0x00;        // iretd
    public const uint SysexitExit = 0x08;     // sti; sysexit
    public const uint Int80Entry = 0x10;      // vmcall; ud2
    public const uint SysenterEntry = 0x18;   // vmcall; ud2
    public const uint TimerEntry = 0x20;      // vmcall; ud2
    public const uint ExceptionEntries = 0x40; // 32 × (vmcall; ud2; pad): 8 bytes each

    /// <summary>Length of vmcall: the kernel sees EIP just past it.</summary>
    public const uint VmcallLength = 3;

    public static uint ExceptionEntry(int vector) => ExceptionEntries + (uint)vector * 8;

    /// <summary>The stub page.</summary>
    public static byte[] Build()
    {
        var page = new byte[4096];
        page.AsSpan().Fill(0xCC);   // int3 padding: a stray jump into the page traps
        page[IretExit] = 0xCF;
        page[SysexitExit] = 0xFB;
        page[SysexitExit + 1] = 0x0F;
        page[SysexitExit + 2] = 0x35;
        void Entry(uint at)
        {
            // vmcall; ud2 (never reached: the kernel always sets EIP to an exit)
            page[at] = 0x0F; page[at + 1] = 0x01; page[at + 2] = 0xC1;
            page[at + 3] = 0x0F; page[at + 4] = 0x0B;
        }
        Entry(Int80Entry);
        Entry(SysenterEntry);
        Entry(TimerEntry);
        for (int v = 0; v < 32; v++) Entry(ExceptionEntry(v));
        return page;
    }

    /// <summary>Exceptions whose delivery pushes an error code.</summary>
    public static bool HasErrorCode(int vector) => vector is 8 or 10 or 11 or 12 or 13 or 14 or 17;
}
