using Kml.Kernel.Platform;
using Kml.Kernel.Processes;

namespace Kml.Kernel;

public sealed partial class KmlKernel
{
    internal const ushort UserCodeSelector = KernelLayout.UserCode;
    internal const ushort UserDataSelector = KernelLayout.UserData;

    /// <summary>The vDSO of this run.</summary>
    internal VdsoInfo Vdso { get; set; } = new();

    /// <summary>Loads <paramref name="p"/>'s page directory if it is the running process (after execve).</summary>
    internal void ActivateAddressSpace(Process p) => ActivateAddressSpaceCore(p);

    partial void ActivateAddressSpaceCore(Process p);

    /// <summary>Copies <paramref name="p"/>'s TLS descriptors into the GDT (set_thread_area, context switch).</summary>
    internal void LoadTlsDescriptors(Process p) => LoadTlsDescriptorsCore(p);

    partial void LoadTlsDescriptorsCore(Process p);
}
