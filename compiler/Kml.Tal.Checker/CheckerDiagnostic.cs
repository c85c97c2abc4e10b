namespace Kml.Tal.Checker;

/// <summary>
/// One rejection: where (a code offset and the disassembled instruction, or a data object, label or
/// annotation), the rule broken, and what was expected against what was found.
/// </summary>
/// <param name="Location">"0x0012: mov eax,[ebx+4]" for code; "data msg@0x08048000", "label loop@0x0010" or "object" otherwise.</param>
/// <param name="Rule">The rule, with its identifier ("TAL2001 address from a non-pointer").</param>
/// <param name="Detail">Expected against found, or empty.</param>
public sealed record CheckerDiagnostic(string Location, string Rule, string Detail)
{
    /// <summary>"location: rule: detail".</summary>
    public override string ToString() => Detail.Length == 0 ? $"{Location}: {Rule}" : $"{Location}: {Rule}: {Detail}";
}

/// <summary>The checker's verdict with statistics.</summary>
/// <param name="Diagnostics">Empty when the program is accepted.</param>
/// <param name="Instructions">Instructions decoded.</param>
/// <param name="Labels">Annotated labels.</param>
/// <param name="CodeBytes">Bytes of .text.</param>
/// <param name="AnnotationBytes">Bytes of .kml.tal.</param>
public sealed record CheckResult(IReadOnlyList<CheckerDiagnostic> Diagnostics, int Instructions, int Labels, int CodeBytes, int AnnotationBytes)
{
    /// <summary>
    /// The offsets in .text where the linear decode put an instruction (bit i set: an instruction starts at
    /// offset i). A run-time safety monitor can require every control transfer to land on one of them.
    /// Empty when the object could not be read.
    /// </summary>
    public System.Collections.BitArray InstructionStarts { get; init; } = new(0);

    /// <summary>Whether the program is accepted.</summary>
    public bool Accepted => Diagnostics.Count == 0;
}
