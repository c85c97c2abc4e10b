using System.Globalization;
using System.Text;

namespace Kml.Tal.Assembler.Syntax;

/// <summary>
/// Splits TAL source into tokens. Comments run from ';' to the end of the line. Newlines end statements
/// except inside braces, brackets and parentheses, so a struct or a code type may span lines.
/// </summary>
internal sealed class Lexer(string text, DiagnosticBag diagnostics)
{
    private int _p, _line = 1, _col = 1, _depth;

    /// <summary>Lines the lexer already reported an error on: the parser skips their statements silently.</summary>
    public HashSet<int> BadLines { get; } = [];

    public List<Token> Lex()
    {
        var tokens = new List<Token>();
        while (true)
        {
            SkipSpace();
            var pos = new SourcePos(_line, _col);
            if (_p >= text.Length) { tokens.Add(new Token(TokenKind.NewLine, "", 0, pos)); tokens.Add(new Token(TokenKind.End, "", 0, pos)); return tokens; }
            var c = text[_p];
            if (c == '\n')
            {
                Advance();
                if (_depth == 0) tokens.Add(new Token(TokenKind.NewLine, "", 0, pos));
                continue;
            }
            try { tokens.Add(Next(c, pos)); }
            catch (AsmException) { BadLines.Add(pos.Line); SkipLine(); }
        }
    }

    private Token Next(char c, SourcePos pos)
    {
        if (char.IsLetter(c) || c is '_' or '.' or '$' || (c == '@' && _p + 1 < text.Length && char.IsLetter(text[_p + 1])))
        {
            if (c == '.' && Peek(1) == '.' && Peek(2) == '.') { Advance(); Advance(); Advance(); return new Token(TokenKind.Punct, "...", 0, pos); }
            var start = _p;
            Advance();
            while (_p < text.Length && (char.IsLetterOrDigit(text[_p]) || text[_p] is '_' or '.' or '$' or '@' || (text[_p] == '?' && text.AsSpan(start, _p - start).SequenceEqual("ptr"))))
                Advance();
            return new Token(TokenKind.Ident, text[start.._p], 0, pos);
        }
        if (char.IsDigit(c))
        {
            var start = _p;
            while (_p < text.Length && (char.IsLetterOrDigit(text[_p]) || text[_p] == '_')) Advance();
            var s = text[start.._p].Replace("_", "");
            ulong v;
            var ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v)
                : ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
            if (!ok || v > uint.MaxValue) throw diagnostics.Expected(pos, "a 32-bit number", $"'{s}'");
            return new Token(TokenKind.Number, s, (long)v, pos);
        }
        if (c == '"') return StringLiteral(pos);
        if (c == '\'')
        {
            if (Peek(2) == '\'' || (Peek(1) == '\\' && Peek(3) == '\''))
            {
                Advance();
                var ch = CharValue(pos);
                if (Peek(0) != '\'') throw diagnostics.UnterminatedString(pos);
                Advance();
                return new Token(TokenKind.Char, ch.ToString(), ch, pos);
            }
            Advance();
            var start = _p;
            while (_p < text.Length && (char.IsLetterOrDigit(text[_p]) || text[_p] == '_')) Advance();
            if (_p == start) throw diagnostics.UnexpectedCharacter(pos, '\'');
            return new Token(TokenKind.TypeVar, text[start.._p], 0, pos);
        }
        if (c is '{' or '[' or '(') _depth++;
        if (c is '}' or ']' or ')') _depth = Math.Max(0, _depth - 1);
        if (c is '{' or '}' or '[' or ']' or '(' or ')' or ',' or ':' or '+' or '-' or '*' or '=' or '@')
        {
            Advance();
            return new Token(TokenKind.Punct, c.ToString(), 0, pos);
        }
        Advance();
        throw diagnostics.UnexpectedCharacter(pos, c);
    }

    private Token StringLiteral(SourcePos pos)
    {
        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (_p >= text.Length || text[_p] == '\n') throw diagnostics.UnterminatedString(pos);
            if (text[_p] == '"') { Advance(); break; }
            sb.Append(CharValue(pos));
        }
        var s = sb.ToString();
        return new Token(TokenKind.String, s, 0, pos);
    }

    private char CharValue(SourcePos pos)
    {
        if (_p >= text.Length) throw diagnostics.UnterminatedString(pos);
        var c = text[_p];
        Advance();
        if (c != '\\') return c;
        if (_p >= text.Length) throw diagnostics.UnterminatedString(pos);
        var e = text[_p];
        Advance();
        switch (e)
        {
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            case '0': return '\0';
            case '\\': return '\\';
            case '"': return '"';
            case '\'': return '\'';
            case 'x':
                if (_p + 2 > text.Length || !int.TryParse(text.AsSpan(_p, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
                    throw diagnostics.Expected(pos, "two hex digits after \\x", "something else");
                Advance(); Advance();
                return (char)v;
            default: throw diagnostics.Expected(pos, "an escape (\\n \\t \\r \\0 \\\\ \\\" \\' \\xNN)", $"'\\{e}'");
        }
    }

    private char Peek(int k) => _p + k < text.Length ? text[_p + k] : '\0';

    private void SkipSpace()
    {
        while (_p < text.Length)
        {
            var c = text[_p];
            if (c == ';') { while (_p < text.Length && text[_p] != '\n') Advance(); continue; }
            if (c is ' ' or '\t' or '\r') { Advance(); continue; }
            break;
        }
    }

    private void SkipLine() { while (_p < text.Length && text[_p] != '\n') Advance(); }

    private void Advance()
    {
        if (text[_p] == '\n') { _line++; _col = 1; } else _col++;
        _p++;
    }
}
