using System.Text;
using Kml.Machine.Tests.Support;
using Xunit;

namespace Kml.Machine.Tests.Semantics;

/// <summary>Every case of Cases/*.txt runs natively on this host's CPU and in the emulator; registers, the compared
/// EFLAGS bits, the data and stack windows and the fault (signal class and EIP) must match.</summary>
public class InstructionSemanticsTests
{
    public static IEnumerable<object[]> Cases() => NativeHarness.AllCases().Select(c => new object[] { c.File, c.Line });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Instruction_MatchesNativeCpu(string file, int line) => Check(file, line, translate: false);

    /// <summary>The same cases with every block translated before its first execution, by the default translator
    /// (x86-64 native code where the host supports it).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Instruction_MatchesNativeCpu_WhenTranslated(string file, int line) => Check(file, line, translate: true);

    /// <summary>The same cases translated to IL (the translator used where native code cannot be generated).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Instruction_MatchesNativeCpu_WhenTranslatedToIl(string file, int line) => Check(file, line, translate: true, il: true);

    private static void Check(string file, int line, bool translate, bool il = false)
    {
        var c = NativeHarness.Case(file, line);
        var n = NativeHarness.Result(file, line);
        var e = EmulatedRun.Run(c, n, translate, il);
        var problems = new StringBuilder();
        if (e.Stop != StopReason.Hypercall || e.Vector < 0)
        {
            Assert.Fail($"{c}: the emulator stopped with {e.Stop}: {e.StopMessage}");
        }
        uint endEip = n.Start + (uint)n.Length + 2;
        if (n.Signal == 0)
        {
            if (e.Vector != 0x80 || e.Eip != endEip) problems.AppendLine($"  native completed; emulator raised vector {e.Vector} at 0x{e.Eip:x8}");
        }
        else
        {
            if (EmulatedRun.SignalOfVector(e.Vector) != n.Signal) problems.AppendLine($"  native signal {n.Signal} at 0x{n.FaultEip:x8}; emulator vector {(e.Vector == 0x80 ? "none (completed)" : e.Vector.ToString())} at 0x{e.Eip:x8}");
            else if (e.Eip != n.FaultEip) problems.AppendLine($"  fault EIP: native 0x{n.FaultEip:x8}, emulator 0x{e.Eip:x8}");
        }
        string[] names = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];
        for (int r = 0; r < 8; r++)
            if (n.Registers[r] != e.Registers[r]) problems.AppendLine($"  {names[r]}: native 0x{n.Registers[r]:x8}, emulator 0x{e.Registers[r]:x8}");
        uint mask = (0x8D5u | 0x400u) & ~(EmulatedRun.UndefinedFlags(n.Code, n.Start) | c.Undefined) | c.Strict;
        if ((n.EFlags & mask) != (e.EFlags & mask))
            problems.AppendLine($"  eflags (compared bits 0x{mask:x}): native 0x{n.EFlags & mask:x} ({Flags(n.EFlags & mask)}), emulator 0x{e.EFlags & mask:x} ({Flags(e.EFlags & mask)})");
        for (int i = 0; i < n.Mem.Length; i++)
            if (n.Mem[i] != e.Mem[i]) { problems.AppendLine($"  mem+{i}: native {Convert.ToHexString(n.Mem, i & ~15, 16)}, emulator {Convert.ToHexString(e.Mem, i & ~15, 16)}"); break; }
        for (int i = 0; i < n.Stack.Length; i++)
            if (n.Stack[i] != e.Stack[i]) { problems.AppendLine($"  stack top{i - 64:+0;-0}: native {Convert.ToHexString(n.Stack, i & ~15, 16)}, emulator {Convert.ToHexString(e.Stack, i & ~15, 16)}"); break; }
        if (problems.Length > 0) Assert.Fail($"{c}\n{problems}");
    }

    private static string Flags(uint f)
    {
        var names = new List<string>();
        foreach (var n in InstructionCase.FlagNames) if ((f & InstructionCase.FlagBit(n)) != 0) names.Add(n);
        return names.Count == 0 ? "-" : string.Join("|", names);
    }
}
