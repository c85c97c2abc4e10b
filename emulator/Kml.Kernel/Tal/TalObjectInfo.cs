using Kml.Tal;
using Kml.Tal.Types;

namespace Kml.Kernel.Tal;

/// <summary>
/// An object a TAL program can reach: a typed static object (in .rodata or .data) or an object the kernel allocated.
/// The safety monitor uses it to check that every access lands in one cell of one object, and that every pointer
/// value is the start of an object of a fitting type.
/// </summary>
/// <param name="Address">First byte (an array's length header).</param>
/// <param name="Size">Bytes: the struct's size, or 4 + length × element size.</param>
/// <param name="Type">What a pointer to it points to (arrays in .rodata are const).</param>
/// <param name="Cells">The struct's cells, or one element's cells (offsets from the element's start).</param>
/// <param name="ElementSize">0 for a struct, else the element size.</param>
/// <param name="Length">The number of elements (arrays).</param>
/// <param name="Name">For messages: the static object's name or "heap object #n".</param>
internal sealed record TalObjectInfo(uint Address, uint Size, HeapType Type, Cell[] Cells, int ElementSize, uint Length, string Name)
{
    /// <summary>One past the last byte.</summary>
    public ulong End => (ulong)Address + Size;

    /// <summary>Whether it is an array (with a 4-byte length header).</summary>
    public bool IsArray => ElementSize > 0;

    /// <summary>Whether it lives in read-only memory (.rodata): nothing may be written.</summary>
    public bool InReadOnlyMemory { get; init; }

    /// <summary>
    /// The cell an access of <paramref name="size"/> bytes at <paramref name="offset"/> falls in, or a reason why
    /// it fits none (across cells, into padding, part of a pointer). The length header counts as a read-only int cell.
    /// </summary>
    public string? FindCell(uint offset, int size, out Cell cell, out uint cellStart)
    {
        cell = null!;
        cellStart = 0;
        if ((ulong)offset + (uint)size > Size) return $"runs past the end of {Describe()}";
        uint inside = offset;
        uint baseOffset = 0;
        if (IsArray)
        {
            if (offset < TalLayout.ArrayHeader)
            {
                if (offset != 0 || size != 4) return $"touches part of the length header of {Describe()}";
                cell = HeaderCell;
                return null;
            }
            uint index = (offset - TalLayout.ArrayHeader) / (uint)ElementSize;
            baseOffset = TalLayout.ArrayHeader + index * (uint)ElementSize;
            inside = offset - baseOffset;
        }
        foreach (var c in Cells)
        {
            if (inside < (uint)c.Offset || inside >= (uint)(c.Offset + c.Size)) continue;
            if (inside + (uint)size > (uint)(c.Offset + c.Size)) return $"crosses the end of cell {c.Name} of {Describe()}";
            if (c.Pointer is not null && (inside != (uint)c.Offset || size != 4)) return $"touches part of pointer cell {c.Name} of {Describe()}";
            cell = c;
            cellStart = baseOffset + (uint)c.Offset;
            return null;
        }
        return $"falls between the cells of {Describe()} (offset {offset})";
    }

    /// <summary>"Name (type at 0x...)".</summary>
    public string Describe() => $"{Name} ({Type} at 0x{Address:x8}, {Size} bytes)";

    /// <summary>The length header of an array: a read-only integer.</summary>
    public static readonly Cell HeaderCell = new(0, 4, null, false, "length");
}
