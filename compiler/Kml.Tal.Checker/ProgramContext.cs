using System.Buffers.Binary;
using Kml.Tal.Annotations;
using Kml.Tal.Elf;
using Kml.Tal.Interface;
using Kml.Tal.Types;

namespace Kml.Tal.Checker;

/// <summary>A checked static object: its extent, its pointer type, and (for arrays) its length and element cells.</summary>
internal sealed record StaticObject(DataObject Object, uint End, bool ReadOnly, PtrType Pointer, uint Length, int ElementSize, Cell[] Cells);

/// <summary>
/// Everything the instruction pass needs, built and validated from the object before it: layouts (the
/// program's structs plus the kernel's records), labels by offset, typed static data, import slots.
/// Problems found here are reported as diagnostics, not exceptions.
/// </summary>
internal sealed class ProgramContext
{
    public required TalObject Object { get; init; }
    public required TalAnnotations Annotations { get; init; }
    public required Layouts Layouts { get; init; }
    public Dictionary<uint, LabelAnnotation> Labels { get; } = [];
    public List<StaticObject> Statics { get; } = [];
    public List<ImportSignature?> Imports { get; } = [];
    public List<FieldType?> ImportArguments { get; } = [];
    private readonly Dictionary<FieldType, Cell[]> _elementCells = [];

    /// <summary>Builds the context, adding any problems to <paramref name="diagnostics"/>. Returns null when the rest cannot be checked.</summary>
    public static ProgramContext? Build(TalObject obj, TalAnnotations a, List<CheckerDiagnostic> diagnostics)
    {
        foreach (var s in a.Structs)
            if (s.Name.StartsWith("kml.", StringComparison.Ordinal) || KernelInterface.Entries.ContainsKey(s.Name))
            {
                diagnostics.Add(new("struct " + s.Name, Rules.ReservedName, ""));
                return null;
            }
        Layouts layouts;
        try { layouts = new Layouts(a.Structs.Concat(KernelInterface.Records)); }
        catch (InvalidDataException e) { diagnostics.Add(new("structs", Rules.BadAnnotation, e.Message)); return null; }

        var ctx = new ProgramContext { Object = obj, Annotations = a, Layouts = layouts };
        ctx.CheckLabels(diagnostics);
        ctx.CheckData(diagnostics);
        ctx.CheckImports(diagnostics);
        return ctx;
    }

    /// <summary>The cells of an array element type (cached).</summary>
    public Cell[] ElementCells(FieldType element)
    {
        if (!_elementCells.TryGetValue(element, out var cells))
            _elementCells[element] = cells = Layouts.CellsOf(element, true, "element");
        return cells;
    }

    /// <summary>The static object containing an address, or null.</summary>
    public StaticObject? StaticAt(uint address)
    {
        int lo = 0, hi = Statics.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var s = Statics[mid];
            if (address < s.Object.Address) hi = mid - 1;
            else if (address >= s.End) lo = mid + 1;
            else return s;
        }
        return null;
    }

    private void CheckLabels(List<CheckerDiagnostic> d)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var textLength = (uint)Object.Text.Bytes.Length;
        foreach (var l in Annotations.Labels)
        {
            string Where() => $"label {l.Name}@0x{l.Offset:x4}"; // built only for a message
            if (l.Offset >= textLength) { d.Add(new(Where(), Rules.LabelOutsideText, $"expected an offset below 0x{textLength:x4}")); continue; }
            if (l.Name.Length > 0 && KernelInterface.IsReservedName(l.Name)) { d.Add(new(Where(), Rules.ReservedName, "")); continue; }
            if (l.Name.Length > 0 && !names.Add(l.Name)) { d.Add(new(Where(), Rules.DuplicateName, "")); continue; }
            var problem = WellFormed(l.Type);
            if (problem is not null) { d.Add(new(Where(), problem.Value.Rule, problem.Value.Detail)); continue; }
            Labels[l.Offset] = l;
        }
    }

    /// <summary>
    /// A label's code type is well formed when every struct it names exists, every refinement names a
    /// register holding an array pointer in the same code type, refinements stay out of stack slots, and
    /// every type variable inside a return type is bound at top level by the label's own annotation.
    /// </summary>
    // Labels share their code type objects (the reader interns them), so each is checked once.
    private readonly Dictionary<CodeType, (string Rule, string Detail)?> _wellFormed = new(ReferenceEqualityComparer.Instance);

    private (string Rule, string Detail)? WellFormed(CodeType t)
    {
        if (_wellFormed.TryGetValue(t, out var known)) return known;
        var result = CheckWellFormed(t);
        _wellFormed[t] = result;
        return result;
    }

    private (string Rule, string Detail)? CheckWellFormed(CodeType t)
    {
        var topVars = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in t.Registers) if (r is VarType v) topVars.Add(v.Name);
        foreach (var s in t.Slots) if (s is VarType v) topVars.Add(v.Name);
        return WellFormed(t, topVars, 0);
    }

    private (string Rule, string Detail)? WellFormed(CodeType t, HashSet<string> scope, int depth)
    {
        // At most one return address per code type, and none inside a return type: the caller's own return
        // address lives in ρ. This keeps every transfer's cost proportional to the annotation's size.
        var rets = t.Registers.Count(v => v is RetType) + t.Slots.Count(v => v is RetType);
        if (depth > 0 && rets > 0) return (Rules.BadAnnotation, "a return type may not contain a return address");
        // After a return esp is at mapped stack (the call wrote just below it), so a return type has no unprobed bytes.
        if (depth > 0 && t.Unprobed != 0) return (Rules.BadAnnotation, $"a return type must have unprobed 0, found {t.Unprobed}");
        if (rets > 1) return (Rules.BadAnnotation, $"expected at most one return address, found {rets}");
        foreach (var r in Gpr.Typed)
        {
            var v = t.Registers[r];
            if (v.RefersTo >= 0)
            {
                if (v.RefersTo == r || t.Registers[v.RefersTo] is not PtrType { Target: ArrayHeap })
                    return (Rules.BadRefinement, $"{Gpr.Name(r)}: {v} needs {Gpr.Name(v.RefersTo)} to hold an array pointer, found {t.Registers[v.RefersTo]}");
            }
            var p = WellFormedValue(v, scope, depth);
            if (p is not null) return p;
        }
        foreach (var s in t.Slots)
        {
            if (s.RefersTo >= 0) return (Rules.BadRefinement, $"stack slot of type {s}");
            var p = WellFormedValue(s, scope, depth);
            if (p is not null) return p;
        }
        return null;
    }

    private (string Rule, string Detail)? WellFormedValue(ValType v, HashSet<string> scope, int depth)
    {
        switch (v)
        {
            case VarType x when !scope.Contains(x.Name): return (Rules.FreeVariable, $"'{x.Name}");
            case PtrType p:
                try { Layouts.Validate(p.Target); }
                catch (InvalidDataException e) { return (Rules.BadAnnotation, e.Message); }
                return null;
            case RetType k: return WellFormed(k.Continuation, scope, depth + 1);
            default: return null;
        }
    }

    private void CheckData(List<CheckerDiagnostic> d)
    {
        var candidates = new List<StaticObject>();
        foreach (var o in Annotations.Data)
        {
            var where = $"data {o.Name}@0x{o.Address:x8}";
            if (KernelInterface.IsReservedName(o.Name)) { d.Add(new(where, Rules.ReservedName, "")); continue; }
            var (section, readOnly) = SectionOf(o.Address);
            if (section is null) { d.Add(new(where, Rules.BadData, "expected an address in .rodata or .data")); continue; }
            var offset = (int)(o.Address - section.Address);
            var room = section.Bytes.Length - offset;
            try
            {
                if (o.Struct is not null)
                {
                    var s = Layouts.Struct(o.Struct);
                    if (s.Size > room) { d.Add(new(where, Rules.BadData, $"expected {s.Size} bytes, found {room} left in the section")); continue; }
                    if (readOnly && Layouts.HasMutableCell(o.Struct)) { d.Add(new(where, Rules.BadData, $"read-only object of struct {o.Struct}, which has mutable fields")); continue; }
                    candidates.Add(new StaticObject(o, o.Address + (uint)s.Size, readOnly, new PtrType(new StructHeap(o.Struct), false), 0, 0, Layouts.Cells(o.Struct)));
                }
                else
                {
                    var e = o.Element!;
                    Layouts.ValidateField(e);
                    var size = Layouts.SizeOf(e);
                    if (room < TalLayout.ArrayHeader) { d.Add(new(where, Rules.BadData, "expected a 4-byte length header")); continue; }
                    var length = BinaryPrimitives.ReadUInt32LittleEndian(section.Bytes.AsSpan(offset));
                    var bytes = TalLayout.ArrayHeader + (ulong)length * (ulong)size;
                    if (bytes > TalLayout.MaxArrayBytes || bytes > (ulong)room)
                    {
                        d.Add(new(where, Rules.BadData, $"expected length × {size} + 4 <= {Math.Min((ulong)room, TalLayout.MaxArrayBytes)} bytes, found length {length}"));
                        continue;
                    }
                    candidates.Add(new StaticObject(o, o.Address + (uint)bytes, readOnly, new PtrType(new ArrayHeap(e, readOnly), false), length, size, ElementCells(e)));
                }
            }
            catch (InvalidDataException ex) { d.Add(new(where, Rules.BadData, ex.Message)); }
        }
        candidates.Sort((x, y) => x.Object.Address.CompareTo(y.Object.Address));
        for (var i = 0; i < candidates.Count; i++)
        {
            if (i > 0 && candidates[i].Object.Address < Statics[^1].End)
            {
                d.Add(new($"data {candidates[i].Object.Name}@0x{candidates[i].Object.Address:x8}", Rules.BadData, $"overlaps {Statics[^1].Object.Name}"));
                continue;
            }
            Statics.Add(candidates[i]);
        }
        // Pointer cells must hold null (when nullable) or the address of a static object of a fitting type.
        foreach (var s in Statics)
        {
            var (section, _) = SectionOf(s.Object.Address);
            var baseOffset = (int)(s.Object.Address - section!.Address);
            var count = s.Object.Struct is null ? s.Length : 1u;
            var start = s.Object.Struct is null ? TalLayout.ArrayHeader : 0;
            for (uint e = 0; e < count; e++)
                foreach (var c in s.Cells)
                {
                    if (c.Pointer is null) continue;
                    var at = baseOffset + start + (int)(e * (uint)s.ElementSize) + c.Offset;
                    var value = BinaryPrimitives.ReadUInt32LittleEndian(section.Bytes.AsSpan(at));
                    ValType found = value == 0 ? NullType.Instance : StaticAt(value) is { } target && target.Object.Address == value ? target.Pointer : IntType.Instance;
                    if (!Subtyping.Sub(found, c.Pointer))
                    {
                        d.Add(new($"data {s.Object.Name}@0x{s.Object.Address:x8}", Rules.BadData, $"{c.Name} at +{at - baseOffset}: expected {c.Pointer}, found {found} (0x{value:x})"));
                        goto nextObject;
                    }
                }
            nextObject:;
        }
    }

    private (TalSection? Section, bool ReadOnly) SectionOf(uint address)
    {
        if (Object.RoData is { } r && address >= r.Address && address - r.Address < (uint)r.Bytes.Length) return (r, true);
        if (Object.Data is { } w && address >= w.Address && address - w.Address < (uint)w.Bytes.Length) return (w, false);
        return (null, false);
    }

    private void CheckImports(List<CheckerDiagnostic> d)
    {
        var a = Annotations;
        var table = Object.Imports;
        if (a.Imports.Count == 0)
        {
            if (table is not null || a.ImportTable != 0) d.Add(new("imports", Rules.BadImport, "an import table without imports"));
            return;
        }
        if (table is null || table.Address != a.ImportTable || table.Bytes.Length != 4 * a.Imports.Count)
        {
            d.Add(new("imports", Rules.BadImport, $"expected .kml.imports at 0x{a.ImportTable:x8} of {4 * a.Imports.Count} bytes, found {(table is null ? "none" : $"0x{table.Address:x8} of {table.Bytes.Length} bytes")}"));
            return;
        }
        if (table.Bytes.Any(b => b != 0)) { d.Add(new("imports", Rules.BadImport, "the import table must be zero in the file (the loader fills it)")); return; }
        for (var k = 0; k < a.Imports.Count; k++)
        {
            var i = a.Imports[k];
            var where = $"import {k} ({i.Name})";
            ImportSignature? sig = null;
            if (!KernelInterface.Entries.TryGetValue(i.Name, out var found)) d.Add(new(where, Rules.BadImport, "no such kernel entry point"));
            else if ((found.Generic == ImportGeneric.None) != (i.TypeArgument is null)) d.Add(new(where, Rules.BadImport, found.Generic == ImportGeneric.None ? "unexpected type argument" : "expected a type argument"));
            else if (i.TypeArgument is { } arg && !AllocatableArgument(found.Generic, arg, out var why)) d.Add(new(where, Rules.BadImport, why));
            else sig = found;
            Imports.Add(sig);
            ImportArguments.Add(i.TypeArgument);
        }
    }

    private bool AllocatableArgument(ImportGeneric g, FieldType arg, out string why)
    {
        why = "";
        try
        {
            Layouts.ValidateField(arg);
            if (g == ImportGeneric.Alloc && arg is not InlineField) { why = $"alloc needs a struct, found {arg}"; return false; }
            if (!Layouts.IsZeroValid(arg)) { why = $"zeroed memory is not a valid {arg} (it has a non-null pointer)"; return false; }
            return true;
        }
        catch (InvalidDataException e) { why = e.Message; return false; }
    }

    /// <summary>The result type of a call through import slot k.</summary>
    public ValType? ImportResult(int k)
    {
        var sig = Imports[k]!;
        return sig.Generic switch
        {
            ImportGeneric.Alloc => new PtrType(new StructHeap(((InlineField)ImportArguments[k]!).StructName), false),
            ImportGeneric.AllocArray => new PtrType(new ArrayHeap(ImportArguments[k]!, false), false),
            _ => sig.Result,
        };
    }
}
