namespace Kml;

/// <summary>
/// Linux error numbers (the i386 values, which are also the x86-64 ones). Every <c>Kml</c> call that can fail
/// returns the negated number (<c>-Errno.NoEntry</c>) instead of throwing: the subset has no exceptions.
/// </summary>
public static class Errno
{
    /// <summary>EPERM: operation not permitted.</summary>
    public const int NotPermitted = 1;
    /// <summary>ENOENT: no such file or directory.</summary>
    public const int NoEntry = 2;
    /// <summary>EINTR: interrupted system call.</summary>
    public const int Interrupted = 4;
    /// <summary>EIO: input/output error.</summary>
    public const int IOError = 5;
    /// <summary>EBADF: the descriptor is not open (or not open for this operation).</summary>
    public const int BadDescriptor = 9;
    /// <summary>EAGAIN: try again.</summary>
    public const int TryAgain = 11;
    /// <summary>ENOMEM: out of memory.</summary>
    public const int OutOfMemory = 12;
    /// <summary>EACCES: permission denied.</summary>
    public const int AccessDenied = 13;
    /// <summary>EFAULT: a buffer range (offset, count) is not inside the array, or the array is null.</summary>
    public const int Fault = 14;
    /// <summary>EEXIST: the file exists.</summary>
    public const int Exists = 17;
    /// <summary>ENOTDIR: a path component is not a directory.</summary>
    public const int NotDirectory = 20;
    /// <summary>EISDIR: the file is a directory.</summary>
    public const int IsDirectory = 21;
    /// <summary>EINVAL: an invalid argument (for example a path that contains '\0').</summary>
    public const int Invalid = 22;
    /// <summary>EMFILE: the process has too many open descriptors.</summary>
    public const int TooManyOpenFiles = 24;
    /// <summary>ENOSPC: no space left on the device.</summary>
    public const int NoSpace = 28;
    /// <summary>ESPIPE: the descriptor cannot seek (a socket or pipe).</summary>
    public const int IllegalSeek = 29;
    /// <summary>EPIPE: the peer closed the connection (sending never raises SIGPIPE).</summary>
    public const int BrokenPipe = 32;
    /// <summary>ENAMETOOLONG: the path is too long.</summary>
    public const int NameTooLong = 36;
    /// <summary>ENOSYS: the call is not implemented (on KML v1: the typed kernel interface lacks its entry point).</summary>
    public const int NotImplemented = 38;
    /// <summary>ENOTEMPTY: the directory is not empty.</summary>
    public const int NotEmpty = 39;
    /// <summary>ENOTSOCK: the descriptor is not a socket.</summary>
    public const int NotSocket = 88;
    /// <summary>EADDRINUSE: the address is already in use.</summary>
    public const int AddressInUse = 98;
    /// <summary>EADDRNOTAVAIL: the address is not available on this machine.</summary>
    public const int AddressNotAvailable = 99;
    /// <summary>ECONNRESET: the peer reset the connection.</summary>
    public const int ConnectionReset = 104;
    /// <summary>EISCONN: the socket is already connected.</summary>
    public const int AlreadyConnected = 106;
    /// <summary>ENOTCONN: the socket is not connected.</summary>
    public const int NotConnected = 107;
    /// <summary>ECONNREFUSED: nobody listens at the address.</summary>
    public const int ConnectionRefused = 111;

    /// <summary>
    /// The symbolic name of an error number ("ENOENT"), given either positive or as a call returned it
    /// (negative); "E" followed by the number for numbers this table does not know.
    /// </summary>
    /// <param name="error">An error number, or a negative result of a <c>Kml</c> call.</param>
    /// <returns>The name, for messages.</returns>
    public static string Name(int error)
    {
        int n = error < 0 ? -error : error;
        switch (n)
        {
            case NotPermitted: return "EPERM";
            case NoEntry: return "ENOENT";
            case Interrupted: return "EINTR";
            case IOError: return "EIO";
            case BadDescriptor: return "EBADF";
            case TryAgain: return "EAGAIN";
            case OutOfMemory: return "ENOMEM";
            case AccessDenied: return "EACCES";
            case Fault: return "EFAULT";
            case Exists: return "EEXIST";
            case NotDirectory: return "ENOTDIR";
            case IsDirectory: return "EISDIR";
            case Invalid: return "EINVAL";
            case NotImplemented: return "ENOSYS";
            case TooManyOpenFiles: return "EMFILE";
            case NoSpace: return "ENOSPC";
            case IllegalSeek: return "ESPIPE";
            case BrokenPipe: return "EPIPE";
            case NameTooLong: return "ENAMETOOLONG";
            case NotEmpty: return "ENOTEMPTY";
            case NotSocket: return "ENOTSOCK";
            case AddressInUse: return "EADDRINUSE";
            case AddressNotAvailable: return "EADDRNOTAVAIL";
            case ConnectionReset: return "ECONNRESET";
            case AlreadyConnected: return "EISCONN";
            case NotConnected: return "ENOTCONN";
            case ConnectionRefused: return "ECONNREFUSED";
            default: return "E" + n;
        }
    }
}
