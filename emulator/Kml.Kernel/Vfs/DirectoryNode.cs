using Kml.Kernel.Abi;

namespace Kml.Kernel.Vfs;

/// <summary>
/// A directory: named entries in creation (or import) order, so getdents64 lists them in a stable order with
/// stable offsets: position 0 is ".", 1 is "..", and entry slot k is position k + 2. A removed entry leaves an
/// empty slot, so a reader's offset stays valid while the directory changes.
/// Hidden entries (the kernel's <c>/dev</c>, <c>/proc</c>, the binary being run) resolve but are not listed,
/// so the guest's view of an imported tree lists exactly the host's files.
/// </summary>
internal sealed class DirectoryNode : Inode
{
    private readonly List<Entry?> _slots = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private Dictionary<string, Inode>? _hidden;

    public DirectoryNode(FileSystem fs, int mode, DirectoryNode? parent) : base(fs, StMode.Directory | (mode & StMode.PermissionMask))
    {
        Parent = parent ?? this;
        LinkCount = 2;
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

    public int Count => _index.Count;

    public IEnumerable<Entry> Entries => _slots.Where(e => e != null)!;

    public Inode? Lookup(string name)
    {
        if (_index.TryGetValue(name, out int slot)) return _slots[slot]!.Node;
        if (_hidden != null && _hidden.TryGetValue(name, out var node)) return node;
        return null;
    }

    /// <summary>True if <paramref name="name"/> is a listed (not hidden) entry.</summary>
    public bool ContainsListed(string name) => _index.ContainsKey(name);

    /// <summary>Adds a listed entry; the caller checked that the name is free.</summary>
    public void Add(string name, Inode node)
    {
        _index.Add(name, _slots.Count);
        _slots.Add(new Entry(name, node));
        if (node is DirectoryNode dir)
        {
            dir.Parent = this;
            dir.Name = name;
            LinkCount++;
        }
    }

    /// <summary>Adds an entry that resolves but is not listed and not counted.</summary>
    public void AddHidden(string name, Inode node)
    {
        _hidden ??= new(StringComparer.Ordinal);
        _hidden[name] = node;
        if (node is DirectoryNode dir && dir.Parent == dir)
        {
            dir.Parent = this;
            dir.Name = name;
        }
    }

    public bool Remove(string name)
    {
        if (!_index.Remove(name, out int slot)) return false;
        var node = _slots[slot]!.Node;
        _slots[slot] = null;
        if (node is DirectoryNode) LinkCount--;
        return true;
    }

    /// <summary>The entry at getdents position <paramref name="position"/> or the next one after a removed slot; null at the end.</summary>
    public (string Name, Inode Node, long Position)? EntryAt(long position)
    {
        if (position == 0) return (".", this, 0);
        if (position == 1) return ("..", Parent, 1);
        for (long slot = position - 2; slot < _slots.Count; slot++)
        {
            var e = _slots[(int)slot];
            if (e != null) return (e.Name, e.Node, slot + 2);
        }
        return null;
    }
}
