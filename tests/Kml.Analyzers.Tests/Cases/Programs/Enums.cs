// Enums and switch statements on enums, chars and integers: a tokenizer and a state machine.
using System;

enum TokenKind { Number, Plus, Minus, Times, LeftParen, RightParen, End, Error }

enum Light : byte { Red = 1, Green = 2, Yellow = 4 }

sealed class Lexer
{
    readonly string text;
    int position;

    public Lexer(string text)
    {
        this.text = text;
    }

    public int Value { get; private set; }

    public TokenKind Next()
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }
        if (position >= text.Length)
        {
            return TokenKind.End;
        }
        char c = text[position];
        position++;
        switch (c)
        {
            case '+': return TokenKind.Plus;
            case '-': return TokenKind.Minus;
            case '*': return TokenKind.Times;
            case '(': return TokenKind.LeftParen;
            case ')': return TokenKind.RightParen;
        }
        if (c >= '0' && c <= '9')
        {
            int value = c - '0';
            while (position < text.Length && text[position] >= '0' && text[position] <= '9')
            {
                value = value * 10 + (text[position] - '0');
                position++;
            }
            Value = value;
            return TokenKind.Number;
        }
        return TokenKind.Error;
    }
}

// A recursive-descent evaluator over the lexer.
sealed class Calculator
{
    readonly Lexer lexer;
    TokenKind current;

    public Calculator(string text)
    {
        lexer = new Lexer(text);
        current = lexer.Next();
    }

    public int Expression()
    {
        int value = Term();
        while (current == TokenKind.Plus || current == TokenKind.Minus)
        {
            bool plus = current == TokenKind.Plus;
            current = lexer.Next();
            int right = Term();
            value = plus ? value + right : value - right;
        }
        return value;
    }

    int Term()
    {
        int value = Factor();
        while (current == TokenKind.Times)
        {
            current = lexer.Next();
            value *= Factor();
        }
        return value;
    }

    int Factor()
    {
        switch (current)
        {
            case TokenKind.Number:
                int n = lexer.Value;
                current = lexer.Next();
                return n;
            case TokenKind.Minus:
                current = lexer.Next();
                return -Factor();
            case TokenKind.LeftParen:
                current = lexer.Next();
                int inner = Expression();
                current = lexer.Next();
                return inner;
            default:
                return 0;
        }
    }
}

static class Program
{
    static string Name(TokenKind kind)
    {
        switch (kind)
        {
            case TokenKind.Number: return "number";
            case TokenKind.Plus: return "plus";
            case TokenKind.Minus: return "minus";
            case TokenKind.Times: return "times";
            case TokenKind.LeftParen: return "(";
            case TokenKind.RightParen: return ")";
            case TokenKind.End: return "end";
            default: return "error";
        }
    }

    static Light Step(Light light)
    {
        switch (light)
        {
            case Light.Red: return Light.Green;
            case Light.Green: return Light.Yellow;
            default: return Light.Red;
        }
    }

    static void Main()
    {
        var lexer = new Lexer("12 + (3*4) - x");
        TokenKind kind;
        string line = "";
        do
        {
            kind = lexer.Next();
            line += Name(kind) + " ";
        }
        while (kind != TokenKind.End && kind != TokenKind.Error);
        Console.WriteLine(line);
        Console.WriteLine("2 + 3 * (4 - 1) * -2 = " + new Calculator("2 + 3 * (4 - 1) * -2").Expression());

        Light light = Light.Red;
        int seen = 0;
        for (int i = 0; i < 5; i++)
        {
            seen |= (int)light;
            Console.Write((int)light);
            light = Step(light);
        }
        Console.WriteLine(" seen=" + seen + " all=" + (seen == (int)(Light.Red | Light.Green | Light.Yellow)));
        long big = 1L << 40;
        switch (big)
        {
            case 1L << 40:
                Console.WriteLine("long switch");
                break;
        }
    }
}
