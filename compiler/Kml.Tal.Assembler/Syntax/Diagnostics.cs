namespace Kml.Tal.Assembler.Syntax;

/// <summary>A position in a TAL source file (1-based line and column).</summary>
/// <param name="Line">Line number.</param>
/// <param name="Column">Column number.</param>
public readonly record struct SourcePos(int Line, int Column);

/// <summary>One assembler error: <c>file(line,col): error TAL0001: message</c>.</summary>
/// <param name="File">Source file name.</param>
/// <param name="Pos">Where.</param>
/// <param name="Code">Error code (TAL00xx).</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record AsmDiagnostic(string File, SourcePos Pos, string Code, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{File}({Pos.Line},{Pos.Column}): error {Code}: {Message}";
}

/// <summary>Thrown when a source has errors (bad input: report it like <see cref="InvalidDataException"/>); the message is the first diagnostic, <see cref="Diagnostics"/> has them all.</summary>
public sealed class AssemblyException(IReadOnlyList<AsmDiagnostic> diagnostics)
    : Exception(diagnostics.Count == 0 ? "assembly failed" : diagnostics[0].ToString())
{
    /// <summary>Every error found.</summary>
    public IReadOnlyList<AsmDiagnostic> Diagnostics { get; } = diagnostics;
}

/// <summary>Every assembler message, in one place (minsk's DiagnosticBag): one method per error.</summary>
internal sealed class DiagnosticBag(string file)
{
    private readonly List<AsmDiagnostic> _list = [];
    public IReadOnlyList<AsmDiagnostic> All => _list;
    public bool Any => _list.Count > 0;

    private AsmException Add(SourcePos p, string code, string message)
    {
        var d = new AsmDiagnostic(file, p, code, message);
        _list.Add(d);
        return new AsmException(d);
    }

    public AsmException UnexpectedCharacter(SourcePos p, char c) => Add(p, "TAL0001", $"unexpected character '{c}'");
    public AsmException UnterminatedString(SourcePos p) => Add(p, "TAL0002", "unterminated string or character literal");
    public AsmException Expected(SourcePos p, string expected, string found) => Add(p, "TAL0003", $"expected {expected}, found {found}");
    public AsmException UnknownMnemonic(SourcePos p, string m) => Add(p, "TAL0004", $"unknown instruction '{m}'");
    public AsmException NoEncoding(SourcePos p, string m, string why) => Add(p, "TAL0005", $"no encoding of '{m}' takes these operands{why}");
    public AsmException UnknownSymbol(SourcePos p, string name) => Add(p, "TAL0006", $"unknown symbol '{name}'");
    public AsmException Duplicate(SourcePos p, string name) => Add(p, "TAL0007", $"'{name}' is defined twice");
    public AsmException UnknownType(SourcePos p, string name) => Add(p, "TAL0008", $"unknown type '{name}'");
    public AsmException UnknownDirective(SourcePos p, string name) => Add(p, "TAL0009", $"unknown directive '{name}'");
    public AsmException WrongSection(SourcePos p, string what, string section) => Add(p, "TAL0010", $"{what} is not allowed in {section}");
    public AsmException OperandSize(SourcePos p) => Add(p, "TAL0011", "operand size unknown: write byte, word or dword before the memory operand");
    public AsmException BadData(SourcePos p, string why) => Add(p, "TAL0012", why);
    public AsmException BadStruct(SourcePos p, string why) => Add(p, "TAL0013", why);
    public AsmException Range(SourcePos p, string what, long value) => Add(p, "TAL0014", $"{what} {value} is out of range");
    public AsmException Encoding(SourcePos p, string m, string why) => Add(p, "TAL0015", $"cannot encode '{m}': {why}");
    public AsmException SameOffset(SourcePos p, string first, string second) => Add(p, "TAL0017", $"annotated labels '{first}' and '{second}' are at the same offset; annotate one of them");
    public AsmException NoEntry(SourcePos p, string name) => Add(p, "TAL0016", $"entry label '{name}' is not defined in .text");
}

/// <summary>Unwinds one statement after its error was recorded; the assembler continues with the next statement.</summary>
internal sealed class AsmException(AsmDiagnostic d) : Exception(d.Message);
