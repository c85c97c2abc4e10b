using Kml.Kernel.Abi;
using Kml.Kernel.Processes;
using Kml.Kernel.Vfs;

namespace Kml.Kernel.Files;

/// <summary>
/// An open file description: what open(2), pipe(2) or socket(2) creates and dup(2)/fork share — the offset and the
/// status flags live here, not in the descriptor. I/O methods return a byte count or a negative errno;
/// <c>-EAGAIN</c> means "would block": the system call then sleeps on <see cref="ReadQueue"/> or
/// <see cref="WriteQueue"/> unless the description is non-blocking.
/// </summary>
internal abstract class OpenFile
{
    private int _references = 1;

    protected OpenFile(int flags) => Flags = flags;

    /// <summary>Access mode and status flags (O_APPEND, O_NONBLOCK, ...).</summary>
    public int Flags { get; set; }

    public bool NonBlocking => (Flags & OpenFlags.NonBlock) != 0;
    public bool CanRead => (Flags & OpenFlags.AccessMode) != OpenFlags.WriteOnly && (Flags & OpenFlags.Path) == 0;
    public bool CanWrite => (Flags & OpenFlags.AccessMode) != OpenFlags.ReadOnly && (Flags & OpenFlags.Path) == 0;

    /// <summary>The inode, for fstat; null for objects without one.</summary>
    public virtual Inode? Inode => null;

    /// <summary>Woken when reading may make progress.</summary>
    public virtual WaitQueue? ReadQueue => null;

    /// <summary>Woken when writing may make progress.</summary>
    public virtual WaitQueue? WriteQueue => null;

    public virtual long Read(Span<byte> buffer) => -(long)Errno.EINVAL;

    /// <summary>Writes; <paramref name="brokenPipe"/> asks the caller to raise SIGPIPE (with -EPIPE).</summary>
    public virtual long Write(ReadOnlySpan<byte> data, out bool brokenPipe)
    {
        brokenPipe = false;
        return -(long)Errno.EINVAL;
    }

    public virtual long ReadAt(long offset, Span<byte> buffer) => -(long)Errno.ESPIPE;

    public virtual long WriteAt(long offset, ReadOnlySpan<byte> data) => -(long)Errno.ESPIPE;

    public virtual long Seek(long offset, int whence) => -(long)Errno.ESPIPE;

    /// <summary>Current readiness as poll(2) events.</summary>
    public virtual short Poll() => PollEvents.In | PollEvents.Out | PollEvents.RdNorm | PollEvents.WrNorm;

    /// <summary>ioctl(2); the default is "not a terminal".</summary>
    public virtual long Ioctl(KmlKernel kernel, Process process, uint request, uint argument)
    {
        if (request == Abi.Ioctl.FIONBIO)
        {
            if (!process.Memory.TryReadUInt32(argument, out uint on)) return -(long)Errno.EFAULT;
            Flags = on != 0 ? Flags | OpenFlags.NonBlock : Flags & ~OpenFlags.NonBlock;
            return 0;
        }
        return -(long)Errno.ENOTTY;
    }

    /// <summary>For /proc/self/fd/N.</summary>
    public virtual string Describe() => "anon_inode:[unknown]";

    /// <summary>A synthetic st_mode/st_ino for descriptions without an inode (pipes, sockets).</summary>
    public virtual (int Mode, long Ino) AnonymousIdentity => (StMode.Fifo | 0x180, 0);

    public void AddReference() => _references++;

    /// <summary>Drops a reference (close, exit); the last one releases the object.</summary>
    public void Release()
    {
        if (--_references == 0) Closed();
    }

    public int References => _references;

    /// <summary>Called when the last descriptor referring to this description is closed.</summary>
    protected virtual void Closed() { }
}
