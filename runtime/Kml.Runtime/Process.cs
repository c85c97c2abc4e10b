using System.Diagnostics.CodeAnalysis;

namespace Kml;

/// <summary>
/// The running process. The program's arguments are <c>Main</c>'s <c>string[]</c> parameter, as in any C#
/// program; returning from <c>Main</c> (or returning an int from it) ends the process as usual.
/// </summary>
public static class Process
{
    /// <summary>exit: ends the process at once with a status (0..255 are what a parent sees).</summary>
    /// <param name="status">The exit status.</param>
    [DoesNotReturn]
    public static void Exit(int status)
    {
        // Console output is already written through (Console.Out flushes on every write), so nothing is lost.
        Console.Out.Flush();
        Environment.Exit(status);
    }

    /// <summary>getpid: the process id.</summary>
    /// <returns>The id of this process.</returns>
    public static int Id() => Environment.ProcessId;
}
