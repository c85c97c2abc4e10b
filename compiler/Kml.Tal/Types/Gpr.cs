namespace Kml.Tal.Types;

/// <summary>
/// The eight 32-bit general-purpose registers, numbered as the x86 encoding numbers them
/// (eax=0, ecx=1, edx=2, ebx=3, esp=4, ebp=5, esi=6, edi=7). ESP is never a typed register: the stack
/// type describes it.
/// </summary>
public static class Gpr
{
    /// <summary>Number of registers.</summary>
    public const int Count = 8;
    /// <summary>eax.</summary>
    public const int Eax = 0;
    /// <summary>ecx.</summary>
    public const int Ecx = 1;
    /// <summary>edx.</summary>
    public const int Edx = 2;
    /// <summary>ebx.</summary>
    public const int Ebx = 3;
    /// <summary>esp: described by the stack type, never by a register type.</summary>
    public const int Esp = 4;
    /// <summary>ebp (an ordinary register in TAL: there is no frame pointer).</summary>
    public const int Ebp = 5;
    /// <summary>esi.</summary>
    public const int Esi = 6;
    /// <summary>edi.</summary>
    public const int Edi = 7;

    private static readonly string[] Names = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];

    /// <summary>The register's name ("eax").</summary>
    public static string Name(int reg) => reg is >= 0 and < Count ? Names[reg] : $"r{reg}";

    /// <summary>Parses a 32-bit register name; -1 when it is not one.</summary>
    public static int Parse(string name) => Array.IndexOf(Names, name.ToLowerInvariant());

    /// <summary>The registers that may carry a type (all but esp), in numbering order.</summary>
    public static readonly int[] Typed = [Eax, Ecx, Edx, Ebx, Ebp, Esi, Edi];
}
