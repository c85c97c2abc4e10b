namespace Kml.Machine.Decoding;

/// <summary>One slot of <see cref="Cpu.JumpCache"/>: the block last entered at an EIP and the chain epoch of that entry.</summary>
internal struct JumpCacheEntry
{
    public Block? Block;
    public uint Epoch;
}
