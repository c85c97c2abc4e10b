namespace Kml.Kernel.Memory;

/// <summary>
/// The kernel's part of every address space: page tables mapping all of physical memory at
/// <see cref="DirectMapBase"/> + physical address, supervisor-only. The page tables are built once and shared by
/// every page directory (their directory entries are copied), as Linux does on i386.
/// </summary>
internal sealed class KernelMappings
{
    public const uint DirectMapBase = 0xC0000000;
    private const int FirstKernelPde = (int)(DirectMapBase >> 22);

    private readonly uint[] _pdes = new uint[1024 - FirstKernelPde];

    /// <summary>Builds the direct map of <paramref name="memory"/> with page tables placed from <paramref name="tableArea"/> on.</summary>
    /// <returns>The first physical address after the page tables.</returns>
    public uint Build(IPhysicalMemory memory, uint tableArea)
    {
        uint size = Math.Min(memory.Size, unchecked(0u - DirectMapBase));
        uint table = tableArea;
        for (uint pa = 0; pa < size; pa += 0x400000)
        {
            memory.Fill(table, 4096, 0);
            for (uint i = 0; i < 1024 && pa + i * 4096 < size; i++)
            {
                // Supervisor-only, writable, global: user code (ring 3) cannot touch kernel memory.
                memory.WriteUInt32(table + i * 4, (pa + i * 4096) | AddressSpace.Present | AddressSpace.ReadWrite | 0x100);
            }
            _pdes[pa >> 22] = table | AddressSpace.Present | AddressSpace.ReadWrite;
            table += 4096;
        }
        return table;
    }

    /// <summary>Physical address → kernel linear address.</summary>
    public static uint ToLinear(uint physical) => DirectMapBase + physical;

    /// <summary>Copies the kernel's directory entries into a new page directory.</summary>
    public void Install(IPhysicalMemory memory, uint pageDirectory)
    {
        for (int i = 0; i < _pdes.Length; i++)
            memory.WriteUInt32(pageDirectory + (uint)(FirstKernelPde + i) * 4, _pdes[i]);
    }
}
