using Kml.Kernel.Abi;
using Kml.Kernel.Processes;

namespace Kml.Kernel.Files;

/// <summary>
/// Events that come from host threads (stdin data, end of file) and must wake guest processes on the kernel's
/// thread. The kernel polls <see cref="Pending"/> between time slices and waits on it when every process sleeps.
/// </summary>
internal sealed class HostEvents
{
    private readonly ManualResetEventSlim _event = new(false);
    private volatile bool _pending;

    public bool Pending => _pending;

    public void Signal()
    {
        _pending = true;
        _event.Set();
    }

    /// <summary>Clears the flag; returns whether it was set.</summary>
    public bool Consume()
    {
        if (!_pending) return false;
        _pending = false;
        _event.Reset();
        return true;
    }

    public bool Wait(TimeSpan timeout) => _event.Wait(timeout);
}

/// <summary>
/// The host's standard input, shared by every process that inherited descriptor 0. A host thread reads ahead
/// (started on the first read, so a guest that never reads stdin never consumes it) and wakes readers.
/// </summary>
internal sealed class HostInputFile : OpenFile
{
    private readonly Stream _stream;
    private readonly HostEvents _events;
    private readonly object _lock = new();
    private readonly Queue<byte[]> _chunks = new();
    private int _chunkOffset;
    private bool _eof, _started;

    public HostInputFile(Stream stream, HostEvents events, bool isTerminal) : base(OpenFlags.ReadOnly)
    {
        _stream = stream;
        _events = events;
        IsTerminal = isTerminal;
    }

    public bool IsTerminal { get; }

    public override WaitQueue ReadQueue { get; } = new("stdin");

    /// <summary>True when a blocked reader could make progress (called on the kernel thread after host events).</summary>
    public bool Ready
    {
        get
        {
            lock (_lock) return _chunks.Count > 0 || _eof;
        }
    }

    public override long Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        lock (_lock)
        {
            if (_chunks.Count == 0)
            {
                if (_eof) return 0;
                StartReader();
                return -(long)Errno.EAGAIN;
            }
            int total = 0;
            while (total < buffer.Length && _chunks.Count > 0)
            {
                var chunk = _chunks.Peek();
                int n = Math.Min(buffer.Length - total, chunk.Length - _chunkOffset);
                chunk.AsSpan(_chunkOffset, n).CopyTo(buffer[total..]);
                total += n;
                _chunkOffset += n;
                if (_chunkOffset == chunk.Length)
                {
                    _chunks.Dequeue();
                    _chunkOffset = 0;
                }
            }
            return total;
        }
    }

    public override short Poll()
    {
        lock (_lock)
        {
            if (_chunks.Count > 0 || _eof) return PollEvents.In | PollEvents.RdNorm;
            StartReader();
            return 0;
        }
    }

    private void StartReader()
    {
        if (_started) return;
        _started = true;
        var thread = new Thread(ReadLoop) { IsBackground = true, Name = "kml stdin" };
        thread.Start();
    }

    private void ReadLoop()
    {
        var buffer = new byte[65536];
        while (true)
        {
            int n;
            try
            {
                n = _stream.Read(buffer, 0, buffer.Length);
            }
            catch (IOException)
            {
                n = 0;
            }
            lock (_lock)
            {
                if (n <= 0) _eof = true;
                else _chunks.Enqueue(buffer.AsSpan(0, n).ToArray());
            }
            _events.Signal();
            if (n <= 0) return;
        }
    }

    public override long Ioctl(KmlKernel kernel, Process process, uint request, uint argument) =>
        ConsoleIoctl.Handle(IsTerminal, process, request, argument) ?? base.Ioctl(kernel, process, request, argument);

    public override string Describe() => IsTerminal ? "/dev/tty" : "pipe:[0]";

    public override (int Mode, long Ino) AnonymousIdentity => IsTerminal ? (StMode.Char | 0x190, 3) : (StMode.Fifo | 0x180, 1);
}

/// <summary>The host's standard output or error: writes go straight through, byte for byte.</summary>
internal sealed class HostOutputFile(Stream stream, bool isTerminal, int hostFd) : OpenFile(OpenFlags.WriteOnly)
{
    public bool IsTerminal { get; } = isTerminal;

    /// <summary>Set when the host end was closed (EPIPE): later writes fail at once.</summary>
    public bool Broken { get; private set; }

    public override long Write(ReadOnlySpan<byte> data, out bool brokenPipe)
    {
        brokenPipe = false;
        if (Broken)
        {
            brokenPipe = true;
            return -(long)Errno.EPIPE;
        }
        try
        {
            stream.Write(data);
            stream.Flush();
            return data.Length;
        }
        catch (IOException)
        {
            Broken = true;
            brokenPipe = true;
            return -(long)Errno.EPIPE;
        }
    }

    public override short Poll() => PollEvents.Out | PollEvents.WrNorm;

    /// <summary>Writes a kernel message (not guest output); errors are ignored.</summary>
    public void WriteMessage(string text)
    {
        try
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
            stream.Flush();
        }
        catch (IOException)
        {
        }
    }

    public override long Ioctl(KmlKernel kernel, Process process, uint request, uint argument) =>
        ConsoleIoctl.Handle(IsTerminal, process, request, argument) ?? base.Ioctl(kernel, process, request, argument);

    public override string Describe() => IsTerminal ? "/dev/tty" : $"pipe:[{hostFd}]";

    public override (int Mode, long Ino) AnonymousIdentity => IsTerminal ? (StMode.Char | 0x190, 3) : (StMode.Fifo | 0x180, 1 + hostFd);
}

/// <summary>Terminal ioctls for host descriptors that are terminals; non-terminals answer ENOTTY.</summary>
internal static class ConsoleIoctl
{
    public static long? Handle(bool isTerminal, Process process, uint request, uint argument)
    {
        switch (request)
        {
            case Ioctl.TCGETS:
                if (!isTerminal) return -(long)Errno.ENOTTY;
                // A cooked-mode termios: c_iflag ICRNL|IXON, c_oflag OPOST|ONLCR, c_cflag B38400|CS8|CREAD, c_lflag ISIG|ICANON|ECHO...
                var termios = new byte[60];
                BitConverter.TryWriteBytes(termios.AsSpan(0), 0x500u);
                BitConverter.TryWriteBytes(termios.AsSpan(4), 0x5u);
                BitConverter.TryWriteBytes(termios.AsSpan(8), 0xBFu);
                BitConverter.TryWriteBytes(termios.AsSpan(12), 0x8A3Bu);
                return process.Memory.CopyToUser(argument, termios) ? 0 : -(long)Errno.EFAULT;
            case Ioctl.TCSETS or Ioctl.TCSETSW or Ioctl.TCSETSF:
                return isTerminal ? 0 : -(long)Errno.ENOTTY;
            case Ioctl.TIOCGWINSZ:
                if (!isTerminal) return -(long)Errno.ENOTTY;
                int rows = 24, cols = 80;
                try
                {
                    rows = Console.WindowHeight;
                    cols = Console.WindowWidth;
                }
                catch (IOException) { }
                var ws = new byte[8];
                BitConverter.TryWriteBytes(ws.AsSpan(0), (ushort)rows);
                BitConverter.TryWriteBytes(ws.AsSpan(2), (ushort)cols);
                return process.Memory.CopyToUser(argument, ws) ? 0 : -(long)Errno.EFAULT;
            case Ioctl.TIOCGPGRP:
                if (!isTerminal) return -(long)Errno.ENOTTY;
                return process.Memory.TryWriteUInt32(argument, (uint)process.ProcessGroup) ? 0 : -(long)Errno.EFAULT;
            case Ioctl.TIOCSPGRP:
                return isTerminal ? 0 : -(long)Errno.ENOTTY;
            default:
                return null;
        }
    }
}
