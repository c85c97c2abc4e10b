using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kml.Machine.Decoding;

/// <summary>A decoded basic block: straight-line ops ending at a control transfer, a system instruction, a page end
/// or a length cap. Keyed by the linear and physical address of its first byte.</summary>
internal sealed unsafe class Block
{
    public readonly Op[] Ops;
    public readonly Op* First;
    public readonly int Count;
    public readonly uint Linear;
    public readonly uint Phys;
    /// <summary>Physical address of the second page for a block whose (single) instruction straddles a page; else <see cref="NoPage"/>.</summary>
    public readonly uint Phys2;
    public const uint NoPage = 0xFFFF_FFFF;
    public bool Valid = true;

    // Chaining: the last successors seen, valid while the CPU's chain epoch is unchanged.
    public Block? Next0, Next1;
    public uint Epoch0, Epoch1;

    /// <summary>The decoded instructions and their live-out flags, kept for the IL translator.</summary>
    public Iced.Intel.Instruction[]? Instructions;
    public uint[]? LiveOut;
    /// <summary>Times the block was entered by the interpreter; when it reaches the CPU's threshold it is translated.</summary>
    public int Heat;
    public bool TranslationTried;
    /// <summary>The translated block (see Translation/BlockCompiler), or null.</summary>
    public Func<Cpu, int>? Compiled;
    /// <summary>Direct links of a translated block: for each constant successor EIP, the successor block and the chain
    /// epoch the link was made in (translated code tail-calls a valid linked successor).</summary>
    public BlockLinks? Links;
    /// <summary>The native x86-64 translation (see Translation/Native/NativeBlockCompiler), or null.</summary>
    public Translation.Native.NativeBlock? Native;

    public Block(Op[] ops, int count, uint linear, uint phys, uint phys2)
    {
        Ops = ops;
        First = (Op*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(ops));
        Count = count;
        Linear = linear;
        Phys = phys;
        Phys2 = phys2;
    }
}

/// <summary>Successor slots of a translated block, keyed by the constant target EIPs of its inline exits, plus one slot
/// for the last successor reached through a computed target (a <c>ret</c>): followed only when the EIP matches.</summary>
internal sealed class BlockLinks
{
    public readonly uint[] Targets;
    /// <summary>Per target: the successor block and the chain epoch the link was made in.</summary>
    public readonly ChainedBlock[] Slots;
    public Block? Dynamic;
    public uint DynamicEpoch;
    /// <summary>The translated block these links belong to (its loops check that it is still valid).</summary>
    public Block? Owner;

    public BlockLinks(uint[] targets)
    {
        Targets = targets;
        Slots = new ChainedBlock[targets.Length];
    }

    public void Link(uint eip, Block b, uint epoch)
    {
        bool constant = false;
        for (int i = 0; i < Targets.Length; i++)
            if (Targets[i] == eip) { Slots[i].Block = b; Slots[i].Epoch = epoch; constant = true; }
        if (!constant) { Dynamic = b; DynamicEpoch = epoch; }
    }
}
