using System.Text;
using Iced.Intel;
using Kml.Tal.Types;

namespace Kml.Tal.Assembler.Syntax;

/// <summary>
/// Parses TAL source (docs/tal.md, "Textual TAL"): directives, labels with code-type annotations,
/// Intel-syntax instructions and typed data. On an error it records a diagnostic and skips to the next statement.
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> _t;
    private readonly DiagnosticBag _d;
    private int _p;
    private string _section = ".text";
    private readonly ParsedProgram _prog = new();
    private readonly Dictionary<string, ValType> _typeAliases = new(StringComparer.Ordinal)
    {
        ["string"] = new PtrType(new ArrayHeap(new ScalarField(ScalarKind.U16), true), false),
    };
    private readonly Dictionary<string, CodeType> _codeAliases = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, Register> Registers = BuildRegisters();

    private readonly HashSet<int> _badLines;

    public Parser(List<Token> tokens, DiagnosticBag diagnostics, HashSet<int>? badLines = null)
    {
        _t = tokens;
        _d = diagnostics;
        _badLines = badLines ?? [];
    }

    public ParsedProgram Parse()
    {
        while (Peek.Kind != TokenKind.End)
        {
            if (Peek.Kind == TokenKind.NewLine) { _p++; continue; }
            if (StatementTouchesBadLine()) { while (Peek.Kind is not (TokenKind.NewLine or TokenKind.End)) _p++; continue; }
            try { Statement(); ExpectEol(); }
            catch (AsmException) { while (Peek.Kind is not (TokenKind.NewLine or TokenKind.End)) _p++; }
        }
        return _prog;
    }

    // A statement on a line the lexer rejected would only repeat that error in other words.
    private bool StatementTouchesBadLine()
    {
        if (_badLines.Count == 0) return false;
        for (var i = _p; i < _t.Count && _t[i].Kind is not (TokenKind.NewLine or TokenKind.End); i++)
            if (_badLines.Contains(_t[i].Pos.Line)) return true;
        return _t[_p].Kind is TokenKind.NewLine && _badLines.Contains(_t[_p].Pos.Line);
    }

    private Token Peek => _t[_p];
    private Token PeekAt(int k) => _t[Math.Min(_p + k, _t.Count - 1)];
    private Token Next() => _t[_p++ < _t.Count - 1 ? _p - 1 : _t.Count - 1];

    private Token Expect(string punct)
    {
        if (!Peek.Is(punct)) throw _d.Expected(Peek.Pos, $"'{punct}'", Peek.Describe());
        return Next();
    }

    private bool Accept(string punct)
    {
        if (!Peek.Is(punct)) return false;
        _p++;
        return true;
    }

    private Token ExpectIdent(string what)
    {
        if (Peek.Kind != TokenKind.Ident) throw _d.Expected(Peek.Pos, what, Peek.Describe());
        return Next();
    }

    private long ExpectNumber(string what)
    {
        var neg = Accept("-");
        if (Peek.Kind is not (TokenKind.Number or TokenKind.Char)) throw _d.Expected(Peek.Pos, what, Peek.Describe());
        var v = Next().Value;
        return neg ? -v : v;
    }

    private void ExpectEol()
    {
        if (Peek.Kind is not (TokenKind.NewLine or TokenKind.End)) throw _d.Expected(Peek.Pos, "end of line", Peek.Describe());
    }

    private void Statement()
    {
        var first = Peek;
        if (first.Kind == TokenKind.Ident && first.Text.StartsWith('.') && !PeekAt(1).Is(":")) { Directive(); return; }
        if (first.Kind == TokenKind.Ident && PeekAt(1).Is(":"))
        {
            _p += 2;
            LabelDefinition(first);
            return;
        }
        if (first.Kind != TokenKind.Ident) throw _d.Expected(first.Pos, "a label, directive or instruction", first.Describe());
        if (_section != ".text") throw _d.WrongSection(first.Pos, "an instruction", _section);
        Instruction();
    }

    private void LabelDefinition(Token name)
    {
        if (_section == ".text")
        {
            CodeType? type = null;
            if (Peek.Is("{")) type = CodeTypeLiteral();
            _prog.Text.Add(new LabelItem(name.Text, type, name.Pos));
            if (Peek.Kind == TokenKind.Ident) Instruction();
            return;
        }
        var kind = ExpectIdent(".array or .object");
        var ro = _section == ".rodata";
        if (kind.IsWord(".object"))
        {
            var s = ExpectIdent("a struct name").Text;
            var cells = Peek.Is("[") ? CellList() : null;
            _prog.Data.Add(new DataItem(name.Text, ro, s, null, null, cells, 0, name.Pos));
        }
        else if (kind.IsWord(".array"))
        {
            var elem = FieldTypeExpr();
            if (Peek.Kind == TokenKind.String)
            {
                var str = Next();
                byte[] bytes = elem switch
                {
                    ScalarField { Kind: ScalarKind.U8 or ScalarKind.I8 } => System.Text.Encoding.UTF8.GetBytes(str.Text),
                    ScalarField { Kind: ScalarKind.U16 or ScalarKind.I16 } => System.Text.Encoding.Unicode.GetBytes(str.Text),
                    _ => throw _d.BadData(str.Pos, $"a string literal initialises u8 or u16 arrays, not {elem}"),
                };
                _prog.Data.Add(new DataItem(name.Text, ro, null, elem, bytes, null, 0, name.Pos));
            }
            else if (Peek.IsWord("zero"))
            {
                _p++;
                var n = ExpectNumber("an element count");
                _prog.Data.Add(new DataItem(name.Text, ro, null, elem, null, null, n, name.Pos));
            }
            else _prog.Data.Add(new DataItem(name.Text, ro, null, elem, null, CellList(), 0, name.Pos));
        }
        else throw _d.Expected(kind.Pos, ".array or .object", kind.Describe());
    }

    private List<DataValue> CellList()
    {
        Expect("[");
        var list = new List<DataValue>();
        if (!Peek.Is("]"))
            do list.Add(new DataValue(Expression())); while (Accept(","));
        Expect("]");
        return list;
    }

    private void Directive()
    {
        var d = Next();
        switch (d.Text.ToLowerInvariant())
        {
            case ".text" or ".rodata" or ".data": _section = d.Text.ToLowerInvariant(); break;
            case ".entry": { var n = ExpectIdent("a label"); _prog.Entry = n.Text; _prog.EntryPos = n.Pos; break; }
            case ".struct": StructDirective(); break;
            case ".type":
                {
                    var n = ExpectIdent("a type name"); Expect("=");
                    var t = ValTypeExpr();
                    if (!_typeAliases.TryAdd(n.Text, t)) throw _d.Duplicate(n.Pos, n.Text);
                    break;
                }
            case ".code":
                {
                    var n = ExpectIdent("a code type name"); Expect("=");
                    var t = CodeTypeLiteral();
                    if (!_codeAliases.TryAdd(n.Text, t)) throw _d.Duplicate(n.Pos, n.Text);
                    break;
                }
            case ".import":
                {
                    var n = ExpectIdent("an import name");
                    var entry = n.Text;
                    if (Accept("=")) entry = ExpectIdent("a kernel entry point").Text;
                    FieldType? arg = Peek.Kind is TokenKind.NewLine or TokenKind.End ? null : FieldTypeExpr();
                    _prog.Imports.Add(new ImportItem(n.Text, entry, arg, n.Pos));
                    break;
                }
            case "db":
                if (_section != ".text") throw _d.WrongSection(d.Pos, "db", _section);
                Bytes(d);
                break;
            default: throw _d.UnknownDirective(d.Pos, d.Text);
        }
    }

    private void Bytes(Token d)
    {
        var bytes = new List<byte>();
        do
        {
            if (Peek.Kind == TokenKind.String) bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(Next().Text));
            else
            {
                var pos = Peek.Pos;
                var v = ExpectNumber("a byte");
                if (v is < -128 or > 255) throw _d.Range(pos, "byte", v);
                bytes.Add((byte)v);
            }
        } while (Accept(","));
        _prog.Text.Add(new BytesItem([.. bytes], d.Pos));
    }

    /// <summary>.struct Name [size N] { field: [mut] type [@offset], ... } — offsets default to the next naturally aligned one.</summary>
    private void StructDirective()
    {
        var name = ExpectIdent("a struct name");
        long? size = null;
        if (Peek.IsWord("size")) { _p++; size = ExpectNumber("a size"); }
        Expect("{");
        var fields = new List<FieldDef>();
        var offset = 0;
        var align = 1;
        var sizes = new Func<FieldType, (int Size, int Align)>(f => f switch
        {
            ScalarField s => (s.Kind.Size(), Math.Min(s.Kind.Size(), 4)),
            PointerField => (4, 4),
            InlineField i => _prog.Structs.Find(x => x.Name == i.StructName) is { } sd ? (sd.Size, 4) : throw _d.UnknownType(name.Pos, i.StructName),
            _ => (4, 4),
        });
        if (!Peek.Is("}"))
            do
            {
                if (Peek.Is("}")) break;
                var fname = ExpectIdent("a field name");
                Expect(":");
                var mutable = false;
                if (Peek.IsWord("mut")) { _p++; mutable = true; }
                var ftype = FieldTypeExpr();
                var (fsize, falign) = sizes(ftype);
                offset = (offset + falign - 1) / falign * falign;
                if (Accept("@")) offset = (int)ExpectNumber("a field offset");
                fields.Add(new FieldDef(fname.Text, offset, ftype, mutable));
                offset += fsize;
                align = Math.Max(align, falign);
            } while (Accept(","));
        Expect("}");
        var total = size ?? (offset + align - 1) / align * align;
        if (total <= 0 || total > Layouts.MaxObjectSize) throw _d.BadStruct(name.Pos, $"struct {name.Text} has size {total}; expected 1..{Layouts.MaxObjectSize}");
        if (!_prog.StructPositions.TryAdd(name.Text, name.Pos)) throw _d.Duplicate(name.Pos, name.Text);
        _prog.Structs.Add(new StructDef(name.Text, (int)total, fields));
    }

    // ---- types ----

    public CodeType CodeTypeLiteral()
    {
        Expect("{");
        var regs = new ValType[Gpr.Count];
        Array.Fill(regs, JunkType.Instance);
        var slots = new List<ValType>();
        var unprobed = 0;
        if (!Peek.Is("}"))
            do
            {
                if (Peek.Is("}")) break;
                var key = ExpectIdent("a register, esp, saved or unprobed");
                if (key.IsWord("saved"))
                {
                    foreach (var r in new[] { Gpr.Ebx, Gpr.Esi, Gpr.Edi, Gpr.Ebp }) regs[r] = new VarType(Gpr.Name(r));
                    continue;
                }
                Expect(":");
                if (key.IsWord("esp"))
                {
                    Expect("[");
                    if (!Peek.Is("]"))
                        do
                        {
                            if (Accept("...")) break;
                            slots.Add(ValTypeExpr());
                        } while (Accept(","));
                    Expect("]");
                }
                else if (key.IsWord("unprobed")) unprobed = (int)ExpectNumber("a byte count");
                else
                {
                    var r = Gpr.Parse(key.Text);
                    if (r < 0 || r == Gpr.Esp) throw _d.Expected(key.Pos, "a register (eax..edi), esp, saved or unprobed", key.Describe());
                    regs[r] = ValTypeExpr();
                }
            } while (Accept(","));
        Expect("}");
        return new CodeType(regs, [.. slots], unprobed);
    }

    public ValType ValTypeExpr()
    {
        var t = Peek;
        if (t.Kind == TokenKind.TypeVar) { _p++; return new VarType(t.Text); }
        var w = ExpectIdent("a type");
        switch (w.Text)
        {
            case "int": return IntType.Instance;
            case "uninit": return JunkType.Instance;
            case "null": return NullType.Instance;
            case "ptr": return new PtrType(HeapTypeExpr(), false);
            case "ptr?": return new PtrType(HeapTypeExpr(), true);
            case "ret":
                if (Peek.Is("{")) return new RetType(CodeTypeLiteral());
                var alias = ExpectIdent("a code type");
                return _codeAliases.TryGetValue(alias.Text, out var k) ? new RetType(k) : throw _d.UnknownType(alias.Pos, alias.Text);
            case "len" or "index" or "eoff":
                Expect("(");
                var rt = ExpectIdent("a register");
                var reg = Gpr.Parse(rt.Text);
                if (reg < 0 || reg == Gpr.Esp) throw _d.Expected(rt.Pos, "a register", rt.Describe());
                Expect(")");
                return w.Text == "len" ? new LenType(reg) : w.Text == "index" ? new IndexType(reg) : new ElemOffsetType(reg);
        }
        return _typeAliases.TryGetValue(w.Text, out var a) ? a : throw _d.UnknownType(w.Pos, w.Text);
    }

    /// <summary>heap := [const] element [] | StructName; element := scalar | StructName | (fieldtype).</summary>
    private HeapType HeapTypeExpr()
    {
        var ro = false;
        if (Peek.IsWord("const")) { _p++; ro = true; }
        FieldType element;
        if (Accept("(")) { element = FieldTypeExpr(); Expect(")"); }
        else
        {
            var w = ExpectIdent("a struct or element type");
            element = ScalarKinds.Parse(w.Text) is { } k ? new ScalarField(k) : new InlineField(w.Text);
        }
        if (Accept("["))
        {
            Expect("]");
            return new ArrayHeap(element, ro);
        }
        if (ro || element is not InlineField inl) throw _d.Expected(Peek.Pos, "'[]' after an element type", Peek.Describe());
        return new StructHeap(inl.StructName);
    }

    /// <summary>fieldtype := scalar | StructName | ptr heap | ptr? heap.</summary>
    private FieldType FieldTypeExpr()
    {
        if (Accept("(")) { var f = FieldTypeExpr(); Expect(")"); return f; }
        var w = ExpectIdent("a field type");
        if (w.Text == "ptr") return new PointerField(new PtrType(HeapTypeExpr(), false));
        if (w.Text == "ptr?") return new PointerField(new PtrType(HeapTypeExpr(), true));
        if (w.Text == "string") return new PointerField((PtrType)_typeAliases["string"]);
        if (_typeAliases.TryGetValue(w.Text, out var alias) && alias is PtrType ap) return new PointerField(ap);
        return ScalarKinds.Parse(w.Text) is { } k ? new ScalarField(k) : new InlineField(w.Text);
    }

    // ---- instructions ----

    private void Instruction()
    {
        var m = Next();
        if (m.IsWord("db")) { Bytes(m); return; }
        var locked = false;
        if (m.IsWord("lock")) { locked = true; m = ExpectIdent("an instruction after lock"); }
        var operands = new List<Operand>();
        if (Peek.Kind is not (TokenKind.NewLine or TokenKind.End))
            do operands.Add(OperandExpr()); while (Accept(","));
        _prog.Text.Add(new InstrItem(m.Text.ToLowerInvariant(), operands, locked, m.Pos));
    }

    private Operand OperandExpr()
    {
        var pos = Peek.Pos;
        var size = 0;
        if (Peek.Kind == TokenKind.Ident)
        {
            size = Peek.Text.ToLowerInvariant() switch { "byte" => 1, "word" => 2, "dword" => 4, _ => 0 };
            if (size != 0) { _p++; if (Peek.IsWord("ptr")) _p++; }
        }
        if (Peek.Is("[")) return Memory(size, pos);
        if (size != 0) throw _d.Expected(Peek.Pos, "a memory operand after the size", Peek.Describe());
        if (Peek.Kind == TokenKind.Ident && Registers.TryGetValue(Peek.Text.ToLowerInvariant(), out var reg)) { _p++; return new RegOperand(reg, pos); }
        if (Peek.IsWord("offset")) _p++;
        return new ImmOperand(Expression(), pos);
    }

    private MemOperand Memory(int size, SourcePos pos)
    {
        Expect("[");
        Register b = Register.None, x = Register.None;
        var scale = 1;
        string? symbol = null;
        long constant = 0;
        var negative = false;
        var first = true;
        while (true)
        {
            if (!first) { if (Accept("+")) negative = false; else if (Accept("-")) negative = true; else break; }
            else negative = Accept("-");
            first = false;
            var t = Peek;
            if (t.Kind == TokenKind.Ident && Registers.TryGetValue(t.Text.ToLowerInvariant(), out var r))
            {
                _p++;
                if (negative) throw _d.Expected(t.Pos, "'+' before a register", "'-'");
                if (Accept("*"))
                {
                    var sp = Peek.Pos;
                    var s = (int)ExpectNumber("a scale (1, 2, 4 or 8)");
                    if (s is not (1 or 2 or 4 or 8)) throw _d.Expected(sp, "a scale (1, 2, 4 or 8)", s.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    if (x != Register.None) throw _d.Expected(t.Pos, "one index register", "two");
                    x = r; scale = s;
                }
                else if (b == Register.None) b = r;
                else if (x == Register.None) x = r;
                else throw _d.Expected(t.Pos, "at most two registers", "three");
            }
            else if (t.Kind is TokenKind.Number or TokenKind.Char)
            {
                _p++;
                var v = t.Value;
                if (Accept("*"))
                {
                    var rt = ExpectIdent("an index register");
                    if (!Registers.TryGetValue(rt.Text.ToLowerInvariant(), out var ri)) throw _d.Expected(rt.Pos, "an index register", rt.Describe());
                    if (v is not (1 or 2 or 4 or 8)) throw _d.Expected(t.Pos, "a scale (1, 2, 4 or 8)", v.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    x = ri; scale = (int)v;
                }
                else constant += negative ? -v : v;
            }
            else if (t.Kind == TokenKind.Ident)
            {
                _p++;
                if (symbol is not null || negative) throw _d.Expected(t.Pos, "at most one symbol, added", t.Describe());
                symbol = t.Text;
            }
            else throw _d.Expected(t.Pos, "a register, number or symbol", t.Describe());
        }
        Expect("]");
        return new MemOperand(size, b, x, scale, new Expr(symbol, constant, pos), pos);
    }

    private Expr Expression()
    {
        var pos = Peek.Pos;
        string? symbol = null;
        long constant = 0;
        var negative = Accept("-");
        while (true)
        {
            var t = Peek;
            if (t.Kind is TokenKind.Number or TokenKind.Char) { _p++; constant += negative ? -t.Value : t.Value; }
            else if (t.Kind == TokenKind.Ident && !negative && symbol is null) { _p++; symbol = t.Text; }
            else throw _d.Expected(t.Pos, "a number or symbol", t.Describe());
            if (Accept("+")) negative = false;
            else if (Accept("-")) negative = true;
            else break;
        }
        return new Expr(symbol, constant, pos);
    }

    private static Dictionary<string, Register> BuildRegisters()
    {
        var d = new Dictionary<string, Register>(StringComparer.Ordinal);
        foreach (var r in new[] { Register.EAX, Register.ECX, Register.EDX, Register.EBX, Register.ESP, Register.EBP, Register.ESI, Register.EDI,
                     Register.AX, Register.CX, Register.DX, Register.BX, Register.SP, Register.BP, Register.SI, Register.DI,
                     Register.AL, Register.CL, Register.DL, Register.BL, Register.AH, Register.CH, Register.DH, Register.BH })
            d[r.ToString().ToLowerInvariant()] = r;
        return d;
    }
}
