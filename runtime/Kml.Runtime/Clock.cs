using Kml.Host;

namespace Kml;

/// <summary>
/// Clocks (clock_gettime). In the emulated machine they read emulated time (see docs/cycle-model.md); on
/// CoreCLR they read the host's clocks.
/// </summary>
public static unsafe class Clock
{
    /// <summary>CLOCK_MONOTONIC: nanoseconds since an arbitrary start; never goes back. For measuring intervals.</summary>
    /// <returns>The monotonic time in nanoseconds.</returns>
    public static long MonotonicNanoseconds() => Read(LibC.ClockMonotonic);

    /// <summary>CLOCK_REALTIME: nanoseconds since the Unix epoch (1970-01-01 UTC). For dates.</summary>
    /// <returns>The wall-clock time in nanoseconds.</returns>
    public static long RealtimeNanoseconds() => Read(LibC.ClockRealtime);

    private static long Read(int clock)
    {
        var timespec = stackalloc long[2];
        // clock_gettime cannot fail for these clocks on Linux.
        LibC.ClockGetTime(clock, timespec);
        return timespec[0] * 1_000_000_000L + timespec[1];
    }
}
