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
    private uint _entryAreaPde;

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
        // KPTI's user view of the kernel: one page table mapping only the entry area (GDT, IDT, TSSs, entry stubs,
        // per-CPU data and the trampoline, double-fault and NMI stacks), which the CPU needs to enter the kernel.
        memory.Fill(table, 4096, 0);
        for (uint pa = EntryAreaStart; pa < EntryAreaEnd; pa += 4096)
        {
            if (pa == SkippedInEntryArea) continue;
            memory.WriteUInt32(table + (pa >> 12) * 4, pa | AddressSpace.Present | AddressSpace.ReadWrite | 0x100);
        }
        _entryAreaPde = table | AddressSpace.Present | AddressSpace.ReadWrite;
        return table + 4096;
    }

    /// <summary>The entry area's physical range (see <see cref="Platform.KernelLayout"/>), and the one page in it KPTI does not map.</summary>
    public const uint EntryAreaStart = Platform.KernelLayout.GdtPhysical, EntryAreaEnd = Platform.KernelLayout.EntryAreaEnd,
        SkippedInEntryArea = Platform.KernelLayout.KernelDataPhysical;

    /// <summary>Installs only the entry area into a KPTI user page directory.</summary>
    public void InstallEntryArea(IPhysicalMemory memory, uint pageDirectory) =>
        memory.WriteUInt32(pageDirectory + FirstKernelPde * 4, _entryAreaPde);

    /// <summary>Physical address → kernel linear address.</summary>
    public static uint ToLinear(uint physical) => DirectMapBase + physical;

    /// <summary>Copies the kernel's directory entries into a new page directory.</summary>
    public void Install(IPhysicalMemory memory, uint pageDirectory)
    {
        for (int i = 0; i < _pdes.Length; i++)
            memory.WriteUInt32(pageDirectory + (uint)(FirstKernelPde + i) * 4, _pdes[i]);
    }
}
