namespace Kml.Machine.Protection;

/// <summary>Layout of the 32-bit task-state segment (offsets in bytes), as the CPU reads and writes it.</summary>
public static class Tss32
{
    /// <summary>Minimum size of a 32-bit TSS (limit ≥ 0x67).</summary>
    public const uint Size = 0x68;
    /// <summary>Previous-task link (selector), written on nested task switches.</summary>
    public const int Link = 0x00;
    /// <summary>ESP0 (stack pointer for ring 0).</summary>
    public const int Esp0 = 0x04;
    /// <summary>SS0.</summary>
    public const int Ss0 = 0x08;
    /// <summary>ESP1.</summary>
    public const int Esp1 = 0x0C;
    /// <summary>SS1.</summary>
    public const int Ss1 = 0x10;
    /// <summary>ESP2.</summary>
    public const int Esp2 = 0x14;
    /// <summary>SS2.</summary>
    public const int Ss2 = 0x18;
    /// <summary>CR3 (loaded on a task switch when paging is on).</summary>
    public const int Cr3 = 0x1C;
    /// <summary>EIP.</summary>
    public const int Eip = 0x20;
    /// <summary>EFLAGS.</summary>
    public const int EFlags = 0x24;
    /// <summary>EAX; ECX, EDX, EBX, ESP, EBP, ESI, EDI follow every 4 bytes.</summary>
    public const int Eax = 0x28;
    /// <summary>ESP.</summary>
    public const int Esp = 0x38;
    /// <summary>ES; CS, SS, DS, FS, GS follow every 4 bytes.</summary>
    public const int Es = 0x48;
    /// <summary>CS.</summary>
    public const int Cs = 0x4C;
    /// <summary>SS.</summary>
    public const int Ss = 0x50;
    /// <summary>DS.</summary>
    public const int Ds = 0x54;
    /// <summary>FS.</summary>
    public const int Fs = 0x58;
    /// <summary>GS.</summary>
    public const int Gs = 0x5C;
    /// <summary>LDT selector.</summary>
    public const int Ldt = 0x60;
    /// <summary>T flag (bit 0) and I/O map base (high word).</summary>
    public const int IoMap = 0x64;
}
