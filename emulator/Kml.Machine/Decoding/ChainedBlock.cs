namespace Kml.Machine.Decoding;

/// <summary>A block and the chain epoch it was recorded in: a slot of <see cref="Cpu.JumpCache"/> (the block last entered
/// at an EIP) or of <see cref="BlockLinks.Slots"/> (a translated block's successor at one of its constant targets).</summary>
internal struct ChainedBlock
{
    public Block? Block;
    public uint Epoch;
}
