using Kml.Host;

namespace Kml;

/// <summary>
/// TCP over IPv4 through the typed kernel interface. A socket is a descriptor like a file's (close it with
/// <see cref="Close"/> or <see cref="Files.Close"/>); addresses are <see cref="Ipv4"/> integers and ports are
/// 0..65535. Results are negative error numbers on failure; nothing throws, and sending to a closed peer gives
/// -EPIPE instead of a signal.
/// </summary>
public static unsafe class Sockets
{
    /// <summary>For <see cref="Shutdown"/>: no more receiving.</summary>
    public const int ShutdownReceive = 0;
    /// <summary>For <see cref="Shutdown"/>: no more sending (the peer reads the end of the stream).</summary>
    public const int ShutdownSend = 1;
    /// <summary>For <see cref="Shutdown"/>: neither.</summary>
    public const int ShutdownBoth = 2;

    /// <summary>socket(AF_INET, SOCK_STREAM, 0): a new TCP socket.</summary>
    /// <returns>The lowest free descriptor, or a negative error number.</returns>
    public static int Tcp()
    {
        var real = LibC.Socket(LibC.AfInet, LibC.SockStream | 0x80000 /* SOCK_CLOEXEC */, 0);
        return real < 0 ? LibC.Failure() : Descriptors.Add(real);
    }

    /// <summary>bind: gives the socket a local address and port.</summary>
    /// <param name="socket">A socket from <see cref="Tcp"/>.</param>
    /// <param name="address">The local address (<see cref="Ipv4.Any"/> or <see cref="Ipv4.Loopback"/>, usually).</param>
    /// <param name="port">The port; 0 lets the kernel choose (see <see cref="LocalPort"/>).</param>
    /// <returns>0, or a negative error number (-EADDRINUSE, -EINVAL for a port outside 0..65535).</returns>
    public static int Bind(int socket, int address, int port)
        => WithAddress(socket, address, port, &LibC.Bind);

    /// <summary>setsockopt(SOL_SOCKET, SO_REUSEADDR, 1): lets a server bind its port again at once after a restart.</summary>
    /// <param name="socket">A socket, before <see cref="Bind"/>.</param>
    /// <returns>0, or a negative error number.</returns>
    public static int ReuseAddress(int socket)
    {
        var real = Descriptors.Lookup(socket);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        var one = 1;
        return LibC.SetSocketOption(real, LibC.SolSocket, LibC.SoReuseAddress, &one, sizeof(int)) < 0 ? LibC.Failure() : 0;
    }

    /// <summary>listen: makes a bound socket accept connections.</summary>
    /// <param name="socket">A bound socket.</param>
    /// <param name="backlog">How many connections may wait for <see cref="Accept"/>.</param>
    /// <returns>0, or a negative error number.</returns>
    public static int Listen(int socket, int backlog)
    {
        var real = Descriptors.Lookup(socket);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        return LibC.Listen(real, backlog) < 0 ? LibC.Failure() : 0;
    }

    /// <summary>accept: waits for the next connection on a listening socket.</summary>
    /// <param name="socket">A listening socket.</param>
    /// <returns>A new descriptor for the connection, or a negative error number.</returns>
    public static int Accept(int socket)
    {
        var real = Descriptors.Lookup(socket);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        int accepted;
        do
        {
            accepted = LibC.Accept(real, null, null);
        }
        while (HostCall.Interrupted(accepted));
        return accepted < 0 ? LibC.Failure() : Descriptors.Add(accepted);
    }

    /// <summary>connect: connects a socket to a listening peer.</summary>
    /// <param name="socket">A socket from <see cref="Tcp"/>.</param>
    /// <param name="address">The peer's address.</param>
    /// <param name="port">The peer's port (1..65535).</param>
    /// <returns>0, or a negative error number (-ECONNREFUSED when nobody listens).</returns>
    /// <remarks>A connect that a signal interrupts goes on in the background; Linux then reports EALREADY/EISCONN, so
    /// it is not restarted here.</remarks>
    public static int Connect(int socket, int address, int port)
        => WithAddress(socket, address, port, &LibC.Connect);

    // bind and connect differ only in the call: the port and descriptor checks and the sockaddr_in are shared.
    private static int WithAddress(int socket, int address, int port, delegate*<int, byte*, uint, int> call)
    {
        if (port < 0 || port > 0xFFFF)
        {
            return -Errno.Invalid;
        }
        var real = Descriptors.Lookup(socket);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        fixed (byte* a = EncodeAddress(address, port))
        {
            return call(real, a, LibC.SockaddrInSize) < 0 ? LibC.Failure() : 0;
        }
    }

    /// <summary>send: sends bytes from buffer[offset..offset+count) on a connected socket.</summary>
    /// <param name="socket">A connected socket.</param>
    /// <param name="buffer">The bytes to send.</param>
    /// <param name="offset">The index of the first byte.</param>
    /// <param name="count">The number of bytes.</param>
    /// <returns>The number of bytes sent (possibly fewer), or a negative error number (-EPIPE when the peer is gone).</returns>
    public static int Send(int socket, byte[] buffer, int offset, int count)
    {
        if (!HostCall.IsValidRange(buffer, offset, count))
        {
            return -Errno.Fault;
        }
        var real = Descriptors.Lookup(socket);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        nint result;
        fixed (byte* p = buffer)
        {
            do
            {
                result = LibC.Send(real, p + offset, count, LibC.MsgNoSignal);
            }
            while (HostCall.Interrupted(result));
        }
        return result < 0 ? LibC.Failure() : (int)result;
    }

    /// <summary>recv: receives up to <paramref name="count"/> bytes into buffer[offset..offset+count).</summary>
    /// <param name="socket">A connected socket.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="offset">The index of the first byte to fill.</param>
    /// <param name="count">The most bytes to receive.</param>
    /// <returns>The number of bytes received (0 when the peer has shut down sending), or a negative error number.</returns>
    public static int Receive(int socket, byte[] buffer, int offset, int count)
    {
        if (!HostCall.IsValidRange(buffer, offset, count))
        {
            return -Errno.Fault;
        }
        var real = Descriptors.Lookup(socket);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        nint result;
        fixed (byte* p = buffer)
        {
            do
            {
                result = LibC.Receive(real, p + offset, count, 0);
            }
            while (HostCall.Interrupted(result));
        }
        return result < 0 ? LibC.Failure() : (int)result;
    }

    /// <summary>shutdown: ends one or both directions of a connection.</summary>
    /// <param name="socket">A connected socket.</param>
    /// <param name="how"><see cref="ShutdownReceive"/>, <see cref="ShutdownSend"/> or <see cref="ShutdownBoth"/>.</param>
    /// <returns>0, or a negative error number (-ENOTCONN when not connected).</returns>
    public static int Shutdown(int socket, int how)
    {
        if (how < ShutdownReceive || how > ShutdownBoth)
        {
            return -Errno.Invalid;
        }
        var real = Descriptors.Lookup(socket);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        return LibC.Shutdown(real, how) < 0 ? LibC.Failure() : 0;
    }

    /// <summary>getsockname: the local port of a bound socket (how a server that bound port 0 learns its port).</summary>
    /// <param name="socket">A bound socket.</param>
    /// <returns>The port, or a negative error number.</returns>
    public static int LocalPort(int socket)
    {
        var real = Descriptors.Lookup(socket);
        if (real < 0)
        {
            return -Errno.BadDescriptor;
        }
        var sockaddr = new byte[LibC.SockaddrInSize];
        uint length = LibC.SockaddrInSize;
        fixed (byte* a = sockaddr)
        {
            if (LibC.GetSocketName(real, a, &length) < 0)
            {
                return LibC.Failure();
            }
        }
        return (sockaddr[2] << 8) | sockaddr[3];
    }

    /// <summary>close: closes the socket (the same as <see cref="Files.Close"/>).</summary>
    /// <param name="socket">A socket.</param>
    /// <returns>0, or a negative error number.</returns>
    public static int Close(int socket) => Files.Close(socket);

    // struct sockaddr_in: family (host order), port and address (network order), 8 bytes of zeros.
    private static byte[] EncodeAddress(int address, int port)
    {
        var sockaddr = new byte[LibC.SockaddrInSize];
        sockaddr[0] = LibC.AfInet;
        sockaddr[2] = (byte)(port >> 8);
        sockaddr[3] = (byte)port;
        sockaddr[4] = (byte)(address >> 24);
        sockaddr[5] = (byte)(address >> 16);
        sockaddr[6] = (byte)(address >> 8);
        sockaddr[7] = (byte)address;
        return sockaddr;
    }
}
