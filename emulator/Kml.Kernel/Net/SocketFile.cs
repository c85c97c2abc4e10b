using System.Net;
using System.Net.Sockets;
using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Processes;

namespace Kml.Kernel.Net;

/// <summary>
/// A guest TCP socket bridged to a host socket on the loopback interface (the LilyVM way: ordinary host socket
/// calls, no privileges, no TAP device). The host socket is always non-blocking; a guest call that would block
/// sleeps on this socket's queue, and the kernel's idle loop polls the host sockets to wake it.
/// Guest addresses are IPv4; any address the guest binds or connects to is mapped to 127.0.0.1 on the host.
/// </summary>
internal sealed class SocketFile : OpenFile, IDisposable
{
    private Socket? _socket;
    private static long s_nextId = 1;

    public SocketFile(int flags) : base(OpenFlags.ReadWrite | (flags & OpenFlags.NonBlock))
    {
        Id = s_nextId++;
        _socket = NewHostSocket();
    }

    private SocketFile(Socket accepted, int flags) : base(OpenFlags.ReadWrite | (flags & OpenFlags.NonBlock))
    {
        Id = s_nextId++;
        _socket = accepted;
        _socket.Blocking = false;
        State = SocketState.Connected;
    }

    private static Socket NewHostSocket() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };

    public long Id { get; }

    public SocketState State { get; private set; } = SocketState.Created;

    /// <summary>A connect that is under way (non-blocking on the host).</summary>
    public bool ConnectPending { get; private set; }

    /// <summary>SO_ERROR: the error of an asynchronous connect.</summary>
    public Errno PendingError { get; set; }

    public bool ReadShutdown { get; private set; }
    public bool WriteShutdown { get; private set; }

    public Dictionary<(int Level, int Name), int> Options { get; } = [];

    public override WaitQueue ReadQueue { get; } = new("socket read");
    public override WaitQueue WriteQueue { get; } = new("socket write");

    public Socket? HostSocket => _socket;

    public static Errno FromSocketError(SocketError e) => e switch
    {
        SocketError.WouldBlock or SocketError.IOPending or SocketError.TryAgain => Errno.EAGAIN,
        SocketError.InProgress or SocketError.AlreadyInProgress => Errno.EINPROGRESS,
        SocketError.ConnectionRefused => Errno.ECONNREFUSED,
        SocketError.ConnectionReset => Errno.ECONNRESET,
        SocketError.ConnectionAborted => Errno.ECONNABORTED,
        SocketError.AddressAlreadyInUse => Errno.EADDRINUSE,
        SocketError.AddressNotAvailable => Errno.EADDRNOTAVAIL,
        SocketError.NotConnected => Errno.ENOTCONN,
        SocketError.IsConnected => Errno.EISCONN,
        SocketError.Shutdown => Errno.EPIPE,
        SocketError.TimedOut => Errno.ETIMEDOUT,
        SocketError.HostUnreachable => Errno.EHOSTUNREACH,
        SocketError.NetworkUnreachable => Errno.ENETUNREACH,
        SocketError.AccessDenied => Errno.EACCES,
        SocketError.InvalidArgument => Errno.EINVAL,
        SocketError.MessageSize => Errno.EMSGSIZE,
        _ => Errno.EIO,
    };

    /// <summary>Guest IPv4 endpoint → host endpoint: every address is the host's loopback.</summary>
    private static IPEndPoint HostEndPoint(int port) => new(IPAddress.Loopback, port);

    public Errno Bind(uint address, int port)
    {
        if (_socket == null) return Errno.EBADF;
        if (State != SocketState.Created) return Errno.EINVAL;
        try
        {
            _socket.Bind(HostEndPoint(port));
            GuestBoundAddress = address;
            State = SocketState.Bound;
            return Errno.None;
        }
        catch (SocketException ex)
        {
            return FromSocketError(ex.SocketErrorCode);
        }
    }

    /// <summary>The IPv4 address the guest bound to (reported back by getsockname), in network order.</summary>
    public uint GuestBoundAddress { get; private set; }

    /// <summary>The local TCP port on the host (0 if not bound).</summary>
    public int LocalPort => _socket?.LocalEndPoint is IPEndPoint ep ? ep.Port : 0;

    public Errno Listen(int backlog)
    {
        if (_socket == null) return Errno.EBADF;
        if (State is SocketState.Connected or SocketState.Connecting) return Errno.EINVAL;
        try
        {
            if (State == SocketState.Created)
            {
                _socket.Bind(HostEndPoint(0));
            }
            _socket.Listen(Math.Clamp(backlog, 1, 4096));
            State = SocketState.Listening;
            return Errno.None;
        }
        catch (SocketException ex)
        {
            return FromSocketError(ex.SocketErrorCode);
        }
    }

    /// <summary>Accepts a pending connection, or EAGAIN.</summary>
    public Errno Accept(int flags, out SocketFile? accepted)
    {
        accepted = null;
        if (_socket == null) return Errno.EBADF;
        if (State != SocketState.Listening) return Errno.EINVAL;
        try
        {
            var host = _socket.Accept();
            accepted = new SocketFile(host, flags);
            return Errno.None;
        }
        catch (SocketException ex)
        {
            return FromSocketError(ex.SocketErrorCode);
        }
    }

    /// <summary>Starts or continues a connect; EINPROGRESS while under way (the caller sleeps or reports it).</summary>
    public Errno Connect(int port)
    {
        if (_socket == null) return Errno.EBADF;
        if (State == SocketState.Connected) return ConnectPending ? FinishConnect() : Errno.EISCONN;
        if (State == SocketState.Listening) return Errno.EINVAL;
        if (ConnectPending) return FinishConnect();
        try
        {
            _socket.Connect(HostEndPoint(port));
            State = SocketState.Connected;
            return Errno.None;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.IOPending)
        {
            ConnectPending = true;
            State = SocketState.Connecting;
            return Errno.EINPROGRESS;
        }
        catch (SocketException ex)
        {
            return FromSocketError(ex.SocketErrorCode);
        }
    }

    /// <summary>Checks an asynchronous connect: done, failed, or still EINPROGRESS (EALREADY for a repeated call).</summary>
    public Errno FinishConnect()
    {
        if (_socket == null) return Errno.EBADF;
        if (_socket.Poll(0, SelectMode.SelectError))
        {
            ConnectPending = false;
            State = SocketState.Created;
            var code = (SocketError)(int)(_socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error) ?? 0);
            var err = code == SocketError.Success ? Errno.ECONNREFUSED : FromSocketError(code);
            // The host socket is spent after a failed connect: replace it so the guest may retry.
            _socket.Dispose();
            _socket = NewHostSocket();
            return err;
        }
        if (_socket.Poll(0, SelectMode.SelectWrite))
        {
            ConnectPending = false;
            State = SocketState.Connected;
            return Errno.None;
        }
        return Errno.EALREADY;
    }

    public override long Read(Span<byte> buffer) => Receive(buffer, 0);

    public long Receive(Span<byte> buffer, int flags)
    {
        if (_socket == null) return -(long)Errno.EBADF;
        if (State != SocketState.Connected) return -(long)Errno.ENOTCONN;
        if (ReadShutdown || buffer.Length == 0) return 0;
        try
        {
            var hostFlags = (flags & SocketAbi.MsgPeek) != 0 ? SocketFlags.Peek : SocketFlags.None;
            int n = _socket.Receive(buffer, hostFlags, out var error);
            if (error != SocketError.Success) return -(long)FromSocketError(error);
            return n;
        }
        catch (ObjectDisposedException)
        {
            return -(long)Errno.EBADF;
        }
    }

    public override long Write(ReadOnlySpan<byte> data, out bool brokenPipe) => Send(data, 0, out brokenPipe);

    public long Send(ReadOnlySpan<byte> data, int flags, out bool brokenPipe)
    {
        brokenPipe = false;
        if (_socket == null) return -(long)Errno.EBADF;
        if (State != SocketState.Connected) return -(long)Errno.ENOTCONN;
        if (WriteShutdown)
        {
            brokenPipe = (flags & SocketAbi.MsgNoSignal) == 0;
            return -(long)Errno.EPIPE;
        }
        int n = _socket.Send(data, SocketFlags.None, out var error);
        if (error is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            brokenPipe = (flags & SocketAbi.MsgNoSignal) == 0;
            return -(long)Errno.EPIPE;
        }
        if (error != SocketError.Success) return -(long)FromSocketError(error);
        return n;
    }

    public Errno Shutdown(int how)
    {
        if (_socket == null) return Errno.EBADF;
        if (State != SocketState.Connected) return Errno.ENOTCONN;
        try
        {
            var host = how switch { SocketAbi.ShutRead => SocketShutdown.Receive, SocketAbi.ShutWrite => SocketShutdown.Send, _ => SocketShutdown.Both };
            _socket.Shutdown(host);
            if (how != SocketAbi.ShutWrite) ReadShutdown = true;
            if (how != SocketAbi.ShutRead) WriteShutdown = true;
            ReadQueue.WakeAll();
            WriteQueue.WakeAll();
            return Errno.None;
        }
        catch (SocketException ex)
        {
            return FromSocketError(ex.SocketErrorCode);
        }
    }

    public override short Poll()
    {
        if (_socket == null) return PollEvents.Nval;
        short ev = 0;
        try
        {
            switch (State)
            {
                case SocketState.Listening:
                    if (_socket.Poll(0, SelectMode.SelectRead)) ev |= PollEvents.In | PollEvents.RdNorm;
                    break;
                case SocketState.Connecting:
                    if (_socket.Poll(0, SelectMode.SelectError)) ev |= PollEvents.Err | PollEvents.Out;
                    else if (_socket.Poll(0, SelectMode.SelectWrite)) ev |= PollEvents.Out | PollEvents.WrNorm;
                    break;
                case SocketState.Connected:
                    if (ReadShutdown || _socket.Poll(0, SelectMode.SelectRead)) ev |= PollEvents.In | PollEvents.RdNorm;
                    if (!WriteShutdown && _socket.Poll(0, SelectMode.SelectWrite)) ev |= PollEvents.Out | PollEvents.WrNorm;
                    if (_socket.Poll(0, SelectMode.SelectError)) ev |= PollEvents.Err;
                    break;
                default:
                    ev |= PollEvents.Out | PollEvents.Hup;
                    break;
            }
        }
        catch (ObjectDisposedException)
        {
            return PollEvents.Nval;
        }
        return ev;
    }

    public override long Ioctl(KmlKernel kernel, Process process, uint request, uint argument)
    {
        if (request == Abi.Ioctl.FIONREAD && _socket != null)
            return process.Memory.TryWriteUInt32(argument, (uint)_socket.Available) ? 0 : -(long)Errno.EFAULT;
        return base.Ioctl(kernel, process, request, argument);
    }

    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;
    public IPEndPoint? RemoteEndPoint => State == SocketState.Connected ? _socket?.RemoteEndPoint as IPEndPoint : null;

    public override string Describe() => $"socket:[{Id}]";

    public override (int Mode, long Ino) AnonymousIdentity => (StMode.Socket | 0x1FF, 0x20000000 + Id);

    protected override void Closed() => Dispose();

    public void Dispose()
    {
        _socket?.Dispose();
        _socket = null;
        ReadQueue.WakeAll();
        WriteQueue.WakeAll();
    }
}

/// <summary>Life cycle of a guest socket.</summary>
internal enum SocketState
{
    Created,
    Bound,
    Listening,
    Connecting,
    Connected,
}
