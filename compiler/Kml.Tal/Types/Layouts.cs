namespace Kml.Tal.Types;

/// <summary>
/// The struct table of one program (plus the kernel interface's records), with sizes and flattened cells.
/// Built once from validated definitions: construction rejects unknown names, overlapping or
/// out-of-range fields and inline cycles, so later lookups cannot fail.
/// </summary>
public sealed class Layouts
{
    /// <summary>The largest struct or element size accepted (keeps size arithmetic far from overflow).</summary>
    public const int MaxObjectSize = 1 << 16;

    /// <summary>The most bytes all structs of one program may add up to (bounds the work of flattening them).</summary>
    public const int MaxTotalBytes = 1 << 22;

    /// <summary>The deepest nesting of inline structs.</summary>
    public const int MaxInlineDepth = 64;

    private long _totalCells;
    private readonly Dictionary<string, StructDef> _structs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Cell[]> _cells = new(StringComparer.Ordinal);

    /// <summary>Builds and validates the table; throws <see cref="InvalidDataException"/> naming the struct and field.</summary>
    public Layouts(IEnumerable<StructDef> structs)
    {
        foreach (var s in structs)
        {
            if (!_structs.TryAdd(s.Name, s))
                throw new InvalidDataException($"struct {s.Name} is defined twice");
        }
        foreach (var s in _structs.Values) Flatten(s.Name, new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>All structs.</summary>
    public IEnumerable<StructDef> Structs => _structs.Values;

    /// <summary>Whether a struct of that name exists.</summary>
    public bool Contains(string name) => _structs.ContainsKey(name);

    /// <summary>The struct of that name.</summary>
    public StructDef Struct(string name) =>
        _structs.TryGetValue(name, out var s) ? s : throw new InvalidDataException($"unknown struct {name}");

    /// <summary>The cells of a struct, sorted by offset.</summary>
    public Cell[] Cells(string name) =>
        _cells.TryGetValue(name, out var c) ? c : throw new InvalidDataException($"unknown struct {name}");

    /// <summary>The size in bytes of a field type.</summary>
    public int SizeOf(FieldType type) => type switch
    {
        ScalarField s => s.Kind.Size(),
        PointerField => 4,
        InlineField i => Struct(i.StructName).Size,
        _ => throw new InvalidDataException("unknown field type"),
    };

    /// <summary>The cells of a field type placed at offset 0 (an array element, for instance).</summary>
    public Cell[] CellsOf(FieldType type, bool mutable, string name)
    {
        var list = new List<Cell>();
        AddCells(list, type, 0, mutable, name);
        return [.. list];
    }

    /// <summary>Validates a heap type: every struct it names exists (recursively through pointer element types).</summary>
    public void Validate(HeapType heap)
    {
        switch (heap)
        {
            case StructHeap s: Struct(s.Name); break;
            case ArrayHeap a: ValidateField(a.Element); if (SizeOf(a.Element) == 0) throw new InvalidDataException("array element of size 0"); break;
        }
    }

    /// <summary>Validates a field type.</summary>
    public void ValidateField(FieldType type)
    {
        switch (type)
        {
            case InlineField i: Struct(i.StructName); break;
            case PointerField p: Validate(p.Pointer.Target); break;
        }
    }

    /// <summary>Whether all-zero memory is a valid value of the type: integers and nullable pointers only.</summary>
    public bool IsZeroValid(FieldType type) => CellsOf(type, true, "").All(c => c.Pointer is null || c.Pointer.Nullable);

    /// <summary>Whether a struct has a mutable cell (such an object may not live in read-only data).</summary>
    public bool HasMutableCell(string name) => Cells(name).Any(c => c.Mutable);

    private Cell[] Flatten(string name, HashSet<string> inProgress)
    {
        if (_cells.TryGetValue(name, out var done)) return done;
        if (!_structs.TryGetValue(name, out var s)) throw new InvalidDataException($"unknown struct {name}");
        if (!inProgress.Add(name)) throw new InvalidDataException($"struct {name} contains itself inline");
        // Bounds the recursion: a hostile chain of inline structs must not exhaust the stack.
        if (inProgress.Count > MaxInlineDepth) throw new InvalidDataException($"struct {name}: structs nested inline more than {MaxInlineDepth} deep");
        if (s.Size <= 0 || s.Size > MaxObjectSize)
            throw new InvalidDataException($"struct {name}: size {s.Size} out of range 1..{MaxObjectSize}");
        // Fields are checked for overlap before they are flattened, so a struct has at most Size cells.
        var fields = new List<(FieldDef Field, int Size)>();
        foreach (var f in s.Fields)
        {
            if (f.Type is InlineField inl) Flatten(inl.StructName, inProgress);
            if (f.Type is PointerField p) ValidatePointerTarget(p.Pointer.Target);
            var size = SizeOf(f.Type);
            if (f.Offset < 0 || (long)f.Offset + size > s.Size)
                throw new InvalidDataException($"struct {name}: field {f.Name} at {f.Offset} (size {size}) does not fit in {s.Size} bytes");
            fields.Add((f, size));
        }
        fields.Sort((a, b) => a.Field.Offset.CompareTo(b.Field.Offset));
        for (var i = 1; i < fields.Count; i++)
            if (fields[i].Field.Offset < fields[i - 1].Field.Offset + fields[i - 1].Size)
                throw new InvalidDataException($"struct {name}: field {fields[i].Field.Name} overlaps {fields[i - 1].Field.Name}");
        _totalCells += s.Size;
        if (_totalCells > MaxTotalBytes) throw new InvalidDataException($"structs total more than {MaxTotalBytes} bytes");
        var list = new List<Cell>();
        foreach (var (f, _) in fields) AddCells(list, f.Type, f.Offset, f.Mutable, f.Name);
        inProgress.Remove(name);
        var cells = list.ToArray();
        _cells[name] = cells;
        return cells;
    }

    // Pointer targets may be recursive (a list node points to a node), so only existence is checked here.
    private void ValidatePointerTarget(HeapType heap)
    {
        switch (heap)
        {
            case StructHeap s when !_structs.ContainsKey(s.Name): throw new InvalidDataException($"unknown struct {s.Name}");
            case ArrayHeap { Element: InlineField i } when !_structs.ContainsKey(i.StructName): throw new InvalidDataException($"unknown struct {i.StructName}");
            case ArrayHeap { Element: PointerField p }: ValidatePointerTarget(p.Pointer.Target); break;
        }
    }

    private void AddCells(List<Cell> list, FieldType type, int offset, bool mutable, string name)
    {
        switch (type)
        {
            case ScalarField { Kind: ScalarKind.I64 or ScalarKind.U64 }:
                list.Add(new Cell(offset, 4, null, mutable, name + ".lo"));
                list.Add(new Cell(offset + 4, 4, null, mutable, name + ".hi"));
                break;
            case ScalarField s:
                list.Add(new Cell(offset, s.Kind.Size(), null, mutable, name));
                break;
            case PointerField p:
                list.Add(new Cell(offset, 4, p.Pointer, mutable, name));
                break;
            case InlineField i:
                foreach (var c in Flatten(i.StructName, new HashSet<string>(StringComparer.Ordinal)))
                    list.Add(c with { Offset = offset + c.Offset, Mutable = mutable && c.Mutable, Name = name + "." + c.Name });
                break;
        }
    }
}
