using Kml.Kernel;

namespace Kml.EndToEnd.Tests.Support;

/// <summary>A way to run the same binary: a protection level and a system-call entry.</summary>
public sealed record Mode(string Name, ProtectionLevel Level, SyscallEntry? Entry = null)
{
    /// <summary>Level 2 with sysenter: classic Linux, what --mode user means.</summary>
    public static Mode User { get; } = new("user (level 2, sysenter)", ProtectionLevel.Two);

    /// <summary>Level 5 with KML's direct call: what --mode kernel means for a plain binary.</summary>
    public static Mode Kernel { get; } = new("kernel (level 5, call)", ProtectionLevel.Five);

    /// <summary>Level 1: ring 3 with a CR3 switch on every kernel entry and exit.</summary>
    public static Mode Kpti { get; } = new("KPTI (level 1, sysenter)", ProtectionLevel.One);

    public override string ToString() => Name;
}
