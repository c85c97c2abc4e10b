// A recursive-descent parser and evaluator for integer expressions (+ - * / % ^ parentheses, unary minus, variables
// a..z): a tokenizer with a switch on characters, int.Parse of number tokens, an enum of token kinds, a class
// holding the parser's position, and error messages instead of exceptions.
using System;

enum Token { Number, Name, Plus, Minus, Star, Slash, Percent, Caret, Open, Close, End, Bad }

sealed class Parser
{
    private readonly string text;
    private int pos;
    private Token kind;
    private int number;
    private int name;
    private readonly long[] variables;
    public string Error = "";

    public Parser(string text, long[] variables)
    {
        this.text = text;
        this.variables = variables;
        Next();
    }

    private void Next()
    {
        while (pos < text.Length && text[pos] == ' ') pos++;
        if (pos >= text.Length) { kind = Token.End; return; }
        char c = text[pos];
        if (c >= '0' && c <= '9')
        {
            int start = pos;
            while (pos < text.Length && text[pos] >= '0' && text[pos] <= '9') pos++;
            number = int.Parse(text.Substring(start, pos - start));
            kind = Token.Number;
            return;
        }
        pos++;
        switch (c)
        {
            case '+': kind = Token.Plus; break;
            case '-': kind = Token.Minus; break;
            case '*': kind = Token.Star; break;
            case '/': kind = Token.Slash; break;
            case '%': kind = Token.Percent; break;
            case '^': kind = Token.Caret; break;
            case '(': kind = Token.Open; break;
            case ')': kind = Token.Close; break;
            default:
                if (c >= 'a' && c <= 'z') { kind = Token.Name; name = c - 'a'; }
                else { kind = Token.Bad; Fail("unexpected '" + c + "' at " + (pos - 1)); }
                break;
        }
    }

    private void Fail(string message)
    {
        if (Error.Length == 0) Error = message;
    }

    public long Parse()
    {
        long v = Sum();
        if (kind != Token.End) Fail("trailing input at " + pos);
        return v;
    }

    private long Sum()
    {
        long v = Product();
        while (kind == Token.Plus || kind == Token.Minus)
        {
            Token op = kind;
            Next();
            long r = Product();
            v = op == Token.Plus ? v + r : v - r;
        }
        return v;
    }

    private long Product()
    {
        long v = Power();
        while (kind == Token.Star || kind == Token.Slash || kind == Token.Percent)
        {
            Token op = kind;
            Next();
            long r = Power();
            switch (op)
            {
                case Token.Star: v *= r; break;
                case Token.Slash:
                    if (r == 0) { Fail("division by zero"); return 0; }
                    v /= r;
                    break;
                default:
                    if (r == 0) { Fail("division by zero"); return 0; }
                    v %= r;
                    break;
            }
        }
        return v;
    }

    private long Power()
    {
        long b = Unary();
        if (kind != Token.Caret) return b;
        Next();
        long e = Power();   // right associative
        long result = 1;
        for (long i = 0; i < e; i++) result *= b;
        return result;
    }

    private long Unary()
    {
        if (kind == Token.Minus) { Next(); return -Unary(); }
        if (kind == Token.Plus) { Next(); return Unary(); }
        return Atom();
    }

    private long Atom()
    {
        switch (kind)
        {
            case Token.Number: { long v = number; Next(); return v; }
            case Token.Name: { long v = variables[name]; Next(); return v; }
            case Token.Open:
                {
                    Next();
                    long v = Sum();
                    if (kind != Token.Close) Fail("expected ')' at " + pos);
                    else Next();
                    return v;
                }
            default:
                Fail("expected a number, a name or '(' at " + pos);
                return 0;
        }
    }
}

static class Program
{
    static void Main()
    {
        long[] vars = new long[26];
        vars['x' - 'a'] = 7;
        vars['y' - 'a'] = -3;
        vars['n' - 'a'] = 1000000;
        string[] inputs =
        {
            "1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "-x * y + 4 % 3", "n * n * n", "100 / 7 - 100 % 7",
            "((((42))))", "2 ^ 62 + 2 ^ 62 - 1", "-(-(-5))", "x / (y + 3)", "1 + ", "3 $ 4", "(1 + 2", "12 13",
            "2147483647 + 1", "0 - 2 ^ 63",
        };
        foreach (string input in inputs)
        {
            Parser p = new Parser(input, vars);
            long value = p.Parse();
            Console.WriteLine(input + " = " + (p.Error.Length > 0 ? "error: " + p.Error : value.ToString()));
        }
    }
}
