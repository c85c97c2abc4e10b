// The TAL side of Kml.Sockets (see Files.cs in this folder).
namespace Kml;

public static class Sockets
{
    public const int ShutdownReceive = 0;
    public const int ShutdownSend = 1;
    public const int ShutdownBoth = 2;

    private const int AfInet = 2;
    private const int SockStream = 1;
    private const int SolSocket = 1;
    private const int SoReuseAddress = 2;

    public static int Tcp()
    {
        return KernelCalls.Socket(AfInet, SockStream, 0);
    }

    public static int Bind(int socket, int address, int port)
    {
        if (port < 0 || port > 0xFFFF)
        {
            return -Errno.Invalid;
        }
        return KernelCalls.Bind(socket, EncodeAddress(address, port));
    }

    public static int ReuseAddress(int socket)
    {
        return KernelCalls.SetSocketOption(socket, SolSocket, SoReuseAddress, 1);
    }

    public static int Listen(int socket, int backlog)
    {
        return KernelCalls.Listen(socket, backlog);
    }

    public static int Accept(int socket)
    {
        return KernelCalls.Accept(socket);
    }

    public static int Connect(int socket, int address, int port)
    {
        if (port < 0 || port > 0xFFFF)
        {
            return -Errno.Invalid;
        }
        return KernelCalls.Connect(socket, EncodeAddress(address, port));
    }

    public static int Send(int socket, byte[] buffer, int offset, int count)
    {
        if (!Paths.IsValidRange(buffer, offset, count))
        {
            return -Errno.Fault;
        }
        ConsoleOut.Flush();
        return KernelCalls.Send(socket, buffer, offset, count);
    }

    public static int Receive(int socket, byte[] buffer, int offset, int count)
    {
        if (!Paths.IsValidRange(buffer, offset, count))
        {
            return -Errno.Fault;
        }
        ConsoleOut.Flush();
        return KernelCalls.Receive(socket, buffer, offset, count);
    }

    public static int Shutdown(int socket, int how)
    {
        if (how < ShutdownReceive || how > ShutdownBoth)
        {
            return -Errno.Invalid;
        }
        return KernelCalls.Shutdown(socket, how);
    }

    public static int LocalPort(int socket)
    {
        byte[] sockaddr = new byte[16];
        int result = KernelCalls.GetSocketName(socket, sockaddr);
        if (result < 0)
        {
            return result;
        }
        return (sockaddr[2] << 8) | sockaddr[3];
    }

    public static int Close(int socket)
    {
        return Files.Close(socket);
    }

    // struct sockaddr_in: family (host order), port and address (network order), 8 bytes of zeros.
    private static byte[] EncodeAddress(int address, int port)
    {
        byte[] sockaddr = new byte[16];
        sockaddr[0] = AfInet;
        sockaddr[2] = (byte)(port >> 8);
        sockaddr[3] = (byte)port;
        sockaddr[4] = (byte)(address >> 24);
        sockaddr[5] = (byte)(address >> 16);
        sockaddr[6] = (byte)(address >> 8);
        sockaddr[7] = (byte)address;
        return sockaddr;
    }
}
