namespace Kml.Tal.Types;

/// <summary>Integer storage kinds of fields and array elements. In a register every one of them is <c>int</c>.</summary>
public enum ScalarKind : byte
{
    /// <summary>Signed 8-bit.</summary>
    I8,
    /// <summary>Unsigned 8-bit.</summary>
    U8,
    /// <summary>Signed 16-bit.</summary>
    I16,
    /// <summary>Unsigned 16-bit (also C# char).</summary>
    U16,
    /// <summary>Signed 32-bit.</summary>
    I32,
    /// <summary>Unsigned 32-bit.</summary>
    U32,
    /// <summary>Signed 64-bit: two 32-bit integer cells.</summary>
    I64,
    /// <summary>Unsigned 64-bit: two 32-bit integer cells.</summary>
    U64,
}

/// <summary>Sizes and names of <see cref="ScalarKind"/>.</summary>
public static class ScalarKinds
{
    /// <summary>The size in bytes.</summary>
    public static int Size(this ScalarKind kind) => kind switch
    {
        ScalarKind.I8 or ScalarKind.U8 => 1,
        ScalarKind.I16 or ScalarKind.U16 => 2,
        ScalarKind.I32 or ScalarKind.U32 => 4,
        _ => 8,
    };

    /// <summary>The TAL spelling ("i32").</summary>
    public static string Spelling(this ScalarKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Parses a TAL spelling; null when it is not a scalar kind.</summary>
    public static ScalarKind? Parse(string text) => text switch
    {
        "i8" => ScalarKind.I8, "u8" => ScalarKind.U8, "i16" => ScalarKind.I16, "u16" => ScalarKind.U16,
        "i32" => ScalarKind.I32, "u32" => ScalarKind.U32, "i64" => ScalarKind.I64, "u64" => ScalarKind.U64,
        _ => null,
    };
}
