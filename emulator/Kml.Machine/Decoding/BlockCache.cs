namespace Kml.Machine.Decoding;

/// <summary>
/// Decoded blocks by (linear, physical) start address, with a direct-mapped front table, and per physical page
/// the list of blocks decoded from it so a write to the page invalidates exactly those.
/// </summary>
internal sealed class BlockCache
{
    private const int FrontSize = 1 << 14;
    private readonly Cpu _cpu;
    private readonly Dictionary<ulong, Block> _all = new();
    private readonly Block?[] _front = new Block?[FrontSize];
    private readonly List<Block>?[] _byPage;

    public BlockCache(Cpu cpu)
    {
        _cpu = cpu;
        _byPage = new List<Block>?[cpu.Memory.Size / PhysicalMemory.PageSize];
    }

    public int Count => _all.Count;

    private static ulong Key(uint linear, uint phys) => ((ulong)linear << 32) | phys;
    private static int FrontIndex(uint linear, uint phys) => (int)((linear ^ (linear >> 14) ^ (phys >> 7)) & (FrontSize - 1));

    public Block? Find(uint linear, uint phys)
    {
        var b = _front[FrontIndex(linear, phys)];
        if (b != null && b.Linear == linear && b.Phys == phys) return b;
        if (_all.TryGetValue(Key(linear, phys), out b))
        {
            _front[FrontIndex(linear, phys)] = b;
            return b;
        }
        return null;
    }

    public void Add(Block b)
    {
        _all[Key(b.Linear, b.Phys)] = b;
        _front[FrontIndex(b.Linear, b.Phys)] = b;
        Register(b.Phys >> 12, b);
        if (b.Phys2 != Block.NoPage) Register(b.Phys2 >> 12, b);
        _cpu.Statistics.BlocksBuilt++;
    }

    private void Register(uint page, Block b)
    {
        var list = _byPage[page] ??= new List<Block>();
        list.Add(b);
        if (_cpu.Memory.CodePages[page] == 0)
        {
            _cpu.Memory.CodePages[page] = 1;
            _cpu.TlbSet.FlushWritesToPhysicalPage(page);
        }
    }

    /// <summary>Called by <see cref="PhysicalMemory"/> writes.</summary>
    public void OnCodePageWritten(uint page) => InvalidatePage(page);

    public void InvalidatePage(uint page)
    {
        var list = _byPage[page];
        _cpu.Memory.CodePages[page] = 0;
        if (list == null) return;
        foreach (var b in list)
        {
            if (!b.Valid) continue;
            b.Valid = false;
            b.Native?.Invalidate();
            var key = Key(b.Linear, b.Phys);
            if (_all.TryGetValue(key, out var cur) && cur == b) _all.Remove(key);
            int fi = FrontIndex(b.Linear, b.Phys);
            if (_front[fi] == b) _front[fi] = null;
            _cpu.Statistics.BlocksInvalidated++;
        }
        list.Clear();
    }

    public void Clear()
    {
        foreach (var b in _all.Values) { b.Valid = false; b.Native?.Invalidate(); }
        _all.Clear();
        Array.Clear(_front);
        for (int i = 0; i < _byPage.Length; i++)
        {
            if (_byPage[i] != null) { _byPage[i] = null; _cpu.Memory.CodePages[i] = 0; }
        }
    }
}
