using Iced.Intel;
using Kml.Tal.Types;

namespace Kml.Tal.Assembler.Syntax;

/// <summary>A constant, a symbol's address, or symbol + constant.</summary>
internal sealed record Expr(string? Symbol, long Constant, SourcePos Pos);

/// <summary>An instruction operand.</summary>
internal abstract record Operand(SourcePos Pos);
internal sealed record RegOperand(Register Reg, SourcePos Pos) : Operand(Pos);
internal sealed record ImmOperand(Expr Value, SourcePos Pos) : Operand(Pos);
internal sealed record MemOperand(int Size, Register Base, Register Index, int Scale, Expr Disp, SourcePos Pos) : Operand(Pos);

/// <summary>Something placed in .text: an instruction, raw bytes or a label.</summary>
internal abstract record TextItem(SourcePos Pos);
internal sealed record InstrItem(string Mnemonic, List<Operand> Operands, bool Lock, SourcePos Pos) : TextItem(Pos);
internal sealed record BytesItem(byte[] Bytes, SourcePos Pos) : TextItem(Pos);
internal sealed record LabelItem(string Name, CodeType? Type, SourcePos Pos) : TextItem(Pos);

/// <summary>A value of one cell of static data: an integer, or a symbol (pointer), or null.</summary>
internal sealed record DataValue(Expr Value);

/// <summary>A static object in .rodata or .data.</summary>
internal sealed record DataItem(string Name, bool ReadOnly, string? Struct, FieldType? Element, byte[]? Literal, List<DataValue>? Cells, long ZeroCount, SourcePos Pos);

/// <summary>An import slot declaration.</summary>
internal sealed record ImportItem(string Alias, string Entry, FieldType? TypeArgument, SourcePos Pos);

/// <summary>The parsed program.</summary>
internal sealed class ParsedProgram
{
    public List<StructDef> Structs { get; } = [];
    public Dictionary<string, SourcePos> StructPositions { get; } = new(StringComparer.Ordinal);
    public List<TextItem> Text { get; } = [];
    public List<DataItem> Data { get; } = [];
    public List<ImportItem> Imports { get; } = [];
    public string Entry { get; set; } = "_start";
    public SourcePos EntryPos { get; set; } = new(1, 1);
}
