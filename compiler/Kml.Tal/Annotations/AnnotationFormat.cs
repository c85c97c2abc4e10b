namespace Kml.Tal.Annotations;

/// <summary>Constants of the binary annotation encoding (section <c>.kml.tal</c>; docs/tal.md, "Annotation encoding").</summary>
public static class AnnotationFormat
{
    /// <summary>The section name.</summary>
    public const string SectionName = ".kml.tal";
    /// <summary>Magic bytes "KTAL".</summary>
    public static ReadOnlySpan<byte> Magic => "KTAL"u8;
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    // Value type tags.
    internal const byte VJunk = 0, VInt = 1, VNull = 2, VPtr = 3, VPtrNullable = 4, VVar = 5, VRet = 6, VLen = 7, VIndex = 8, VElemOffset = 9;
    // Heap type tags.
    internal const byte HStruct = 0, HArray = 1, HConstArray = 2;
    // Field type tags: 0..7 are ScalarKind values.
    internal const byte FPtr = 8, FPtrNullable = 9, FInline = 10;
    // Data object kinds.
    internal const byte DStruct = 0, DArray = 1;
}
