namespace Kml.Host;

/// <summary>Argument checks and conversions shared by the host implementations of the <c>Kml</c> calls.</summary>
internal static class HostCall
{
    /// <summary>Whether [offset, offset + count) lies inside the array (the kernel's EFAULT check).</summary>
    public static bool IsValidRange(byte[]? buffer, int offset, int count) =>
        buffer is not null && offset >= 0 && count >= 0 && offset <= buffer.Length - count;

    /// <summary>
    /// The path as the kernel receives it: its UTF-8 bytes (encoded by the subset's own <see cref="Utf8"/>, so
    /// the host and the emulated machine agree byte for byte), NUL-terminated for libc. Null when the path is
    /// null or contains '\0' (the call then fails with EFAULT or EINVAL, see <see cref="PathError"/>).
    /// </summary>
    public static byte[]? EncodePath(string? path)
    {
        if (path is null || path.Contains('\0'))
        {
            return null;
        }
        var bytes = Utf8.Encode(path);
        Array.Resize(ref bytes, bytes.Length + 1);
        return bytes;
    }

    /// <summary>The error for a path that <see cref="EncodePath"/> refused.</summary>
    public static int PathError(string? path) => path is null ? -Errno.Fault : -Errno.Invalid;

    /// <summary>Whether a failed call was interrupted by a signal and should run again (the emulated kernel restarts calls).</summary>
    public static bool Interrupted(long result) => result < 0 && -LibC.Failure() == LibC.EINTR;
}
