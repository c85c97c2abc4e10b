using System.Buffers.Binary;
using System.Net;
using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Net;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;

namespace Kml.Kernel;

// The socket calls, direct (359-373) and through socketcall(102). AF_INET stream sockets only, bridged to host
// loopback sockets (see SocketFile).
public sealed partial class KmlKernel
{
    private readonly HashSet<SocketFile> _watchedSockets = [];

    /// <summary>Woken after the kernel polled the host (sockets, stdin): sleepers in poll/select re-check.</summary>
    internal WaitQueue HostIoQueue { get; } = new("host I/O");

    /// <summary>Asks the idle loop to poll this file's host side (sockets, stdin).</summary>
    internal void WatchHost(OpenFile f)
    {
        if (f is SocketFile s) _watchedSockets.Add(s);
    }

    internal long SocketCall(Process p, in SyscallArgs a)
    {
        int call = a.I0;
        int argc = call switch
        {
            SocketCallNumber.Socket or SocketCallNumber.Bind or SocketCallNumber.Connect or SocketCallNumber.Accept or SocketCallNumber.GetSockName
                or SocketCallNumber.GetPeerName or SocketCallNumber.Shutdown or SocketCallNumber.SendMsg or SocketCallNumber.RecvMsg => 3,
            SocketCallNumber.Listen => 2,
            SocketCallNumber.SocketPair or SocketCallNumber.Send or SocketCallNumber.Recv or SocketCallNumber.Accept4 => 4,
            SocketCallNumber.SendTo or SocketCallNumber.RecvFrom => 6,
            SocketCallNumber.SetSockOpt or SocketCallNumber.GetSockOpt => 5,
            _ => -1,
        };
        if (argc < 0) return Err(Errno.EINVAL);
        Span<uint> v = stackalloc uint[6];
        for (int i = 0; i < argc; i++)
            if (!p.Memory.TryReadUInt32(a.A1 + (uint)i * 4, out v[i])) return Err(Errno.EFAULT);
        var args = new SyscallArgs(v[0], v[1], v[2], v[3], v[4], v[5]);
        return call switch
        {
            SocketCallNumber.Socket => Socket(p, args),
            SocketCallNumber.Bind => Bind(p, args),
            SocketCallNumber.Connect => Connect(p, args),
            SocketCallNumber.Listen => Listen(p, args),
            SocketCallNumber.Accept => Accept4(p, args with { A3 = 0 }),
            SocketCallNumber.Accept4 => Accept4(p, args),
            SocketCallNumber.GetSockName => GetSockName(p, args),
            SocketCallNumber.GetPeerName => GetPeerName(p, args),
            SocketCallNumber.SocketPair => SocketPair(p, args),
            SocketCallNumber.Send => SendTo(p, args with { A4 = 0, A5 = 0 }),
            SocketCallNumber.Recv => RecvFrom(p, args with { A4 = 0, A5 = 0 }),
            SocketCallNumber.SendTo => SendTo(p, args),
            SocketCallNumber.RecvFrom => RecvFrom(p, args),
            SocketCallNumber.Shutdown => Shutdown(p, args),
            SocketCallNumber.SetSockOpt => SetSockOpt(p, args),
            SocketCallNumber.GetSockOpt => GetSockOpt(p, args),
            SocketCallNumber.SendMsg => SendMsg(p, args),
            SocketCallNumber.RecvMsg => RecvMsg(p, args),
            _ => Err(Errno.EINVAL),
        };
    }

    internal long Socket(Process p, in SyscallArgs a)
    {
        int family = a.I0, type = a.I1 & SocketAbi.TypeMask, flags = a.I1 & ~SocketAbi.TypeMask;
        if ((flags & ~(SocketAbi.NonBlock | SocketAbi.CloseOnExec)) != 0) return Err(Errno.EINVAL);
        if (family != SocketAbi.AfInet)
        {
            NoteUnsupported($"socket family {family}");
            return Err(Errno.EAFNOSUPPORT);
        }
        if (type != SocketAbi.Stream)
        {
            NoteUnsupported($"socket type {type}");
            return Err(Errno.ESOCKTNOSUPPORT);
        }
        if (a.I2 != 0 && a.I2 != SocketAbi.IpProtoTcp) return Err(Errno.EPROTONOSUPPORT);
        var socket = new SocketFile(flags & SocketAbi.NonBlock);
        TrackResource(socket);
        return p.Files.Allocate(socket, (flags & SocketAbi.CloseOnExec) != 0);
    }

    internal long SocketPair(Process p, in SyscallArgs a)
    {
        NoteUnsupported("socketpair");
        return Err(a.I0 == SocketAbi.AfUnix ? Errno.EOPNOTSUPP : Errno.EAFNOSUPPORT);
    }

    private static Errno SocketOf(Process p, int fd, out SocketFile socket)
    {
        socket = null!;
        var f = p.Files.Get(fd);
        if (f == null) return Errno.EBADF;
        if (f is not SocketFile s) return Errno.ENOTSOCK;
        socket = s;
        return Errno.None;
    }

    /// <summary>Reads a struct sockaddr_in: (address in network order, port in host order).</summary>
    private static Errno ReadSockaddr(Process p, uint address, uint length, out uint ip, out int port)
    {
        ip = 0;
        port = 0;
        if (length < 8) return Errno.EINVAL;
        Span<byte> b = stackalloc byte[8];
        if (!p.Memory.CopyFromUser(address, b)) return Errno.EFAULT;
        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(b);
        if (family != SocketAbi.AfInet) return Errno.EAFNOSUPPORT;
        port = BinaryPrimitives.ReadUInt16BigEndian(b[2..]);
        ip = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        return Errno.None;
    }

    /// <summary>Writes a struct sockaddr_in and its length (value-result argument).</summary>
    private static Errno WriteSockaddr(Process p, uint address, uint lengthAddress, uint ip, int port)
    {
        if (address == 0) return Errno.None;
        if (!p.Memory.TryReadUInt32(lengthAddress, out uint room)) return Errno.EFAULT;
        if ((int)room < 0) return Errno.EINVAL;
        Span<byte> b = stackalloc byte[16];
        b.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(b, SocketAbi.AfInet);
        BinaryPrimitives.WriteUInt16BigEndian(b[2..], (ushort)port);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], ip);
        if (!p.Memory.CopyToUser(address, b[..(int)Math.Min(room, 16)])) return Errno.EFAULT;
        return p.Memory.TryWriteUInt32(lengthAddress, 16) ? Errno.None : Errno.EFAULT;
    }

    private static readonly uint Loopback = BinaryPrimitives.ReadUInt32LittleEndian(new byte[] { 127, 0, 0, 1 });

    internal long Bind(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        err = ReadSockaddr(p, a.A1, a.A2, out uint ip, out int port);
        if (err != Errno.None) return Err(err);
        // 0.0.0.0 and 127.x are this machine; any other address does not exist here.
        if (ip != 0 && (ip & 0xFF) != 127) return Err(Errno.EADDRNOTAVAIL);
        err = socket.Bind(ip, port);
        if (err == Errno.None) LogPort(p, a.I0, socket, $"port {socket.LocalPort} bound");
        return Err(err);
    }

    internal long Listen(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err == Errno.None) err = socket.Listen(a.I1);
        if (err == Errno.None) LogPort(p, a.I0, socket, $"port {socket.LocalPort} listening");
        return Err(err);
    }

    internal long Accept4(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        int flags = a.I3;
        if ((flags & ~(SocketAbi.NonBlock | SocketAbi.CloseOnExec)) != 0) return Err(Errno.EINVAL);
        err = socket.Accept(flags, out var accepted);
        if (err == Errno.EAGAIN)
        {
            if (socket.NonBlocking) return Err(err);
            WatchHost(socket);
            return Sleep(p, socket.ReadQueue, HostIoQueue);
        }
        if (err != Errno.None) return Err(err);
        TrackResource(accepted!);
        var peer = accepted!.RemoteEndPoint;
        err = WriteSockaddr(p, a.A1, a.A2, Loopback, peer?.Port ?? 0);
        if (err != Errno.None)
        {
            accepted.Release();
            return Err(err);
        }
        return p.Files.Allocate(accepted, (flags & SocketAbi.CloseOnExec) != 0);
    }

    internal long Connect(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        if (socket.ConnectPending && p.SyscallProgress != 0)
        {
            // A blocking connect woken up: is it done?
            err = socket.FinishConnect();
            if (err == Errno.EALREADY) return SleepOnSocket(p, socket, write: true);
            return Err(err);
        }
        err = ReadSockaddr(p, a.A1, a.A2, out uint ip, out int port);
        if (err != Errno.None) return Err(err);
        if (ip != 0 && (ip & 0xFF) != 127) return Err(Errno.ENETUNREACH);
        err = socket.Connect(port);
        if (err == Errno.EINPROGRESS && !socket.NonBlocking)
        {
            p.SyscallProgress = 1;
            return SleepOnSocket(p, socket, write: true);
        }
        return Err(err);
    }

    private long SleepOnSocket(Process p, SocketFile socket, bool write)
    {
        WatchHost(socket);
        return Sleep(p, write ? socket.WriteQueue : socket.ReadQueue, HostIoQueue);
    }

    internal long GetSockName(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        var local = socket.LocalEndPoint;
        uint ip = socket.State == SocketState.Connected || socket.GuestBoundAddress != 0 ? Loopback : 0;
        if (socket.State != SocketState.Connected && socket.GuestBoundAddress == 0 && local != null) ip = 0;
        return Err(WriteSockaddr(p, a.A1, a.A2, ip, local?.Port ?? 0));
    }

    internal long GetPeerName(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        var remote = socket.RemoteEndPoint;
        if (remote == null) return Err(Errno.ENOTCONN);
        return Err(WriteSockaddr(p, a.A1, a.A2, Loopback, remote.Port));
    }

    internal long SendTo(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        if (a.A4 != 0 && socket.State == SocketState.Connected) return Err(Errno.EISCONN);
        int count = (int)Math.Min(a.A2, MaxTransfer);
        var data = new byte[count];
        if (!p.Memory.CopyFromUser(a.A1, data)) return Err(Errno.EFAULT);
        return SendCore(p, socket, data, a.I3);
    }

    private long SendCore(Process p, SocketFile socket, byte[] data, int flags)
    {
        long done = p.SyscallProgress;
        while (done < data.Length)
        {
            long n = socket.Send(data.AsSpan((int)done), flags, out bool broken);
            if (broken) SendSignal(p, new SignalInfo { Signal = Sig.PIPE, Code = SigCode.User, Pid = p.Pid });
            if (n == Err(Errno.EAGAIN))
            {
                if (socket.NonBlocking || (flags & SocketAbi.MsgDontWait) != 0) return done > 0 ? done : n;
                p.SyscallProgress = done;
                long r = SleepOnSocket(p, socket, write: true);
                return r == SyscallResult.RestartSys && done > 0 ? done : r;
            }
            if (n < 0) return done > 0 ? done : n;
            done += n;
        }
        return done;
    }

    internal long RecvFrom(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        int count = (int)Math.Min(a.A2, (uint)IoBuffer.Length);
        long n = socket.Receive(IoBuffer.AsSpan(0, count), a.I3);
        if (n == Err(Errno.EAGAIN))
        {
            if (socket.NonBlocking || (a.I3 & SocketAbi.MsgDontWait) != 0) return n;
            return SleepOnSocket(p, socket, write: false);
        }
        if (n < 0) return n;
        if (!p.Memory.CopyToUser(a.A1, IoBuffer.AsSpan(0, (int)n))) return Err(Errno.EFAULT);
        if (a.A4 != 0)
        {
            var remote = socket.RemoteEndPoint;
            err = WriteSockaddr(p, a.A4, a.A5, Loopback, remote?.Port ?? 0);
            if (err != Errno.None) return Err(err);
        }
        return n;
    }

    /// <summary>sendmsg/recvmsg: the msghdr's iovecs, without ancillary data.</summary>
    internal long SendMsg(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        Span<byte> h = stackalloc byte[28];
        if (!p.Memory.CopyFromUser(a.A1, h)) return Err(Errno.EFAULT);
        var ioErr = ReadIovecs(p, BinaryPrimitives.ReadUInt32LittleEndian(h[8..]), BinaryPrimitives.ReadInt32LittleEndian(h[12..]), out var iov, out long total);
        if (ioErr != Errno.None) return Err(ioErr);
        var data = new byte[Math.Min(total, MaxTransfer)];
        int at = 0;
        foreach (var (b, len) in iov)
        {
            int take = (int)Math.Min(len, data.Length - at);
            if (take <= 0) break;
            if (!p.Memory.CopyFromUser(b, data.AsSpan(at, take))) return Err(Errno.EFAULT);
            at += take;
        }
        return SendCore(p, socket, data, a.I2);
    }

    internal long RecvMsg(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        Span<byte> h = stackalloc byte[28];
        if (!p.Memory.CopyFromUser(a.A1, h)) return Err(Errno.EFAULT);
        var ioErr = ReadIovecs(p, BinaryPrimitives.ReadUInt32LittleEndian(h[8..]), BinaryPrimitives.ReadInt32LittleEndian(h[12..]), out var iov, out long total);
        if (ioErr != Errno.None) return Err(ioErr);
        int count = (int)Math.Min(total, IoBuffer.Length);
        long n = socket.Receive(IoBuffer.AsSpan(0, count), a.I2);
        if (n == Err(Errno.EAGAIN))
        {
            if (socket.NonBlocking || (a.I2 & SocketAbi.MsgDontWait) != 0) return n;
            return SleepOnSocket(p, socket, write: false);
        }
        if (n < 0) return n;
        int at = 0;
        foreach (var (b, len) in iov)
        {
            int take = (int)Math.Min(len, n - at);
            if (take <= 0) break;
            if (!p.Memory.CopyToUser(b, IoBuffer.AsSpan(at, take))) return Err(Errno.EFAULT);
            at += take;
        }
        // No control data, no name, no flags.
        p.Memory.TryWriteUInt32(a.A1 + 4, 0);
        p.Memory.TryWriteUInt32(a.A1 + 20, 0);
        p.Memory.TryWriteUInt32(a.A1 + 24, 0);
        return n;
    }

    internal long Shutdown(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        if (a.I1 < 0 || a.I1 > 2) return Err(Errno.EINVAL);
        return Err(socket.Shutdown(a.I1));
    }

    internal long SetSockOpt(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        if (a.A4 < 4) return Err(Errno.EINVAL);
        if (!p.Memory.TryReadUInt32(a.A3, out uint value)) return Err(Errno.EFAULT);
        var host = socket.HostSocket;
        try
        {
            switch ((a.I1, a.I2))
            {
                case (SocketAbi.SolSocket, SocketAbi.SoReuseAddr):
                    host?.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.ReuseAddress, value != 0);
                    break;
                case (SocketAbi.IpProtoTcp, SocketAbi.TcpNoDelay):
                    if (host != null) host.NoDelay = value != 0;
                    break;
                case (SocketAbi.SolSocket, SocketAbi.SoKeepAlive):
                    host?.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.KeepAlive, value != 0);
                    break;
            }
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            return Err(SocketFile.FromSocketError(ex.SocketErrorCode));
        }
        socket.Options[(a.I1, a.I2)] = (int)value;
        return 0;
    }

    internal long GetSockOpt(Process p, in SyscallArgs a)
    {
        var err = SocketOf(p, a.I0, out var socket);
        if (err != Errno.None) return Err(err);
        int value = (a.I1, a.I2) switch
        {
            (SocketAbi.SolSocket, SocketAbi.SoType) => SocketAbi.Stream,
            (SocketAbi.SolSocket, SocketAbi.SoError) => (int)TakeError(socket),
            (SocketAbi.SolSocket, SocketAbi.SoAcceptConn) => socket.State == SocketState.Listening ? 1 : 0,
            (SocketAbi.SolSocket, SocketAbi.SoRcvBuf or SocketAbi.SoSndBuf) => 131072,
            _ => socket.Options.TryGetValue((a.I1, a.I2), out int v) ? v : 0,
        };
        if (!p.Memory.TryReadUInt32(a.A4, out uint room)) return Err(Errno.EFAULT);
        if ((int)room < 0) return Err(Errno.EINVAL);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        int n = (int)Math.Min(room, 4);
        if (!p.Memory.CopyToUser(a.A3, b[..n])) return Err(Errno.EFAULT);
        return p.Memory.TryWriteUInt32(a.A4, (uint)n) ? 0 : Err(Errno.EFAULT);
    }

    private static Errno TakeError(SocketFile socket)
    {
        if (socket.ConnectPending)
        {
            var e = socket.FinishConnect();
            return e is Errno.EALREADY or Errno.None ? Errno.None : e;
        }
        var err = socket.PendingError;
        socket.PendingError = Errno.None;
        return err;
    }

    /// <summary>Polls the watched host sockets; wakes the sleepers of those that are ready. Returns true if any was.</summary>
    internal bool PollHostSockets(int timeoutMicroseconds)
    {
        _watchedSockets.RemoveWhere(s => s.HostSocket == null || (!s.ReadQueue.HasSleepers && !s.WriteQueue.HasSleepers && !HostIoQueue.HasSleepers));
        if (_watchedSockets.Count == 0)
        {
            if (timeoutMicroseconds > 0) HostEvents.Wait(TimeSpan.FromMilliseconds(timeoutMicroseconds / 1000.0));
            return false;
        }
        var reads = new List<System.Net.Sockets.Socket>();
        var writes = new List<System.Net.Sockets.Socket>();
        var errors = new List<System.Net.Sockets.Socket>();
        var owners = new Dictionary<System.Net.Sockets.Socket, SocketFile>();
        foreach (var s in _watchedSockets)
        {
            var h = s.HostSocket!;
            owners[h] = s;
            reads.Add(h);
            errors.Add(h);
            if (s.State == SocketState.Connecting || s.WriteQueue.HasSleepers) writes.Add(h);
        }
        try
        {
            System.Net.Sockets.Socket.Select(reads, writes.Count > 0 ? writes : null, errors, Math.Max(0, timeoutMicroseconds));
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        bool any = false;
        foreach (var h in reads) { owners[h].ReadQueue.WakeAll(); any = true; }
        foreach (var h in writes) { owners[h].WriteQueue.WakeAll(); any = true; }
        foreach (var h in errors) { owners[h].ReadQueue.WakeAll(); owners[h].WriteQueue.WakeAll(); any = true; }
        if (any) HostIoQueue.WakeAll();
        return any;
    }
}
