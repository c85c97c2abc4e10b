namespace Kml.Tal.Elf;

/// <summary>The ELF32 numbers TAL objects use (System V ABI, i386 supplement).</summary>
public static class ElfConstants
{
    /// <summary>ELF header size.</summary>
    public const int EhSize = 52;
    /// <summary>Program header size.</summary>
    public const int PhEntSize = 32;
    /// <summary>Section header size.</summary>
    public const int ShEntSize = 40;
    /// <summary>ET_EXEC.</summary>
    public const ushort EtExec = 2;
    /// <summary>EM_386.</summary>
    public const ushort Em386 = 3;
    /// <summary>PT_LOAD.</summary>
    public const uint PtLoad = 1;
    /// <summary>PF_X.</summary>
    public const uint PfX = 1;
    /// <summary>PF_W.</summary>
    public const uint PfW = 2;
    /// <summary>PF_R.</summary>
    public const uint PfR = 4;
    /// <summary>SHT_PROGBITS.</summary>
    public const uint ShtProgbits = 1;
    /// <summary>SHT_SYMTAB.</summary>
    public const uint ShtSymtab = 2;
    /// <summary>SHT_STRTAB.</summary>
    public const uint ShtStrtab = 3;
    /// <summary>SHF_WRITE.</summary>
    public const uint ShfWrite = 1;
    /// <summary>SHF_ALLOC.</summary>
    public const uint ShfAlloc = 2;
    /// <summary>SHF_EXECINSTR.</summary>
    public const uint ShfExecInstr = 4;

    /// <summary>The loadable sections of a TAL object, their section flags and their segment flags.</summary>
    public static readonly IReadOnlyList<(string Name, uint SectionFlags, uint SegmentFlags)> LoadableSections =
    [
        (".text", ShfAlloc | ShfExecInstr, PfR | PfX),
        (".rodata", ShfAlloc, PfR),
        (".kml.imports", ShfAlloc, PfR),
        (".data", ShfAlloc | ShfWrite, PfR | PfW),
    ];
}
