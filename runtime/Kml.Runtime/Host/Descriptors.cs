namespace Kml.Host;

/// <summary>
/// The program's descriptor table on the host. The host process has descriptors of its own (the runtime's
/// files, pipes, epoll), so a program sees virtual numbers: 0, 1 and 2 are the real standard streams, and
/// each new descriptor gets the lowest free number, as the emulated kernel gives it. A program can only use
/// and close descriptors it opened itself (others are EBADF), so it cannot disturb the runtime.
/// </summary>
internal static class Descriptors
{
    /// <summary>The largest number of descriptors a program may hold open (EMFILE beyond it).</summary>
    public const int Limit = 1024;

    private static readonly Lock Gate = new();
    private static readonly List<int> Real = [0, 1, 2];

    /// <summary>Takes ownership of a real descriptor and returns its number for the program, or -EMFILE.</summary>
    public static int Add(int real)
    {
        lock (Gate)
        {
            var free = Real.IndexOf(-1);
            if (free >= 0)
            {
                Real[free] = real;
                return free;
            }
            if (Real.Count < Limit)
            {
                Real.Add(real);
                return Real.Count - 1;
            }
        }
        LibC.Close(real);
        return -Errno.TooManyOpenFiles;
    }

    /// <summary>The real descriptor behind a program's descriptor, or -1 when it is not open.</summary>
    public static int Lookup(int descriptor)
    {
        lock (Gate)
        {
            return descriptor >= 0 && descriptor < Real.Count ? Real[descriptor] : -1;
        }
    }

    /// <summary>Forgets a program's descriptor and returns the real one it stood for, or -1.</summary>
    public static int Remove(int descriptor)
    {
        lock (Gate)
        {
            if (descriptor < 0 || descriptor >= Real.Count || Real[descriptor] < 0)
            {
                return -1;
            }
            var real = Real[descriptor];
            Real[descriptor] = -1;
            return real;
        }
    }
}
