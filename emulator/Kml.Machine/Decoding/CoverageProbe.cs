using Iced.Intel;

namespace Kml.Machine.Decoding;

/// <summary>Answers whether the decode table implements an instruction form (for coverage reports over real binaries).</summary>
public static class CoverageProbe
{
    /// <summary>True when <paramref name="instruction"/> would be translated into an executable op (not "unimplemented").</summary>
    public static bool Supports(Instruction instruction)
    {
        if (instruction.Code == Code.INVALID) return true; // raises #UD, which is implemented
        var e = DecodeTable.Get(instruction.Mnemonic);
        if (e == null) return false;
        var op = default(Op);
        op.Base = op.IndexReg = Operands.NoReg;
        try { return e(ref op, instruction, new EmitContext(CycleModel.Pentium4)); }
        catch (NotSupportedException) { return false; }
    }
}
