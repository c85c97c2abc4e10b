namespace Kml.Machine;

/// <summary>Kind of a control transfer reported to an <see cref="IMachineObserver"/>.</summary>
public enum ControlTransferKind
{
    /// <summary>Unconditional near jump.</summary>
    Jump,
    /// <summary>Taken conditional branch (jcc, loop, jecxz).</summary>
    Branch,
    /// <summary>Near call.</summary>
    Call,
    /// <summary>Near return.</summary>
    Return,
    /// <summary>Far jump/call/return.</summary>
    Far,
    /// <summary>Delivery of <c>int n</c>, an exception or an interrupt through the IDT.</summary>
    Interrupt,
    /// <summary><c>iret</c>.</summary>
    InterruptReturn,
    /// <summary><c>sysenter</c>.</summary>
    Sysenter,
    /// <summary><c>sysexit</c>.</summary>
    Sysexit,
    /// <summary>Hardware task switch.</summary>
    TaskSwitch,
}

/// <summary>
/// A run-time safety monitor: sees every guest data memory access and every control transfer. While an
/// observer is attached the CPU bypasses its software TLB so that every access reaches the observer;
/// with no observer attached there is no cost.
/// </summary>
public interface IMachineObserver
{
    /// <summary>A guest data access of <paramref name="size"/> bytes at <paramref name="linear"/> by code at <paramref name="cpl"/>
    /// (called before the access; implicit accesses such as descriptor reads and interrupt-frame pushes included).</summary>
    void OnMemoryAccess(uint linear, int size, bool write, int cpl);

    /// <summary>A control transfer from the instruction at <paramref name="from"/> to <paramref name="to"/> (EIP values).</summary>
    void OnControlTransfer(uint from, uint to, ControlTransferKind kind);
}
