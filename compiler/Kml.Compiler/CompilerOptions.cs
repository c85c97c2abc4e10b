namespace Kml.Compiler;

/// <summary>Options of a compilation.</summary>
public sealed record CompilerOptions
{
    /// <summary>Write the line map (.kml.lines) for run-time error messages and listings.</summary>
    public bool LineMap { get; init; } = true;

    /// <summary>Run the IR optimisations (copy propagation, dead code, redundant null checks, loop rotation).</summary>
    public bool Optimize { get; init; } = true;

    /// <summary>Check the result with the TAL checker before returning it (the compiler is untrusted).</summary>
    public bool Verify { get; init; } = true;
}
