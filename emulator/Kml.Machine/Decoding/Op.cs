using System.Runtime.InteropServices;

namespace Kml.Machine.Decoding;

/// <summary>What a handler returns to the block loop.</summary>
internal static class Exit
{
    /// <summary>Continue with the next op of the block.</summary>
    public const int Next = 0;
    /// <summary>Leave the block; the handler has set EIP.</summary>
    public const int Jump = 1;
    /// <summary>Stop <see cref="Cpu.Run"/> after this instruction (stop reason set; EIP set).</summary>
    public const int Stop = 2;
    /// <summary>Stop <see cref="Cpu.Run"/> without retiring this instruction (EIP stays at it).</summary>
    public const int StopBefore = 3;
    /// <summary>Leave the block (EIP set) with cycles and retired instructions already accounted (translated code).</summary>
    public const int JumpAccounted = 4;
}

/// <summary>
/// One pre-decoded instruction: a handler and the operands extracted from Iced's decoding, so executing it
/// never looks at instruction bytes again. Memory operands are base + (index &lt;&lt; scale) + disp, where
/// register number 8 is a constant zero (no base or no index).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct Op
{
    public delegate*<Cpu, Op*, int> H;
    /// <summary>EIP of this instruction.</summary>
    public uint Eip;
    /// <summary>EIP of the next instruction.</summary>
    public uint Next;
    /// <summary>Immediate operand, or branch target.</summary>
    public uint Imm;
    /// <summary>Memory displacement.</summary>
    public uint Disp;
    /// <summary>Second immediate (enter, shld/shrd count, x87 sub-operation...).</summary>
    public uint Imm2;
    /// <summary>Cycles of the ops of this block up to and including this one.</summary>
    public uint CumCost;
    /// <summary>This op's own cost.</summary>
    public ushort Cost;
    /// <summary>Index in its block.</summary>
    public ushort Index;
    /// <summary>First register operand (destination), encoding number; 8/16-bit numbering for byte/word forms.</summary>
    public byte R0;
    /// <summary>Second register operand (source).</summary>
    public byte R1;
    /// <summary>Base register of the memory operand (8 = none).</summary>
    public byte Base;
    /// <summary>Index register of the memory operand (8 = none).</summary>
    public byte IndexReg;
    /// <summary>Scale as a shift count (0..3).</summary>
    public byte Scale;
    /// <summary>Segment register of the memory operand (ES=0, CS, SS, DS, FS, GS).</summary>
    public byte Seg;
    /// <summary>Small extra field (condition code, operand size...).</summary>
    public byte Aux;
    /// <summary>Observer's control-transfer kind for ops that leave the block.</summary>
    public byte Kind;
}
