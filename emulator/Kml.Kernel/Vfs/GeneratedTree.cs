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
            uint seed = Seed(i);
            yield return new GeneratedFile(dir, $"f{i:D6}.dat", Size(seed), seed);
        }
    }

    /// <summary>"fNNNNNN.dat" (at least six digits), formatted by hand: the loader makes 20,000 of them in a run.</summary>
    private static string FileName(int index)
    {
        if (index > 999_999) return $"f{index:D6}.dat";
        Span<char> name = stackalloc char[11];
        name[0] = 'f';
        for (int d = 6; d >= 1; d--, index /= 10) name[d] = (char)('0' + index % 10);
        ".dat".CopyTo(name[7..]);
        return new string(name);
    }

    private static uint Seed(int index) => (uint)index * 2654435761u + 12345u;

    private static int Size(uint seed) => (int)(seed % 3000u);

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

    /// <summary>
    /// Builds the tree in the in-memory file system under <paramref name="target"/>. The top directories are created
    /// now; each holds its leaf directories, and each leaf its files, only once looked at (<see cref="IDirectoryLoader"/>).
    /// Inode numbers are reserved for the whole tree and given by the creation order of a complete build (top, then
    /// each leaf followed by its files), so what the guest sees does not depend on the order it walks the tree in.
    /// </summary>
    internal static void Build(FileSystem fs, DirectoryNode target, int count)
    {
        if (count <= 0) return;
        var time = new Timespec(FixedTime, 0);
        int leaves = (count + FilesPerLeaf - 1) / FilesPerLeaf;
        int tops = (leaves + LeavesPerTop - 1) / LeavesPerTop;
        var tree = new Layout(fs, count, fs.ReserveInodeNumbers((long)count + leaves + tops), time);
        for (int top = 0; top < tops; top++)
        {
            var dir = new DirectoryNode(fs, 0x1ED, target, tree.TopNumber(top), time);
            dir.SetLoader(new TopLoader(tree, top));
            target.Add($"d{top:D2}", dir);
        }
        target.AccessTime = target.ModifyTime = target.ChangeTime = time;
    }

    /// <summary>The shape of one generated tree and the inode numbers of its parts.</summary>
    private sealed class Layout(FileSystem fs, int count, long firstNumber, Timespec time)
    {
        public FileSystem FileSystem => fs;
        public int Count => count;
        public Timespec Time => time;

        // In creation order, top T precedes its first leaf, leaf L precedes its first file, so:
        // top T = first + 1021 T, leaf L = first + 51 L + T + 1, file i = first + i + L + T + 2 (L = i / 50, T = L / 20).
        public long TopNumber(int top) => firstNumber + (long)top * (LeavesPerTop * (FilesPerLeaf + 1) + 1);

        public long LeafNumber(int leaf) => firstNumber + (long)leaf * (FilesPerLeaf + 1) + leaf / LeavesPerTop + 1;

        public long FileNumber(int index)
        {
            int leaf = index / FilesPerLeaf;
            return firstNumber + index + leaf + leaf / LeavesPerTop + 2;
        }
    }

    private sealed class TopLoader(Layout tree, int top) : IDirectoryLoader
    {
        public void Load(DirectoryNode directory)
        {
            int leaves = (tree.Count + FilesPerLeaf - 1) / FilesPerLeaf;
            for (int leaf = top * LeavesPerTop; leaf < Math.Min(leaves, (top + 1) * LeavesPerTop); leaf++)
            {
                var dir = new DirectoryNode(tree.FileSystem, 0x1ED, directory, tree.LeafNumber(leaf), tree.Time);
                dir.SetLoader(new LeafLoader(tree, leaf));
                directory.Add($"s{leaf % LeavesPerTop:D2}", dir);
            }
        }
    }

    private sealed class LeafLoader(Layout tree, int leaf) : IDirectoryLoader
    {
        public void Load(DirectoryNode directory)
        {
            int first = leaf * FilesPerLeaf, end = Math.Min(tree.Count, (leaf + 1) * FilesPerLeaf);
            directory.Reserve(end - first);
            for (int i = first; i < end; i++)
            {
                uint seed = Seed(i);
                var file = new RegularFile(tree.FileSystem, 0x1A4, tree.FileNumber(i), tree.Time);
                file.SetSource(new GeneratedContentSource(seed, Size(seed)));
                directory.Add(FileName(i), file);
            }
        }
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
