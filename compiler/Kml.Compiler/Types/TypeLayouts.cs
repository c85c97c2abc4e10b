using Kml.Compiler.Diagnostics;
using Kml.Compiler.Ir;
using Kml.Tal.Interface;
using Kml.Tal.Types;
using Microsoft.CodeAnalysis;

namespace Kml.Compiler.Types;

/// <summary>
/// Maps C# types to shapes and TAL layouts: classes and structs become TAL structs (fields in declaration order,
/// naturally aligned), arrays <c>ptr? E[]</c>, strings <c>ptr? const u16[]</c>, and all static fields one struct
/// (<see cref="StaticsName"/>) whose single object lives in .data.
/// </summary>
public sealed class TypeLayouts
{
    /// <summary>The name of the struct (and object) holding every static field.</summary>
    public const string StaticsName = "$statics";

    private readonly Dictionary<ITypeSymbol, Shape> _shapes = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<INamedTypeSymbol, TypeLayout> _types = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IFieldSymbol, int> _statics = new(SymbolEqualityComparer.Default);
    private readonly List<FieldDef> _staticFields = [];
    private readonly List<StructDef> _structs = [];
    private int _staticsSize;

    /// <summary>The string type: <c>ptr? const u16[]</c>.</summary>
    public static readonly PtrType StringType = new(new ArrayHeap(new ScalarField(ScalarKind.U16), true), true);

    private sealed record TypeLayout(string Name, int Size, int Align, Dictionary<IFieldSymbol, FieldSlot> Fields, Leaf[] Leaves);

    private readonly Queue<INamedTypeSymbol> _pendingClasses = new();

    /// <summary>The TAL structs of every class and struct used (kernel records excluded).</summary>
    public IReadOnlyList<StructDef> Structs
    {
        get
        {
            // Classes seen only as pointer targets still need their layouts (a pointer type names its struct).
            while (_pendingClasses.Count > 0) Layout(_pendingClasses.Dequeue());
            return _structs;
        }
    }

    /// <summary>The statics struct (all static fields laid out so far).</summary>
    public StructDef StaticsStruct => new(StaticsName, Math.Max(4, Align(_staticsSize, 4)), [.. _staticFields]);

    /// <summary>The shape of a type's values.</summary>
    public Shape ShapeOf(ITypeSymbol type)
    {
        if (_shapes.TryGetValue(type, out var s)) return s;
        s = Compute(type);
        _shapes[type] = s;
        return s;
    }

    /// <summary>The TAL struct name of a class or struct.</summary>
    public string NameOf(INamedTypeSymbol type)
    {
        type = type.OriginalDefinition;
        if (_types.TryGetValue(type, out var known)) return known.Name;
        var name = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        return KernelRecordOf(name)?.Name ?? name;
    }

    /// <summary>The size of a class's objects.</summary>
    public int SizeOf(INamedTypeSymbol type) => Layout(type).Size;

    /// <summary>The pointer type of a class's objects (its layout is computed later, so classes may point to themselves).</summary>
    public PtrType ClassPointer(INamedTypeSymbol type, bool nullable)
    {
        if (!_types.ContainsKey(type.OriginalDefinition)) _pendingClasses.Enqueue(type.OriginalDefinition);
        return new(new StructHeap(NameOf(type)), nullable);
    }

    /// <summary>Where an instance field lives in its class or struct.</summary>
    public FieldSlot FieldOf(IFieldSymbol field) =>
        Layout(field.ContainingType).Fields.TryGetValue(field, out var slot) ? slot
            : throw new InvalidOperationException($"field {field} has no slot");

    /// <summary>The byte offset of a static field in the statics object.</summary>
    public int StaticOffset(IFieldSymbol field)
    {
        if (_statics.TryGetValue(field, out var offset)) return offset;
        var shape = ShapeOf(field.Type);
        offset = Align(_staticsSize, shape.Align);
        _statics[field] = offset;
        _staticsSize = offset + shape.Size;
        _staticFields.Add(new FieldDef(StaticFieldName(field), offset, shape.Storage!, true));
        return offset;
    }

    private static string StaticFieldName(IFieldSymbol f) =>
        f.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) + "." + (f.AssociatedSymbol?.Name ?? f.Name);

    /// <summary>The TAL element type of an array of <paramref name="element"/>.</summary>
    public FieldType ElementOf(ITypeSymbol element) => ShapeOf(element).Storage!;

    private Shape Compute(ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Enum) return ShapeOf(((INamedTypeSymbol)type).EnumUnderlyingType!);
        switch (type.SpecialType)
        {
            case SpecialType.System_Void: return new Shape([], 0, 1, null);
            case SpecialType.System_Boolean:
            case SpecialType.System_Byte: return Scalar(MemKind.U8, ScalarKind.U8);
            case SpecialType.System_SByte: return Scalar(MemKind.I8, ScalarKind.I8);
            case SpecialType.System_Int16: return Scalar(MemKind.I16, ScalarKind.I16);
            case SpecialType.System_UInt16:
            case SpecialType.System_Char: return Scalar(MemKind.U16, ScalarKind.U16);
            case SpecialType.System_Int32: return Scalar(MemKind.I32, ScalarKind.I32);
            case SpecialType.System_UInt32: return Scalar(MemKind.I32, ScalarKind.U32);
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
                return new Shape([new Leaf(0, MemKind.I32, IntType.Instance), new Leaf(4, MemKind.I32, IntType.Instance)], 8, 4,
                    new ScalarField(type.SpecialType == SpecialType.System_Int64 ? ScalarKind.I64 : ScalarKind.U64));
            case SpecialType.System_String: return Pointer(StringType);
        }
        switch (type)
        {
            case IArrayTypeSymbol array:
                if (array.Rank != 1) throw new NotSupportedException(CompilerMessages.Unsupported($"array type {type}"));
                return Pointer(new PtrType(new ArrayHeap(ElementOf(array.ElementType), false), true));
            case INamedTypeSymbol { TypeKind: TypeKind.Class } c:
                return Pointer(ClassPointer(c, true));
            case INamedTypeSymbol { TypeKind: TypeKind.Struct } s:
                var layout = Layout(s);
                return new Shape(layout.Leaves, layout.Size, layout.Align, new InlineField(layout.Name));
        }
        throw new NotSupportedException(CompilerMessages.Unsupported($"type {type.ToDisplayString()}"));
    }

    private static Shape Scalar(MemKind kind, ScalarKind storage)
    {
        var size = IrFacts.Size(kind);
        return new Shape([new Leaf(0, kind, IntType.Instance)], size, size, new ScalarField(storage));
    }

    private static Shape Pointer(PtrType p) => new([new Leaf(0, MemKind.Ptr, p)], 4, 4, new PointerField(p));

    private readonly HashSet<INamedTypeSymbol> _inProgress = new(SymbolEqualityComparer.Default);

    private TypeLayout Layout(INamedTypeSymbol type)
    {
        type = type.OriginalDefinition;
        if (_types.TryGetValue(type, out var known)) return known;
        if (!_inProgress.Add(type)) throw new NotSupportedException(CompilerMessages.Unsupported($"the struct {type} containing itself"));
        var fullName = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        // The kernel's records: the runtime's KernelStat, KernelTimespec and KernelOffset classes are laid out exactly as
        // kml.Stat, kml.Timespec and kml.Offset, so stat, clock_gettime and llseek can fill them.
        if (KernelRecordOf(fullName) is { } record) return KernelRecord(type, record);

        var fields = new Dictionary<IFieldSymbol, FieldSlot>(SymbolEqualityComparer.Default);
        var leaves = new List<Leaf>();
        var defs = new List<FieldDef>();
        int offset = 0, align = 1;
        foreach (var f in type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
        {
            var shape = ShapeOf(f.Type);
            offset = Align(offset, shape.Align);
            align = Math.Max(align, shape.Align);
            fields[f] = new FieldSlot(offset, leaves.Count, shape);
            foreach (var l in shape.Leaves) leaves.Add(l with { Offset = l.Offset + offset });
            defs.Add(new FieldDef(f.AssociatedSymbol?.Name ?? f.Name, offset, shape.Storage!, true));
            offset += shape.Size;
        }
        var size = Align(offset, align);
        if (type.TypeKind == TypeKind.Class) size = Math.Max(4, Align(size, 4));
        if (size == 0) size = 1;
        if (size > Layouts.MaxObjectSize) throw new NotSupportedException(CompilerMessages.Unsupported($"type {fullName} of {size} bytes (the most is {Layouts.MaxObjectSize})"));
        var layout = new TypeLayout(fullName, size, align, fields, [.. leaves]);
        _types[type] = layout;
        _inProgress.Remove(type);
        _structs.Add(new StructDef(fullName, size, defs));
        return layout;
    }

    /// <summary>The kernel record a runtime class stands for (KernelStat, KernelTimespec, KernelOffset), or null.</summary>
    private static StructDef? KernelRecordOf(string fullName) => fullName switch
    {
        "Kml.KernelStat" => KernelInterface.Stat,
        "Kml.KernelTimespec" => KernelInterface.Timespec,
        "Kml.KernelOffset" => KernelInterface.Offset,
        _ => null,
    };

    private TypeLayout KernelRecord(INamedTypeSymbol type, StructDef record)
    {
        var fields = new Dictionary<IFieldSymbol, FieldSlot>(SymbolEqualityComparer.Default);
        foreach (var f in type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
        {
            var def = record.Fields.FirstOrDefault(d => string.Equals(d.Name, f.Name, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"{type.Name}.{f.Name} is not a field of {record.Name}");
            var shape = ShapeOf(f.Type);
            if (shape.Size != ((ScalarField)def.Type).Kind.Size()) throw new InvalidOperationException($"{type.Name}.{f.Name} does not match {record.Name}.{def.Name}");
            fields[f] = new FieldSlot(def.Offset, 0, shape);
        }
        var layout = new TypeLayout(record.Name, record.Size, 4, fields, []);
        _types[type] = layout;
        return layout;
    }

    private static int Align(int v, int a) => (v + a - 1) / a * a;
}
