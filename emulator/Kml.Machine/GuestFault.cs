namespace Kml.Machine;

/// <summary>An architectural exception raised by an instruction; caught by <see cref="Cpu.Run"/> and delivered through the IDT.</summary>
internal sealed class GuestFault : Exception
{
    public int Vector;
    public uint ErrorCode;
    public bool HasErrorCode;

    public override string Message => $"guest exception {Vector}" + (HasErrorCode ? $" ({ErrorCode:x})" : "");
}

/// <summary>Stops <see cref="Cpu.Run"/> from deep inside execution (bus errors, triple faults, unimplemented cases).</summary>
internal sealed class MachineStopException(StopReason reason, string message) : Exception(message)
{
    public StopReason Reason { get; } = reason;
}

/// <summary>Exception vectors.</summary>
internal static class Vectors
{
    public const int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8, TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17;

    public static bool HasErrorCode(int v) => v is DF or TS or NP or SS or GP or PF or AC;
    public static bool IsContributory(int v) => v is DE or TS or NP or SS or GP;
}
