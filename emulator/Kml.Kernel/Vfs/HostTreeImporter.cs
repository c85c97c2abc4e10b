using System.Runtime.InteropServices;
using System.Text;
using Kml.Kernel.Abi;

namespace Kml.Kernel.Vfs;

/// <summary>
/// Copies a host directory tree into the in-memory file system: names in the host's readdir order, metadata
/// (mode, owner, times, sizes, hard links) from lstat, file contents lazily from the host on first read.
/// The host is never written. Sockets, FIFOs and device files are skipped: they have no meaning in the guest.
/// </summary>
internal static partial class HostTreeImporter
{
    /// <summary>Imports the contents of <paramref name="hostDirectory"/> into <paramref name="target"/>; returns the number of entries.</summary>
    public static int Import(FileSystem fs, string hostDirectory, DirectoryNode target, List<IDisposable> resources)
    {
        if (!Directory.Exists(hostDirectory))
            throw new DirectoryNotFoundException($"{hostDirectory}: no such directory (--root)");
        var root = HostStat.Lstat(hostDirectory);
        if (root is { } r) ApplyMetadata(target, r);
        var hardLinks = new Dictionary<(ulong, ulong), Inode>();
        int count = 0;
        ImportDirectory(fs, hostDirectory, target, hardLinks, resources, ref count);
        if (root is { } r2) ApplyTimes(target, r2);   // adding entries touched the directory
        return count;
    }

    private static void ImportDirectory(FileSystem fs, string hostDir, DirectoryNode dir, Dictionary<(ulong, ulong), Inode> hardLinks,
        List<IDisposable> resources, ref int count)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(hostDir).ToList();
        }
        catch (UnauthorizedAccessException)
        {
            return;   // unreadable on the host: the guest sees an empty directory
        }
        foreach (string hostPath in entries)
        {
            var st = HostStat.Lstat(hostPath);
            if (st is not { } s) continue;
            string name = GuestName(Path.GetFileName(hostPath));
            Inode node;
            switch (s.Mode & StMode.TypeMask)
            {
                case StMode.Directory:
                    var sub = new DirectoryNode(fs, s.Mode, dir) { ReportedSize = s.Size };
                    dir.Add(name, sub);
                    ImportDirectory(fs, hostPath, sub, hardLinks, resources, ref count);
                    node = sub;
                    break;
                case StMode.Regular:
                    if (s.LinkCount > 1 && hardLinks.TryGetValue((s.Device, s.Inode), out var linked))
                    {
                        dir.Add(name, linked);
                        count++;
                        continue;
                    }
                    var file = new RegularFile(fs, s.Mode);
                    var source = new HostFileSource(hostPath, s.Size);
                    resources.Add(source);
                    file.SetSource(source);
                    file.LinkCount = (int)s.LinkCount;
                    if (s.LinkCount > 1) hardLinks[(s.Device, s.Inode)] = file;
                    dir.Add(name, file);
                    node = file;
                    break;
                case StMode.Symlink:
                    string? target = new FileInfo(hostPath).LinkTarget;
                    if (target == null) continue;
                    node = new SymlinkNode(fs, GuestName(target));
                    dir.Add(name, node);
                    break;
                default:
                    continue;
            }
            ApplyMetadata(node, s);
            count++;
        }
    }

    private static void ApplyMetadata(Inode node, HostStat s)
    {
        node.ImportedBlocks = s.Blocks;
        node.Mode = (node.Mode & StMode.TypeMask) | (s.Mode & StMode.PermissionMask);
        node.Uid = (int)s.Uid;
        node.Gid = (int)s.Gid;
        ApplyTimes(node, s);
    }

    private static void ApplyTimes(Inode node, HostStat s)
    {
        node.AccessTime = s.AccessTime;
        node.ModifyTime = s.ModifyTime;
        node.ChangeTime = s.ChangeTime;
    }

    /// <summary>Guest names are byte strings, kept as one char per byte (Latin-1); the host's are UTF-8.</summary>
    public static string GuestName(string hostName) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(hostName));

    /// <summary>The inverse of <see cref="GuestName"/>.</summary>
    public static string HostName(string guestName) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(guestName));
}

/// <summary>What lstat(2) says about a host file (Linux x86-64 layout of struct stat).</summary>
internal readonly partial record struct HostStat(ulong Device, ulong Inode, ulong LinkCount, int Mode, uint Uid, uint Gid, long Size, long Blocks,
    Timespec AccessTime, Timespec ModifyTime, Timespec ChangeTime)
{
    public static HostStat? Lstat(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return Portable(path);
        var buf = new byte[256];
        if (NativeLstat(path, ref buf[0]) != 0) return null;
        ulong U64(int o) => BitConverter.ToUInt64(buf, o);
        uint U32(int o) => BitConverter.ToUInt32(buf, o);
        long I64(int o) => BitConverter.ToInt64(buf, o);
        return new HostStat(U64(0), U64(8), U64(16), (int)U32(24), U32(28), U32(32), I64(48), I64(64),
            new Timespec(I64(72), I64(80)), new Timespec(I64(88), I64(96)), new Timespec(I64(104), I64(112)));
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
