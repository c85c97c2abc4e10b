namespace Kml.Kernel.Vfs;

/// <summary>A point in time as Linux stores it: seconds since the epoch and nanoseconds.</summary>
internal readonly record struct Timespec(long Seconds, long Nanoseconds)
{
    public static Timespec FromNanoseconds(long ns) => new(Math.DivRem(ns, 1_000_000_000L, out long rem) - (rem < 0 ? 1 : 0), rem < 0 ? rem + 1_000_000_000L : rem);

    public long TotalNanoseconds => Seconds * 1_000_000_000L + Nanoseconds;

    public static Timespec FromDateTime(DateTime utc)
    {
        long ticks = utc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks;
        return FromNanoseconds(ticks * 100);
    }
}
