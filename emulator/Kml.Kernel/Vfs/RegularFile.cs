using Microsoft.Win32.SafeHandles;

namespace Kml.Kernel.Vfs;

/// <summary>
/// A regular file. Its bytes live in memory, or — for a file imported from the host and not yet written — in the
/// host file, read on demand (never written: the first write copies the content into memory).
/// A generated file (see <see cref="GeneratedTree"/>) likewise produces its bytes on demand.
/// </summary>
internal sealed class RegularFile : Inode, Memory.IPageSource
{
    private byte[] _data = [];
    private long _length;
    private IContentSource? _source;   // non-null while the content is still the source's

    public RegularFile(FileSystem fs, int mode) : base(fs, Abi.StMode.Regular | (mode & Abi.StMode.PermissionMask)) { }

    /// <summary>A file with a given inode number and times (generated and imported trees; see <see cref="Inode"/>).</summary>
    public RegularFile(FileSystem fs, int mode, long number, Timespec time)
        : base(fs, Abi.StMode.Regular | (mode & Abi.StMode.PermissionMask), number, time) { }

    /// <summary>Makes the content come from <paramref name="source"/> until the first write.</summary>
    public void SetSource(IContentSource source)
    {
        _source = source;
        _length = source.Length;
        _data = [];
    }

    public override long Size => _length;

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>; returns the count (0 at or past the end).</summary>
    public int Read(long offset, Span<byte> buffer)
    {
        if (offset >= _length || buffer.Length == 0) return 0;
        int count = (int)Math.Min(buffer.Length, _length - offset);
        if (_source != null)
            return _source.Read(offset, buffer[..count]);
        _data.AsSpan((int)offset, count).CopyTo(buffer);
        return count;
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>, growing the file (a gap reads as zeros).</summary>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        Materialize();
        long end = offset + data.Length;
        EnsureCapacity(end);
        data.CopyTo(_data.AsSpan((int)offset));
        if (end > _length) _length = end;
        Touch();
    }

    /// <summary>Sets the length: truncates, or extends with zeros.</summary>
    public void Truncate(long length)
    {
        Materialize();
        if (length > _length)
        {
            EnsureCapacity(length);
        }
        else
        {
            _data.AsSpan((int)length, (int)(_length - length)).Clear();
        }
        _length = length;
        Touch();
    }

    /// <summary>Largest file the in-memory store supports.</summary>
    public const long MaxSize = 1L << 30;

    private void EnsureCapacity(long needed)
    {
        if (needed > MaxSize) throw new IOException("file too large for the in-memory file system");
        if (needed <= _data.Length) return;
        long capacity = Math.Max(needed, Math.Min(MaxSize, Math.Max(4096, (long)_data.Length * 2)));
        Array.Resize(ref _data, (int)capacity);
    }

    private void Materialize()
    {
        if (_source == null) return;
        var data = new byte[_length];
        int done = 0;
        while (done < data.Length)
        {
            int n = _source.Read(done, data.AsSpan(done));
            if (n <= 0) break;
            done += n;
        }
        _source = null;
        _data = data;
        ImportedBlocks = -1;
    }
}

/// <summary>Where the bytes of a file that has not been written yet come from.</summary>
internal interface IContentSource
{
    long Length { get; }

    /// <summary>Reads at <paramref name="offset"/> into <paramref name="buffer"/> (never past <see cref="Length"/>).</summary>
    int Read(long offset, Span<byte> buffer);
}

/// <summary>A host file, opened read-only on first use.</summary>
internal sealed class HostFileSource : IContentSource, IDisposable
{
    private SafeFileHandle? _handle;
    private readonly string _pathOrDirectory;
    private readonly string? _guestName;

    public HostFileSource(string path, long length)
    {
        _pathOrDirectory = path;
        Length = length;
    }

    /// <summary>The file <paramref name="guestName"/> in <paramref name="hostDirectory"/>: the path is made on first read.</summary>
    public HostFileSource(string hostDirectory, string guestName, long length)
    {
        _pathOrDirectory = hostDirectory;
        _guestName = guestName;
        Length = length;
    }

    public long Length { get; }

    private string HostPath => _guestName == null ? _pathOrDirectory : Path.Join(_pathOrDirectory, HostTreeImporter.HostName(_guestName));

    public int Read(long offset, Span<byte> buffer)
    {
        _handle ??= File.OpenHandle(HostPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(_handle, buffer[total..], offset + total);
            if (n <= 0)
            {
                // The host file shrank after the import: the guest sees zeros, as a snapshot would have them.
                buffer[total..].Clear();
                return buffer.Length;
            }
            total += n;
        }
        return total;
    }

    public void Dispose() => _handle?.Dispose();
}
