using Kml.Kernel.Abi;

namespace Kml.Kernel.Vfs;

/// <summary>
/// A deterministic file tree for benchmarks (<c>--gen-tree N</c>): N files under two levels of directories
/// (<c>dNN/sNN/fNNNNNN.dat</c>, 50 files per leaf directory, 20 leaves per top directory), sizes from a fixed
/// formula, contents from a fixed generator, times fixed. The same tree can be written to the host
/// (<see cref="WriteToHost"/>) so native runs see identical files.
/// </summary>
public static class GeneratedTree
{
    private const int FilesPerLeaf = 50;
    private const int LeavesPerTop = 20;

    /// <summary>The fixed modification time of every generated file and directory (2024-01-01T00:00:00Z).</summary>
    public const long FixedTime = 1704067200;

    /// <summary>One file of the tree.</summary>
    /// <param name="Directory">Its directory, relative, with '/' separators.</param>
    /// <param name="Name">Its name.</param>
    /// <param name="Size">Its size in bytes.</param>
    /// <param name="Seed">The seed of its content.</param>
    public readonly record struct GeneratedFile(string Directory, string Name, int Size, uint Seed);

    /// <summary>The files of a tree of <paramref name="count"/> files, in creation order.</summary>
    public static IEnumerable<GeneratedFile> Files(int count)
    {
        for (int i = 0; i < count; i++)
        {
            int leaf = i / FilesPerLeaf;
            string dir = $"d{leaf / LeavesPerTop:D2}/s{leaf % LeavesPerTop:D2}";
            uint seed = (uint)i * 2654435761u + 12345u;
            int size = (int)(seed % 3000u);
            yield return new GeneratedFile(dir, $"f{i:D6}.dat", size, seed);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> with the content of a file at <paramref name="offset"/>.</summary>
    public static void Content(uint seed, long offset, Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            long pos = offset + i;
            // Printable text with a line break every 64 bytes, varying per file.
            buffer[i] = (pos % 64) == 63 ? (byte)'\n' : (byte)('a' + (int)((seed + (uint)pos * 7u) % 26u));
        }
    }

    /// <summary>Writes the tree under <paramref name="hostDirectory"/> (for native and qemu runs).</summary>
    public static void WriteToHost(string hostDirectory, int count)
    {
        var fixedTime = DateTime.UnixEpoch.AddSeconds(FixedTime);
        var dirs = new HashSet<string>();
        foreach (var f in Files(count))
        {
            string dir = Path.Combine(hostDirectory, f.Directory);
            if (dirs.Add(dir)) Directory.CreateDirectory(dir);
            var bytes = new byte[f.Size];
            Content(f.Seed, 0, bytes);
            string path = Path.Combine(dir, f.Name);
            File.WriteAllBytes(path, bytes);
            File.SetLastWriteTimeUtc(path, fixedTime);
        }
        foreach (string dir in dirs.OrderByDescending(d => d.Length))
        {
            Directory.SetLastWriteTimeUtc(dir, fixedTime);
            string? parent = Path.GetDirectoryName(dir);
            if (parent != null && parent.Length > hostDirectory.Length) Directory.SetLastWriteTimeUtc(parent, fixedTime);
        }
    }

    /// <summary>Builds the tree in the in-memory file system under <paramref name="target"/>.</summary>
    internal static void Build(FileSystem fs, DirectoryNode target, int count)
    {
        var time = new Timespec(FixedTime, 0);
        var dirs = new Dictionary<string, DirectoryNode>(StringComparer.Ordinal);
        foreach (var f in Files(count))
        {
            if (!dirs.TryGetValue(f.Directory, out var dir))
            {
                dir = target;
                foreach (string part in f.Directory.Split('/'))
                {
                    if (dir.Lookup(part) is DirectoryNode existing) { dir = existing; continue; }
                    var created = new DirectoryNode(fs, 0x1ED, dir);
                    dir.Add(part, created);
                    dir = created;
                }
                dirs[f.Directory] = dir;
            }
            var file = new RegularFile(fs, 0x1A4);
            file.SetSource(new GeneratedContentSource(f.Seed, f.Size));
            file.AccessTime = file.ModifyTime = file.ChangeTime = time;
            dir.Add(f.Name, file);
        }
        foreach (var dir in dirs.Values.Append(target).Concat(dirs.Values.Select(d => d.Parent)))
            dir.AccessTime = dir.ModifyTime = dir.ChangeTime = time;
    }

    private sealed class GeneratedContentSource(uint seed, int size) : IContentSource
    {
        public long Length => size;

        public int Read(long offset, Span<byte> buffer)
        {
            Content(seed, offset, buffer);
            return buffer.Length;
        }
    }
}
