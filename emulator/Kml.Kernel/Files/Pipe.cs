using Kml.Kernel.Abi;
using Kml.Kernel.Processes;

namespace Kml.Kernel.Files;

/// <summary>
/// A pipe: a bounded byte ring (64 KiB, Linux's default) with reader and writer counts. Reading an empty pipe
/// with writers blocks; with none it is end-of-file. Writing with no readers is EPIPE plus SIGPIPE. Writes of up
/// to <see cref="AtomicSize"/> bytes are atomic.
/// </summary>
internal sealed class Pipe
{
    public const int Capacity = 65536;
    public const int AtomicSize = 4096;

    private readonly byte[] _ring = new byte[Capacity];
    private int _head, _count;
    private static long s_nextId = 1;

    public Pipe() => Id = s_nextId++;

    /// <summary>The inode number shown as pipe:[N].</summary>
    public long Id { get; }

    public int Readers { get; set; }
    public int Writers { get; set; }
    public int Count => _count;
    public int Space => Capacity - _count;

    public WaitQueue ReadQueue { get; } = new("pipe read");
    public WaitQueue WriteQueue { get; } = new("pipe write");

    public long Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        if (_count == 0) return Writers == 0 ? 0 : -(long)Errno.EAGAIN;
        int n = Math.Min(buffer.Length, _count);
        int first = Math.Min(n, Capacity - _head);
        _ring.AsSpan(_head, first).CopyTo(buffer);
        _ring.AsSpan(0, n - first).CopyTo(buffer[first..]);
        _head = (_head + n) % Capacity;
        _count -= n;
        WriteQueue.WakeAll();
        return n;
    }

    /// <summary>Writes what fits (all or nothing for small writes); -EAGAIN if nothing fits now.</summary>
    public long Write(ReadOnlySpan<byte> data, out bool brokenPipe)
    {
        brokenPipe = false;
        if (Readers == 0)
        {
            brokenPipe = true;
            return -(long)Errno.EPIPE;
        }
        if (data.Length == 0) return 0;
        int space = Space;
        if (space == 0 || (data.Length <= AtomicSize && space < data.Length)) return -(long)Errno.EAGAIN;
        int n = Math.Min(space, data.Length);
        int tail = (_head + _count) % Capacity;
        int first = Math.Min(n, Capacity - tail);
        data[..first].CopyTo(_ring.AsSpan(tail));
        data[first..n].CopyTo(_ring.AsSpan(0));
        _count += n;
        ReadQueue.WakeAll();
        return n;
    }
}

/// <summary>One end of a <see cref="Pipe"/>.</summary>
internal sealed class PipeEnd : OpenFile
{
    public PipeEnd(Pipe pipe, bool writeEnd, int flags) : base((flags & ~OpenFlags.AccessMode) | (writeEnd ? OpenFlags.WriteOnly : OpenFlags.ReadOnly))
    {
        PipeObject = pipe;
        IsWriteEnd = writeEnd;
        if (writeEnd) pipe.Writers++;
        else pipe.Readers++;
    }

    public Pipe PipeObject { get; }
    public bool IsWriteEnd { get; }

    public override WaitQueue ReadQueue => PipeObject.ReadQueue;
    public override WaitQueue WriteQueue => PipeObject.WriteQueue;

    public override long Read(Span<byte> buffer) => IsWriteEnd ? -(long)Errno.EBADF : PipeObject.Read(buffer);

    public override long Write(ReadOnlySpan<byte> data, out bool brokenPipe)
    {
        brokenPipe = false;
        return IsWriteEnd ? PipeObject.Write(data, out brokenPipe) : -(long)Errno.EBADF;
    }

    public override short Poll()
    {
        var p = PipeObject;
        if (IsWriteEnd)
            return p.Readers == 0 ? PollEvents.Err : p.Space >= Pipe.AtomicSize ? (short)(PollEvents.Out | PollEvents.WrNorm) : (short)0;
        short ev = 0;
        if (p.Count > 0) ev |= PollEvents.In | PollEvents.RdNorm;
        if (p.Writers == 0) ev |= PollEvents.Hup;
        return ev;
    }

    public override long Ioctl(KmlKernel kernel, Process process, uint request, uint argument)
    {
        if (request == Abi.Ioctl.FIONREAD)
            return process.Memory.TryWriteUInt32(argument, (uint)PipeObject.Count) ? 0 : -(long)Errno.EFAULT;
        return base.Ioctl(kernel, process, request, argument);
    }

    public override string Describe() => $"pipe:[{PipeObject.Id}]";

    public override (int Mode, long Ino) AnonymousIdentity => (StMode.Fifo | 0x180, 0x10000000 + PipeObject.Id);

    protected override void Closed()
    {
        if (IsWriteEnd) PipeObject.Writers--;
        else PipeObject.Readers--;
        // Readers see end-of-file, writers see EPIPE: both must re-check.
        PipeObject.ReadQueue.WakeAll();
        PipeObject.WriteQueue.WakeAll();
    }
}
