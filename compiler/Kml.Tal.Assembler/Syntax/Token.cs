namespace Kml.Tal.Assembler.Syntax;

/// <summary>Kinds of tokens.</summary>
internal enum TokenKind { Ident, Number, String, Char, TypeVar, Punct, NewLine, End }

/// <summary>A token with its position.</summary>
internal sealed record Token(TokenKind Kind, string Text, long Value, SourcePos Pos, byte[]? Bytes = null)
{
    public bool Is(string punct) => Kind == TokenKind.Punct && Text == punct;
    public bool IsWord(string word) => Kind == TokenKind.Ident && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
    public string Describe() => Kind switch
    {
        TokenKind.NewLine => "end of line",
        TokenKind.End => "end of file",
        TokenKind.String => "a string",
        _ => $"'{Text}'",
    };
}
