namespace Kml.Cli.Commands.Bench;

/// <summary>The numbers the papers report (see /work/shared/MISSION.md and seeds 001 and 002), for printing beside ours.</summary>
internal static class PaperNumbers
{
    /// <summary>lmbench on a 3.0 GHz Pentium 4, Linux 2.5.72 (seed 001, table 2): ns per call, (sysenter, KML).</summary>
    public static readonly IReadOnlyDictionary<string, (double Sysenter, double Kml)> SyscallLatency = new Dictionary<string, (double, double)>
    {
        ["getpid"] = (135.1, 16.9),
        ["read"] = (201.1, 91.0),
        ["write"] = (164.9, 53.4),
        ["fstat"] = (383.5, 204.1),
    };

    /// <summary>IOzone, 16 KiB records (seed 001, figure 1): the largest throughput improvement of KML, in percent.</summary>
    public static readonly IReadOnlyDictionary<string, double> IozoneMaxImprovement = new Dictionary<string, double>
    {
        ["write"] = 8.0,
        ["rewrite"] = 15.9,
        ["read"] = 25.9,
        ["reread"] = 14.7,
    };

    /// <summary>The TAL version of find ran 14 % faster in kernel mode (MISSION.md).</summary>
    public const double FindImprovement = 14.0;

    /// <summary>Copying a 64 KiB file in 8 KiB blocks (seed 002, section 5.1): level 1 against level 5, SMFS and SNFS.</summary>
    public const double CopyLevel1OverLevel5Smfs = 12.0, CopyLevel1OverLevel5Snfs = 2.2;

    /// <summary>The papers' clock: 3.0 GHz.</summary>
    public const double ClockGhz = 3.0;
}
