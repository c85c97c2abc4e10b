using System.Text;
using Kml.Tal.Types;

namespace Kml.Tal.Annotations;

/// <summary>Encodes <see cref="TalAnnotations"/> into the bytes of the <c>.kml.tal</c> section (untrusted side).</summary>
public static class AnnotationWriter
{
    /// <summary>Encodes the annotations. Code types are interned, so labels sharing a state share its bytes.</summary>
    public static byte[] Write(TalAnnotations a)
    {
        var strings = new List<string> { "" };
        var stringIndex = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        var codeTypes = new List<CodeType>();
        var codeIndex = new Dictionary<CodeType, int>();

        int Str(string s)
        {
            if (!stringIndex.TryGetValue(s, out var i)) { i = strings.Count; strings.Add(s); stringIndex[s] = i; }
            return i;
        }

        // Interning walks the types first so every table is complete before the bytes are written.
        int Code(CodeType t)
        {
            if (codeIndex.TryGetValue(t, out var i)) return i;
            foreach (var r in t.Registers) Visit(r);
            foreach (var s in t.Slots) Visit(s);
            i = codeTypes.Count;
            codeTypes.Add(t);
            codeIndex[t] = i;
            return i;
        }
        void Visit(ValType v)
        {
            switch (v)
            {
                case RetType r: Code(r.Continuation); break;
                case VarType x: Str(x.Name); break;
                case PtrType p: VisitHeap(p.Target); break;
            }
        }
        void VisitHeap(HeapType h)
        {
            if (h is StructHeap s) Str(s.Name);
            else if (h is ArrayHeap arr) VisitField(arr.Element);
        }
        void VisitField(FieldType f)
        {
            if (f is InlineField i) Str(i.StructName);
            else if (f is PointerField p) VisitHeap(p.Pointer.Target);
        }

        foreach (var s in a.Structs) { Str(s.Name); foreach (var f in s.Fields) { Str(f.Name); VisitField(f.Type); } }
        foreach (var l in a.Labels) { Str(l.Name); Code(l.Type); }
        foreach (var d in a.Data) { Str(d.Name); if (d.Struct is not null) Str(d.Struct); if (d.Element is not null) VisitField(d.Element); }
        foreach (var i in a.Imports) { Str(i.Name); if (i.TypeArgument is not null) VisitField(i.TypeArgument); }

        var w = new ByteWriter();
        w.Bytes(AnnotationFormat.Magic);
        w.Byte(AnnotationFormat.Version);
        w.U((uint)strings.Count - 1);
        foreach (var s in strings.Skip(1)) { var b = Encoding.UTF8.GetBytes(s); w.U((uint)b.Length); w.Bytes(b); }

        w.U((uint)a.Structs.Count);
        foreach (var s in a.Structs)
        {
            w.U((uint)Str(s.Name)); w.U((uint)s.Size); w.U((uint)s.Fields.Count);
            foreach (var f in s.Fields)
            {
                w.U((uint)Str(f.Name)); w.U((uint)f.Offset); w.Byte(f.Mutable ? (byte)1 : (byte)0);
                WriteField(w, f.Type, Str);
            }
        }

        w.U((uint)codeTypes.Count);
        foreach (var t in codeTypes)
        {
            byte mask = 0;
            foreach (var r in Gpr.Typed) if (t.Registers[r] is not JunkType) mask |= (byte)(1 << r);
            w.Byte(mask);
            foreach (var r in Gpr.Typed) if (t.Registers[r] is not JunkType) WriteVal(w, t.Registers[r], Str, codeIndex);
            w.U((uint)t.Unprobed);
            w.U((uint)t.Slots.Length);
            foreach (var s in t.Slots) WriteVal(w, s, Str, codeIndex);
        }

        w.U((uint)a.Labels.Count);
        uint previous = 0;
        foreach (var l in a.Labels.OrderBy(l => l.Offset))
        {
            w.U(l.Offset - previous); previous = l.Offset;
            w.U((uint)Str(l.Name)); w.U((uint)codeIndex[l.Type]);
        }

        w.U((uint)a.Data.Count);
        foreach (var d in a.Data)
        {
            w.U(d.Address); w.U((uint)Str(d.Name));
            if (d.Struct is not null) { w.Byte(AnnotationFormat.DStruct); w.U((uint)Str(d.Struct)); }
            else { w.Byte(AnnotationFormat.DArray); WriteField(w, d.Element!, Str); }
        }

        w.U(a.ImportTable);
        w.U((uint)a.Imports.Count);
        foreach (var i in a.Imports)
        {
            w.U((uint)Str(i.Name));
            if (i.TypeArgument is null) w.Byte(0);
            else { w.Byte(1); WriteField(w, i.TypeArgument, Str); }
        }
        return w.ToArray();
    }

    private static void WriteVal(ByteWriter w, ValType v, Func<string, int> str, Dictionary<CodeType, int> codes)
    {
        switch (v)
        {
            case JunkType: w.Byte(AnnotationFormat.VJunk); break;
            case IntType: w.Byte(AnnotationFormat.VInt); break;
            case NullType: w.Byte(AnnotationFormat.VNull); break;
            case PtrType p: w.Byte(p.Nullable ? AnnotationFormat.VPtrNullable : AnnotationFormat.VPtr); WriteHeap(w, p.Target, str); break;
            case VarType x: w.Byte(AnnotationFormat.VVar); w.U((uint)str(x.Name)); break;
            case RetType r: w.Byte(AnnotationFormat.VRet); w.U((uint)codes[r.Continuation]); break;
            case LenType l: w.Byte(AnnotationFormat.VLen); w.Byte((byte)l.Array); break;
            case IndexType i: w.Byte(AnnotationFormat.VIndex); w.Byte((byte)i.Array); break;
            case ElemOffsetType e: w.Byte(AnnotationFormat.VElemOffset); w.Byte((byte)e.Array); break;
            default: throw new NotSupportedException($"value type {v}");
        }
    }

    private static void WriteHeap(ByteWriter w, HeapType h, Func<string, int> str)
    {
        switch (h)
        {
            case StructHeap s: w.Byte(AnnotationFormat.HStruct); w.U((uint)str(s.Name)); break;
            case ArrayHeap a: w.Byte(a.ReadOnly ? AnnotationFormat.HConstArray : AnnotationFormat.HArray); WriteField(w, a.Element, str); break;
        }
    }

    private static void WriteField(ByteWriter w, FieldType f, Func<string, int> str)
    {
        switch (f)
        {
            case ScalarField s: w.Byte((byte)s.Kind); break;
            case PointerField p: w.Byte(p.Pointer.Nullable ? AnnotationFormat.FPtrNullable : AnnotationFormat.FPtr); WriteHeap(w, p.Pointer.Target, str); break;
            case InlineField i: w.Byte(AnnotationFormat.FInline); w.U((uint)str(i.StructName)); break;
        }
    }

    private sealed class ByteWriter
    {
        private readonly MemoryStream _s = new();
        public void Byte(byte b) => _s.WriteByte(b);
        public void Bytes(ReadOnlySpan<byte> b) => _s.Write(b);
        public void U(uint v)
        {
            while (v >= 0x80) { _s.WriteByte((byte)(v | 0x80)); v >>= 7; }
            _s.WriteByte((byte)v);
        }
        public byte[] ToArray() => _s.ToArray();
    }
}
