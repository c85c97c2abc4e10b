using System.Runtime.InteropServices;
using System.Text;
using Kml.Kernel.Abi;

namespace Kml.Kernel.Vfs;

/// <summary>
/// Makes a host directory tree the guest's file system, lazily: a directory's entries are read from the host (names in
/// the host's readdir order, metadata — mode, owner, times, sizes, hard links — from lstat) when the guest first looks
/// into it (a lookup through it, a listing, its link count), and file contents from the host on first read. Until then
/// an imported directory costs one lstat. The host is never written. Sockets, FIFOs and device files are skipped: they
/// have no meaning in the guest.
/// </summary>
/// <remarks>
/// Each directory is a snapshot taken when the guest first looks into it: a file created on the host after that is not
/// visible, one created before it (even after the run started) is. Inode numbers are assigned as the entries are
/// read, so they follow the order the guest walks the tree in (deterministic for a given program and tree).
/// Symbolic links keep their target text; they resolve inside the guest's tree, so a link that points outside the
/// imported directory leads nowhere (it dangles) rather than to the host's file.
/// </remarks>
internal static partial class HostTreeImporter
{
    /// <summary>
    /// Imports <paramref name="hostDirectory"/> as the contents of <paramref name="target"/>: its metadata now, its
    /// entries on first use. Returns the import, which counts the entries read and the host time spent so far.
    /// </summary>
    public static HostImport Import(FileSystem fs, string hostDirectory, DirectoryNode target, List<IDisposable> resources)
    {
        if (!Directory.Exists(hostDirectory))
            throw new DirectoryNotFoundException($"{hostDirectory}: no such directory (--root)");
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var import = new HostImport(fs, resources);
        var root = HostStat.Lstat(hostDirectory);
        if (root is { } r) ApplyMetadata(target, r);
        target.SetLoader(new HostDirectoryLoader(import, hostDirectory));
        import.HostTicks += System.Diagnostics.Stopwatch.GetTimestamp() - started;
        return import;
    }

    /// <summary>Reads one host directory into the guest's (see <see cref="DirectoryNode.SetLoader"/>).</summary>
    private sealed class HostDirectoryLoader(HostImport import, string hostDirectory) : IDirectoryLoader
    {
        public void Load(DirectoryNode directory)
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                LoadEntries(directory);
            }
            finally
            {
                import.HostTicks += System.Diagnostics.Stopwatch.GetTimestamp() - started;
            }
        }

        private void LoadEntries(DirectoryNode dir)
        {
            if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
            {
                LoadEntriesNative(dir);
                return;
            }
            List<string> entries;
            try
            {
                entries = [.. Directory.EnumerateFileSystemEntries(hostDirectory)];
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                return;   // unreadable on the host (or gone since): the guest sees an empty directory
            }
            foreach (string hostPath in entries)
            {
                if (HostStat.Lstat(hostPath) is not { } s) continue;
                string? target = (s.Mode & StMode.TypeMask) == StMode.Symlink ? new FileInfo(hostPath).LinkTarget : null;
                AddEntry(dir, GuestName(Path.GetFileName(hostPath)), s, target == null ? null : GuestName(target));
            }
        }

        /// <summary>
        /// The same as the portable loop, by readdir and fstatat on the directory's descriptor: no host path per entry
        /// for the host kernel to walk, no .NET enumerator, names taken as the bytes they are. About 20,000 entries
        /// are read for busybox find over the benchmark tree, so this is most of a --root run's import cost.
        /// </summary>
        private unsafe void LoadEntriesNative(DirectoryNode dir)
        {
            int fd = HostCalls.Open(hostDirectory, HostCalls.ORdOnly | HostCalls.ODirectory | HostCalls.OCloexec);
            if (fd < 0) return;   // unreadable on the host (or gone since): the guest sees an empty directory
            nint stream = HostCalls.FdOpenDir(fd);
            if (stream == 0)
            {
                HostCalls.Close(fd);
                return;
            }
            try
            {
                byte* stat = stackalloc byte[256];
                byte* link = stackalloc byte[FileSystem.MaxPathLength];
                while (true)
                {
                    byte* entry = (byte*)HostCalls.ReadDir(stream);
                    if (entry == null) break;
                    byte* name = entry + 19;   // glibc x86-64 struct dirent: d_ino, d_off, d_reclen, d_type, d_name
                    int length = new ReadOnlySpan<byte>(name, 256).IndexOf((byte)0);
                    if (length <= 0 || (length == 1 && name[0] == '.') || (length == 2 && name[0] == '.' && name[1] == '.')) continue;
                    if (HostCalls.FstatAt(fd, name, stat, HostCalls.AtSymlinkNoFollow) != 0) continue;
                    var s = HostStat.FromLinuxX64(new ReadOnlySpan<byte>(stat, 256));
                    // Guest names are the host's bytes, one char per byte (what GuestName makes of a UTF-8 name).
                    string? target = null;
                    if ((s.Mode & StMode.TypeMask) == StMode.Symlink)
                    {
                        nint n = HostCalls.ReadLinkAt(fd, name, link, FileSystem.MaxPathLength);
                        if (n <= 0) continue;
                        target = Encoding.Latin1.GetString(link, (int)n);
                    }
                    AddEntry(dir, Encoding.Latin1.GetString(name, length), s, target);
                }
            }
            finally
            {
                HostCalls.CloseDir(stream);   // closes fd too
            }
        }

        /// <summary>Adds one host entry to the guest directory: a directory (read when first looked into), a regular file
        /// (its contents read from the host on demand; hard links share one inode), or a symlink with
        /// <paramref name="linkTarget"/>; anything else (devices, sockets, fifos) is skipped.</summary>
        private void AddEntry(DirectoryNode dir, string guestName, HostStat s, string? linkTarget)
        {
            var fs = import.FileSystem;
            Inode node;
            switch (s.Mode & StMode.TypeMask)
            {
                case StMode.Directory:
                    var sub = new DirectoryNode(fs, s.Mode, dir, fs.NextInodeNumber(), s.ModifyTime) { ReportedSize = s.Size };
                    sub.SetLoader(new HostDirectoryLoader(import, Path.Join(hostDirectory, HostName(guestName))));
                    node = sub;
                    break;
                case StMode.Regular:
                    if (s.LinkCount > 1 && import.HardLinks.TryGetValue(new HostFileId(s.Device, s.Inode), out var linked))
                    {
                        dir.Add(guestName, linked);
                        import.Entries++;
                        return;
                    }
                    var file = new RegularFile(fs, s.Mode, fs.NextInodeNumber(), s.ModifyTime);
                    var source = new HostFileSource(hostDirectory, guestName, s.Size);
                    import.Resources.Add(source);
                    file.SetSource(source);
                    file.LinkCount = (int)s.LinkCount;
                    if (s.LinkCount > 1) import.HardLinks[new HostFileId(s.Device, s.Inode)] = file;
                    node = file;
                    break;
                case StMode.Symlink when linkTarget != null:
                    node = new SymlinkNode(fs, linkTarget, fs.NextInodeNumber(), s.ModifyTime);
                    break;
                default:
                    return;
            }
            dir.Add(guestName, node);
            ApplyMetadata(node, s);
            import.Entries++;
        }
    }

    private static void ApplyMetadata(Inode node, HostStat s)
    {
        node.ImportedBlocks = s.Blocks;
        node.Mode = (node.Mode & StMode.TypeMask) | (s.Mode & StMode.PermissionMask);
        node.Uid = (int)s.Uid;
        node.Gid = (int)s.Gid;
        node.AccessTime = s.AccessTime;
        node.ModifyTime = s.ModifyTime;
        node.ChangeTime = s.ChangeTime;
    }

    /// <summary>Guest names are byte strings, kept as one char per byte (Latin-1); the host's are UTF-8.</summary>
    public static string GuestName(string hostName) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(hostName));

    /// <summary>The inverse of <see cref="GuestName"/>.</summary>
    public static string HostName(string guestName) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(guestName));
}

/// <summary>A host file's identity (st_dev, st_ino): the key that finds the other names of a hard-linked file.</summary>
internal readonly record struct HostFileId(ulong Device, ulong Inode);

/// <summary>One --root import: what its lazily read directories share, and what it has cost so far.</summary>
internal sealed class HostImport(FileSystem fs, List<IDisposable> resources)
{
    public FileSystem FileSystem { get; } = fs;

    /// <summary>Where the imported files' host handles are registered (closed at the end of the run).</summary>
    public List<IDisposable> Resources { get; } = resources;

    /// <summary>Hard-linked host files already imported, so their other names share the inode.</summary>
    public Dictionary<HostFileId, Inode> HardLinks { get; } = [];

    /// <summary>Entries read from the host so far.</summary>
    public int Entries { get; set; }

    /// <summary>Host time spent reading the host's directories and metadata so far (Stopwatch ticks).</summary>
    public long HostTicks { get; set; }

    public TimeSpan HostTime => TimeSpan.FromSeconds(HostTicks / (double)System.Diagnostics.Stopwatch.Frequency);
}

/// <summary>What lstat(2) says about a host file (Linux x86-64 layout of struct stat).</summary>
internal readonly partial record struct HostStat(ulong Device, ulong Inode, ulong LinkCount, int Mode, uint Uid, uint Gid, long Size, long Blocks,
    Timespec AccessTime, Timespec ModifyTime, Timespec ChangeTime)
{
    public static HostStat? Lstat(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return Portable(path);
        Span<byte> buf = stackalloc byte[256];
        if (NativeLstat(path, ref buf[0]) != 0) return null;
        return FromLinuxX64(buf);
    }

    internal static HostStat FromLinuxX64(ReadOnlySpan<byte> buf)
    {
        static ulong U64(ReadOnlySpan<byte> b, int o) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(b[o..]);
        static uint U32(ReadOnlySpan<byte> b, int o) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b[o..]);
        static long I64(ReadOnlySpan<byte> b, int o) => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(b[o..]);
        return new HostStat(U64(buf, 0), U64(buf, 8), U64(buf, 16), (int)U32(buf, 24), U32(buf, 28), U32(buf, 32), I64(buf, 48), I64(buf, 64),
            new Timespec(I64(buf, 72), I64(buf, 80)), new Timespec(I64(buf, 88), I64(buf, 96)), new Timespec(I64(buf, 104), I64(buf, 112)));
    }

    private static HostStat? Portable(string path)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (!info.Exists && info.LinkTarget == null) return null;
        int type = info.LinkTarget != null ? StMode.Symlink : info is DirectoryInfo ? StMode.Directory : StMode.Regular;
        long size = info is FileInfo f && info.LinkTarget == null ? f.Length : info.LinkTarget?.Length ?? 4096;
        var t = Timespec.FromDateTime(info.LastWriteTimeUtc);
        return new HostStat(0, 0, 1, type | (int)info.UnixFileMode, 0, 0, size, (size + 511) / 512, t, t, t);
    }

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int NativeLstat(string path, ref byte buffer);
}

/// <summary>The libc calls the native import uses (Linux x86-64).</summary>
internal static unsafe partial class HostCalls
{
    public const int ORdOnly = 0, ODirectory = 0x10000, OCloexec = 0x80000, AtSymlinkNoFollow = 0x100;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fdopendir")]
    public static partial nint FdOpenDir(int fd);

    [LibraryImport("libc", EntryPoint = "readdir")]
    public static partial nint ReadDir(nint stream);

    [LibraryImport("libc", EntryPoint = "closedir")]
    public static partial int CloseDir(nint stream);

    [LibraryImport("libc", EntryPoint = "fstatat")]
    public static partial int FstatAt(int dirfd, byte* name, byte* buffer, int flags);

    [LibraryImport("libc", EntryPoint = "readlinkat")]
    public static partial nint ReadLinkAt(int dirfd, byte* name, byte* buffer, nint size);
}
