using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kml.Machine.Translation.Native;

/// <summary>
/// A block's native translation: its entry address and the data its code reads — a validity flag checked on every
/// entry (linked predecessors jump straight in) and one link slot per constant exit target (the successor's native
/// entry and the chain epoch the link was made in; followed only while the epoch is current). Pinned, so the code can
/// hold their addresses as constants.
/// </summary>
internal sealed unsafe class NativeBlock
{
    /// <summary>Where the block's code starts.</summary>
    public readonly nint Entry;
    /// <summary>The index the block's exits report (<see cref="NativeState.BlockAt"/>).</summary>
    public readonly int Id;
    private readonly uint[] _targets;
    // [0]: 1 while the block is valid; then for target i: [1 + 2i] the successor's entry, [2 + 2i] its chain epoch.
    private readonly long[] _data;

    public NativeBlock(nint entry, int id, uint[] targets, long[] data)
    {
        Entry = entry;
        Id = id;
        _targets = targets;
        _data = data;
    }

    /// <summary>The pinned data array for a block with at most <paramref name="targets"/> exit targets.</summary>
    public static long[] AllocateData(int targets)
    {
        var data = GC.AllocateArray<long>(1 + 2 * targets, pinned: true);
        data[0] = 1;
        return data;
    }

    /// <summary>The address of element <paramref name="index"/> of a pinned data array.</summary>
    public static long* Address(long[] data, int index) => (long*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(data)) + index;

    /// <summary>Clears the validity flag: entries through links and the jump cache then leave at once.</summary>
    public void Invalidate() => Volatile.Write(ref _data[0], 0);

    /// <summary>Links the exit to <paramref name="eip"/> (when it is one of the constant targets) to <paramref name="entry"/>.</summary>
    public void Link(uint eip, nint entry, uint epoch)
    {
        for (int i = 0; i < _targets.Length; i++)
        {
            if (_targets[i] != eip) continue;
            _data[1 + 2 * i] = entry;
            _data[2 + 2 * i] = epoch;
        }
    }
}
