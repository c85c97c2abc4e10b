using System.Text;
using Kml.Tal.Types;

namespace Kml.Tal.Annotations;

/// <summary>
/// Decodes the <c>.kml.tal</c> section. Trusted: it reads hostile bytes, so every count, index and
/// length is bounded by what is left of the input, and any violation is an <see cref="InvalidDataException"/>
/// naming the byte offset. It checks the encoding only; what the types mean is the checker's business.
/// </summary>
public sealed class AnnotationReader
{
    private readonly byte[] _b;
    private int _p;
    private string[] _strings = [];
    private readonly List<CodeType> _codes = [];

    private AnnotationReader(byte[] bytes) => _b = bytes;

    /// <summary>Decodes the section's bytes.</summary>
    public static TalAnnotations Read(byte[] bytes) => new AnnotationReader(bytes).ReadAll();

    private TalAnnotations ReadAll()
    {
        if (_b.Length < 5 || !_b.AsSpan(0, 4).SequenceEqual(AnnotationFormat.Magic))
            throw Bad("missing magic \"KTAL\"");
        _p = 4;
        var version = Byte();
        if (version != AnnotationFormat.Version) throw Bad($"version {version} is not {AnnotationFormat.Version}", _p - 1);

        var stringCount = Count(1);
        _strings = new string[stringCount + 1];
        _strings[0] = "";
        var utf8 = new UTF8Encoding(false, true);
        for (var i = 1; i <= stringCount; i++)
        {
            var len = Count(1);
            try { _strings[i] = utf8.GetString(_b, _p, len); }
            catch (ArgumentException) { throw Bad("string is not UTF-8"); }
            _p += len;
        }

        var a = new TalAnnotations();
        var structCount = Count(3);
        for (var i = 0; i < structCount; i++)
        {
            var name = Str();
            var size = (int)Math.Min(U(), int.MaxValue);
            var fieldCount = Count(3);
            var fields = new List<FieldDef>(fieldCount);
            for (var f = 0; f < fieldCount; f++)
            {
                var fname = Str();
                var offset = (int)Math.Min(U(), int.MaxValue);
                var flags = Byte();
                if (flags > 1) throw Bad($"field flags {flags}", _p - 1);
                fields.Add(new FieldDef(fname, offset, Field(), flags == 1));
            }
            a.Structs.Add(new StructDef(name, size, fields));
        }

        var codeCount = Count(3);
        for (var i = 0; i < codeCount; i++) _codes.Add(Code());

        var labelCount = Count(3);
        ulong offsetSoFar = 0;
        for (var i = 0; i < labelCount; i++)
        {
            var at = _p;
            offsetSoFar += U();
            if (i > 0 && offsetSoFar == a.Labels[^1].Offset) throw Bad("two labels at one offset", at);
            if (offsetSoFar > uint.MaxValue) throw Bad("label offset overflows", at);
            var name = Str();
            var index = U();
            if (index >= (uint)_codes.Count) throw Bad($"code type index {index} out of range", at);
            a.Labels.Add(new LabelAnnotation((uint)offsetSoFar, name, _codes[(int)index]));
        }

        var dataCount = Count(4);
        for (var i = 0; i < dataCount; i++)
        {
            var address = U();
            var name = Str();
            var kind = Byte();
            a.Data.Add(kind switch
            {
                AnnotationFormat.DStruct => new DataObject(address, name, Str(), null),
                AnnotationFormat.DArray => new DataObject(address, name, null, Field()),
                _ => throw Bad($"data object kind {kind}", _p - 1),
            });
        }

        a.ImportTable = U();
        var importCount = Count(2);
        for (var i = 0; i < importCount; i++)
        {
            var name = Str();
            var hasArg = Byte();
            if (hasArg > 1) throw Bad($"import flag {hasArg}", _p - 1);
            a.Imports.Add(new ImportEntry(name, hasArg == 1 ? Field() : null));
        }
        if (_p != _b.Length) throw Bad($"{_b.Length - _p} trailing bytes");
        return a;
    }

    private CodeType Code()
    {
        var mask = Byte();
        if ((mask & (1 << Gpr.Esp)) != 0) throw Bad("esp cannot have a register type", _p - 1);
        var regs = new ValType[Gpr.Count];
        Array.Fill(regs, JunkType.Instance);
        foreach (var r in Gpr.Typed)
            if ((mask & (1 << r)) != 0) regs[r] = Val();
        var unprobedAt = _p;
        var unprobed = U();
        if (unprobed > TalLayout.MaxUnprobed) throw Bad($"unprobed {unprobed} exceeds {TalLayout.MaxUnprobed}", unprobedAt);
        var slotCount = Count(1);
        if (slotCount > TalLayout.MaxFrameSlots) throw Bad($"{slotCount} stack slots exceed {TalLayout.MaxFrameSlots}");
        var slots = new ValType[slotCount];
        for (var i = 0; i < slotCount; i++) slots[i] = Val();
        return new CodeType(regs, slots, (int)unprobed);
    }

    private ValType Val()
    {
        var tag = Byte();
        switch (tag)
        {
            case AnnotationFormat.VJunk: return JunkType.Instance;
            case AnnotationFormat.VInt: return IntType.Instance;
            case AnnotationFormat.VNull: return NullType.Instance;
            case AnnotationFormat.VPtr: return new PtrType(Heap(), false);
            case AnnotationFormat.VPtrNullable: return new PtrType(Heap(), true);
            case AnnotationFormat.VVar:
                var name = Str();
                if (name.Length == 0) throw Bad("type variable without a name");
                return new VarType(name);
            case AnnotationFormat.VRet:
                var at = _p;
                var index = U();
                // Only earlier code types may be named, so types are finite and decoding terminates.
                if (index >= (uint)_codes.Count) throw Bad($"return type names code type {index}, not defined before it", at);
                return new RetType(_codes[(int)index]);
            case AnnotationFormat.VLen: return new LenType(Reg());
            case AnnotationFormat.VIndex: return new IndexType(Reg());
            case AnnotationFormat.VElemOffset: return new ElemOffsetType(Reg());
            default: throw Bad($"value type tag {tag}", _p - 1);
        }
    }

    private int Reg()
    {
        var r = Byte();
        if (r >= Gpr.Count || r == Gpr.Esp) throw Bad($"register {r}", _p - 1);
        return r;
    }

    private int _depth;

    private HeapType Heap()
    {
        if (++_depth > 32) throw Bad("type nested too deeply");
        try
        {
            var tag = Byte();
            return tag switch
            {
                AnnotationFormat.HStruct => new StructHeap(Str()),
                AnnotationFormat.HArray => new ArrayHeap(Field(), false),
                AnnotationFormat.HConstArray => new ArrayHeap(Field(), true),
                _ => throw Bad($"heap type tag {tag}", _p - 1),
            };
        }
        finally { _depth--; }
    }

    private FieldType Field()
    {
        var tag = Byte();
        return tag switch
        {
            <= (byte)ScalarKind.U64 => new ScalarField((ScalarKind)tag),
            AnnotationFormat.FPtr => new PointerField(new PtrType(Heap(), false)),
            AnnotationFormat.FPtrNullable => new PointerField(new PtrType(Heap(), true)),
            AnnotationFormat.FInline => new InlineField(Str()),
            _ => throw Bad($"field type tag {tag}", _p - 1),
        };
    }

    private string Str()
    {
        var at = _p;
        var i = U();
        if (i >= (uint)_strings.Length) throw Bad($"string index {i} out of range", at);
        return _strings[i];
    }

    // A count of items, each at least minBytes long: bounded by the bytes left, so hostile counts cannot allocate.
    private int Count(int minBytes)
    {
        var at = _p;
        var n = U();
        if (n > (uint)(_b.Length - _p) / (uint)minBytes) throw Bad($"count {n} exceeds the bytes left", at);
        return (int)n;
    }

    private byte Byte()
    {
        if (_p >= _b.Length) throw Bad("unexpected end of annotations");
        return _b[_p++];
    }

    private uint U()
    {
        var at = _p;
        uint v = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Byte();
            if (shift == 28 && b > 0x0F) throw Bad("varint overflows 32 bits", at);
            v |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw Bad("varint too long", at);
    }

    private InvalidDataException Bad(string what, int? at = null) =>
        new($"annotations (.kml.tal) byte 0x{at ?? _p:x}: {what}");
}
