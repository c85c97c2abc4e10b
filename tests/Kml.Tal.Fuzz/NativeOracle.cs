using Kml.Tal.Elf;
using Kml.Tal.Tests.Native;

namespace Kml.Tal.Fuzz;

/// <summary>
/// A crude stand-in for the emulator's safety monitor: runs the accepted mutant natively under talrun
/// (sandboxed, single-stepped under ptrace) and reports a fault outside the null page and the stack guard,
/// an illegal instruction, or an instruction executed in .text at an offset the checker did not verify.
/// It cannot see a wrong memory access that does not fault; the emulator's monitor will.
/// </summary>
public sealed class NativeOracle : IMutantOracle
{
    public static bool Available => NativeRunner.Available;

    /// <inheritdoc/>
    public OracleVerdict Run(byte[] elf, out string detail)
    {
        // Single-stepped against the checker's own instruction starts: control flow is checked too.
        var starts = Kml.Tal.Checker.TalChecker.Check(elf).InstructionStarts;
        var run = NativeRunner.Run(ElfReader.Read(elf), starts, timeoutSeconds: 1);
        detail = run.Stderr.Trim();
        return run.IsViolation ? OracleVerdict.Violation : run.ExitCode == 124 ? OracleVerdict.Timeout : OracleVerdict.Safe;
    }
}
