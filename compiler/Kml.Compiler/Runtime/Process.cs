// The TAL side of Kml.Process and Kml.Clock (see Files.cs in this folder).
namespace Kml;

public static class Process
{
    public static void Exit(int status)
    {
        ConsoleOut.Flush();
        KernelCalls.Exit(status);
    }

    public static int Id()
    {
        return KernelCalls.ProcessId();
    }
}

public static class Clock
{
    public static long MonotonicNanoseconds()
    {
        return Read(1);
    }

    public static long RealtimeNanoseconds()
    {
        return Read(0);
    }

    private static long Read(int clock)
    {
        KernelTimespec time = new KernelTimespec();
        KernelCalls.ClockGetTime(clock, time);
        return (uint)time.Sec * 1000000000L + time.Nsec;
    }
}
