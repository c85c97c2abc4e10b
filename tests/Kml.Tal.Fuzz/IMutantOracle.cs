namespace Kml.Tal.Fuzz;

/// <summary>What the run-time oracle concluded about a mutant the checker accepted.</summary>
public enum OracleVerdict
{
    /// <summary>No oracle ran (the emulator half is not plugged in yet).</summary>
    NotRun,
    /// <summary>The mutant ran and the safety monitor saw nothing wrong (it may still exit with an error).</summary>
    Safe,
    /// <summary>The monitor caught an access outside the program's regions or its types, or a jump to an unverified address: a soundness bug.</summary>
    Violation,
    /// <summary>The mutant ran into the cycle or time limit without a violation (an endless loop is not unsafe).</summary>
    Timeout,
}

/// <summary>
/// The emulator half of mutation fuzzing: runs a mutant the checker accepted under a run-time safety
/// monitor (every memory access inside the program's own regions and consistent with its types, every
/// control transfer to a verified instruction start). A checker-accepted mutant with a
/// <see cref="OracleVerdict.Violation"/> is a soundness bug.
/// </summary>
public interface IMutantOracle
{
    /// <summary>Runs the mutant; <paramref name="detail"/> describes a violation.</summary>
    OracleVerdict Run(byte[] elf, out string detail);
}

/// <summary>The placeholder until the emulator and kernel can run TAL binaries: records, never runs.</summary>
public sealed class NoOracle : IMutantOracle
{
    /// <inheritdoc/>
    public OracleVerdict Run(byte[] elf, out string detail)
    {
        detail = "";
        return OracleVerdict.NotRun;
    }
}
