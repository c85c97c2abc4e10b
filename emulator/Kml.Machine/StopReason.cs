namespace Kml.Machine;

/// <summary>Why <see cref="Cpu.Run"/> returned.</summary>
public enum StopReason
{
    /// <summary>A <c>vmcall</c> executed at CPL 0: the kernel's host call. EIP is past the instruction.</summary>
    Hypercall,
    /// <summary><c>hlt</c> executed with no deliverable interrupt pending. EIP is past the instruction.</summary>
    Halt,
    /// <summary>The cycle budget given to <see cref="Cpu.Run"/> is used up.</summary>
    CycleLimit,
    /// <summary>A fault occurred while delivering a double fault: the CPU would shut down.</summary>
    TripleFault,
    /// <summary>An instruction the emulator does not implement; see <see cref="Cpu.StopMessage"/>. EIP is at the instruction.</summary>
    Unimplemented,
    /// <summary>A page-table walk or access referred to a physical address beyond physical memory; see <see cref="Cpu.StopMessage"/>.</summary>
    BusError,
    /// <summary><see cref="Cpu.RequestStop"/> was called (for example by an observer).</summary>
    Requested,
}
