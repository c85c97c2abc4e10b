using Kml.Kernel.Memory;
using Kml.Kernel.Processes;

namespace Kml.Kernel.Tests.Support;

/// <summary>A kernel without a CPU, on 16 MiB of test memory: for system calls and memory management.</summary>
internal static class TestKernel
{
    public static KmlKernel Create() =>
        KmlKernel.ForTests(new KernelOptions { Stdin = new MemoryStream(), Stdout = new MemoryStream(), Stderr = new MemoryStream(), Terminal = false },
            new ArrayPhysicalMemory(16u << 20), new ManualClock());

    /// <summary>Maps a scratch read/write area in <paramref name="p"/> and returns its address.</summary>
    public static uint Scratch(Process p, uint size = 0x10000, uint at = 0x10000000)
    {
        p.Memory.AddArea(new Vma { Start = at, End = at + size, Protection = 3, Kind = VmaKind.Anonymous });
        return at;
    }
}
