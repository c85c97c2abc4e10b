using Kml.Tal.Elf;
using Kml.Tal.Tests.Native;

namespace Kml.Tal.Fuzz;

/// <summary>
/// A crude stand-in for the emulator's safety monitor: runs the accepted mutant natively under talrun
/// (sandboxed) and reports a fault outside the null page and the stack guard, or an illegal instruction.
/// It cannot see a wrong access that does not fault, nor a jump to an unverified address that happens to
/// decode; the emulator's monitor will.
/// </summary>
public sealed class NativeOracle : IMutantOracle
{
    public static bool Available => NativeRunner.Available;

    /// <inheritdoc/>
    public OracleVerdict Run(byte[] elf, out string detail)
    {
        var run = NativeRunner.Run(ElfReader.Read(elf), timeoutSeconds: 1);
        detail = run.Stderr.Trim();
        return run.IsViolation ? OracleVerdict.Violation : OracleVerdict.Safe;
    }
}
