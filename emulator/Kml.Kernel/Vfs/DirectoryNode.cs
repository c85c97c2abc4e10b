using Kml.Kernel.Abi;

namespace Kml.Kernel.Vfs;

/// <summary>
/// A directory: named entries in creation (or import) order, so getdents64 lists them in a stable order with
/// stable offsets: position 0 is ".", 1 is "..", and entry slot k is position k + 2. A removed entry leaves an
/// empty slot, so a reader's offset stays valid while the directory changes.
/// Hidden entries (the kernel's <c>/dev</c>, <c>/proc</c>, the binary being run) resolve but are not listed,
/// so the guest's view of an imported tree lists exactly the host's files.
/// A directory may be filled lazily (<see cref="IDirectoryLoader"/>): its entries are created on the first look at
/// them (a lookup, a listing, its link count), so a large imported or generated tree costs nothing until walked.
/// </summary>
internal sealed class DirectoryNode : Inode
{
    // The entries in slot order, and an open-addressing index over them keyed by name. Lookups take the name as a
    // span (path resolution walks a path in place, without a string per component) and the index is plain arrays:
    // Dictionary<string, int> needed a string per lookup, and its instantiations over our types are JIT-compiled at
    // start-up instead of precompiled (docs/kernel.md, "Host cost of a system call").
    private string?[] _names = [];   // null: a removed slot
    private Inode?[] _nodes = [];
    private int[] _hashes = [];
    private int _slotCount;
    private int[] _buckets = [];   // slot + 1; 0 = empty; -1 = removed (a tombstone)
    private int _used;             // buckets that are not empty (live and tombstones)
    private int _live;
    private Entry[]? _hidden;
    private IDirectoryLoader? _loader;

    public DirectoryNode(FileSystem fs, int mode, DirectoryNode? parent) : base(fs, StMode.Directory | (mode & StMode.PermissionMask))
    {
        Parent = parent ?? this;
        base.LinkCount = 2;
    }

    /// <summary>A directory with a given inode number and times (generated and imported trees; see <see cref="Inode"/>).</summary>
    public DirectoryNode(FileSystem fs, int mode, DirectoryNode? parent, long number, Timespec time)
        : base(fs, StMode.Directory | (mode & StMode.PermissionMask), number, time)
    {
        Parent = parent ?? this;
        base.LinkCount = 2;
    }

    /// <summary>A named entry.</summary>
    public sealed record Entry(string Name, Inode Node);

    /// <summary>The directory ".." names (the root is its own parent).</summary>
    public DirectoryNode Parent { get; internal set; }

    /// <summary>The name of this directory in its parent (empty for the root).</summary>
    public string Name { get; internal set; } = "";

    /// <summary>False once the directory was removed (rmdir), so nothing new can be created in it.</summary>
    public bool IsLive { get; internal set; } = true;

    /// <summary>st_size as the host reported it for imported directories; 4096 for new ones (as on ext4).</summary>
    public long ReportedSize { get; set; } = 4096;

    public override long Size => ReportedSize;

    /// <summary>st_nlink: 2 plus one per subdirectory, so a lazily filled directory is filled first.</summary>
    public override int LinkCount
    {
        get
        {
            EnsureLoaded();
            return base.LinkCount;
        }
        set
        {
            EnsureLoaded();
            base.LinkCount = value;
        }
    }

    public int Count
    {
        get
        {
            EnsureLoaded();
            return _live;
        }
    }

    public IEnumerable<Entry> Entries
    {
        get
        {
            EnsureLoaded();
            for (int i = 0; i < _slotCount; i++)
                if (_names[i] is { } name) yield return new Entry(name, _nodes[i]!);
        }
    }

    /// <summary>Fills the directory from <paramref name="loader"/> on first use instead of now.</summary>
    public void SetLoader(IDirectoryLoader loader) => _loader = loader;

    /// <summary>True until a lazily filled directory has been filled.</summary>
    public bool IsPending => _loader != null;

    private void EnsureLoaded()
    {
        if (_loader is { } loader)
        {
            _loader = null;   // first, so that the loader's own Add calls do not recurse
            loader.Load(this);
        }
    }

    public Inode? Lookup(string name) => Lookup(name.AsSpan());

    public Inode? Lookup(ReadOnlySpan<char> name)
    {
        EnsureLoaded();
        int slot = Find(name, NameHash(name));
        if (slot >= 0) return _nodes[slot];
        if (_hidden != null)
            foreach (var e in _hidden)
                if (name.SequenceEqual(e.Name)) return e.Node;
        return null;
    }

    /// <summary>True if <paramref name="name"/> is a listed (not hidden) entry.</summary>
    public bool ContainsListed(string name)
    {
        EnsureLoaded();
        return Find(name, NameHash(name)) >= 0;
    }

    /// <summary>Adds a listed entry; the caller checked that the name is free.</summary>
    public void Add(string name, Inode node)
    {
        EnsureLoaded();
        int hash = NameHash(name);
        if (Find(name, hash) >= 0) throw new ArgumentException($"an entry named '{name}' already exists", nameof(name));
        if ((_used + 1) * 2 > _buckets.Length) Rehash(Math.Max(_live + 1, 4));
        if (_slotCount == _names.Length) Grow(Math.Max(4, _slotCount * 2));
        int slot = _slotCount++;
        _names[slot] = name;
        _nodes[slot] = node;
        _hashes[slot] = hash;
        int mask = _buckets.Length - 1;
        int i = hash & mask;
        while (_buckets[i] > 0) i = (i + 1) & mask;
        if (_buckets[i] == 0) _used++;
        _buckets[i] = slot + 1;
        _live++;
        if (node is DirectoryNode dir)
        {
            dir.Parent = this;
            dir.Name = name;
            base.LinkCount++;
        }
    }

    /// <summary>Makes room for <paramref name="entries"/> more entries at once (a loader that knows how many it adds).</summary>
    public void Reserve(int entries)
    {
        if (_slotCount + entries > _names.Length) Grow(_slotCount + entries);
        if ((_used + entries) * 2 > _buckets.Length) Rehash(_live + entries);
    }

    private void Grow(int capacity)
    {
        Array.Resize(ref _names, capacity);
        Array.Resize(ref _nodes, capacity);
        Array.Resize(ref _hashes, capacity);
    }

    /// <summary>Adds an entry that resolves but is not listed and not counted.</summary>
    public void AddHidden(string name, Inode node)
    {
        var entry = new Entry(name, node);
        int existing = _hidden == null ? -1 : Array.FindIndex(_hidden, e => e.Name == name);
        if (existing >= 0) _hidden![existing] = entry;
        else _hidden = [.. _hidden ?? [], entry];
        if (node is DirectoryNode dir && dir.Parent == dir)
        {
            dir.Parent = this;
            dir.Name = name;
        }
    }

    public bool Remove(string name)
    {
        EnsureLoaded();
        int hash = NameHash(name);
        int mask = _buckets.Length - 1;
        if (_buckets.Length == 0) return false;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            int b = _buckets[i];
            if (b == 0) return false;
            if (b > 0 && _hashes[b - 1] == hash && _names[b - 1] == name)
            {
                _buckets[i] = -1;
                var node = _nodes[b - 1];
                _names[b - 1] = null;
                _nodes[b - 1] = null;
                _live--;
                if (node is DirectoryNode) base.LinkCount--;
                return true;
            }
        }
    }

    /// <summary>
    /// The entry at getdents position <paramref name="position"/> or the next one after a removed slot; false at the end.
    /// <paramref name="at"/> is the position of the entry found.
    /// </summary>
    public bool TryGetEntryAt(long position, out string name, out Inode node, out long at)
    {
        EnsureLoaded();
        at = position;
        if (position == 0)
        {
            name = ".";
            node = this;
            return true;
        }
        if (position == 1)
        {
            name = "..";
            node = Parent;
            return true;
        }
        for (long slot = Math.Max(0, position - 2); slot < _slotCount; slot++)
        {
            if (_names[slot] is { } n)
            {
                name = n;
                node = _nodes[slot]!;
                at = slot + 2;
                return true;
            }
        }
        name = null!;
        node = null!;
        return false;
    }

    /// <summary>The entry at getdents position <paramref name="position"/> or the next one after a removed slot; null at the end.</summary>
    public (string Name, Inode Node, long Position)? EntryAt(long position) =>
        TryGetEntryAt(position, out string name, out var node, out long at) ? (name, node, at) : null;

    private int Find(ReadOnlySpan<char> name, int hash)
    {
        if (_buckets.Length == 0) return -1;
        int mask = _buckets.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            int b = _buckets[i];
            if (b == 0) return -1;
            if (b > 0 && _hashes[b - 1] == hash && name.SequenceEqual(_names[b - 1])) return b - 1;
        }
    }

    /// <summary>Rebuilds the index for at least <paramref name="entries"/> live entries, dropping tombstones.</summary>
    private void Rehash(int entries)
    {
        int size = 8;
        while (size < entries * 2 + 2) size *= 2;
        var buckets = new int[size];
        int mask = size - 1;
        for (int slot = 0; slot < _slotCount; slot++)
        {
            if (_names[slot] == null) continue;
            int i = _hashes[slot] & mask;
            while (buckets[i] != 0) i = (i + 1) & mask;
            buckets[i] = slot + 1;
        }
        _buckets = buckets;
        _used = _live;
    }

    private static int NameHash(ReadOnlySpan<char> name) => string.GetHashCode(name);
}

/// <summary>Fills a lazily populated directory (see <see cref="DirectoryNode.SetLoader"/>) with its entries.</summary>
internal interface IDirectoryLoader
{
    /// <summary>Adds the entries of <paramref name="directory"/> (with <see cref="DirectoryNode.Add"/>); called once.</summary>
    void Load(DirectoryNode directory);
}
