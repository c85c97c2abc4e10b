// switch statements on integers, chars and enums (with fall-through labels and default), [Flags] enums,
// enum arithmetic and comparisons, nested loops with break and continue, do-while.
using System;

enum Suit { Clubs, Diamonds, Hearts, Spades }

enum Size : byte { Small = 1, Medium = 5, Large = 250 }

[Flags]
enum Access { None = 0, Read = 1, Write = 2, Execute = 4, All = Read | Write | Execute }

static class Program
{
    static string Name(Suit s)
    {
        switch (s)
        {
            case Suit.Clubs: return "clubs";
            case Suit.Diamonds: return "diamonds";
            case Suit.Hearts:
            case Suit.Spades: return "major";
            default: return "?";
        }
    }

    static int Classify(char c)
    {
        switch (c)
        {
            case 'a': case 'e': case 'i': case 'o': case 'u': return 1;
            case ' ': return 0;
            case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9': return 2;
            default: return 3;
        }
    }

    static string Days(int month)
    {
        int days;
        switch (month)
        {
            case 2: days = 28; break;
            case 4: case 6: case 9: case 11: days = 30; break;
            case 1: case 3: case 5: case 7: case 8: case 10: case 12: days = 31; break;
            default: days = -1; break;
        }
        return month + ":" + days;
    }

    static void Main()
    {
        for (Suit s = Suit.Clubs; s <= Suit.Spades; s++) Console.Write(Name(s) + " ");
        Console.WriteLine(Name((Suit)9));
        int[] counts = new int[4];
        foreach (char c in "kernel mode linux 2024 is tal") counts[Classify(c)]++;
        Console.WriteLine(counts[0] + " " + counts[1] + " " + counts[2] + " " + counts[3]);
        for (int m = 0; m <= 13; m++) Console.Write(Days(m) + " ");
        Console.WriteLine();
        Size big = Size.Large;
        big += 10;
        Console.WriteLine((int)big + " " + (big > Size.Medium) + " " + (int)(Size.Small | Size.Medium));
        Access a = Access.Read | Access.Write;
        Console.WriteLine((int)a + " " + ((a & Access.Write) != 0) + " " + ((a & Access.Execute) != 0) + " " + (int)(a ^ Access.All) + " " + (int)~Access.Read);
        Suit best = (Suit)3;
        Console.WriteLine((int)best + " " + (best == Suit.Spades) + " " + (Suit.Hearts < Suit.Clubs));
        int found = -1;
        for (int i = 0; i < 10 && found < 0; i++)
        {
            for (int j = 0; j < 10; j++)
            {
                if (j > i) break;
                if ((i + j) % 3 != 0) continue;
                if (i * j == 24) { found = i * 10 + j; break; }
            }
        }
        Console.WriteLine(found);
        int n = 27, steps = 0;
        do
        {
            n = n % 2 == 0 ? n / 2 : 3 * n + 1;
            steps++;
        }
        while (n != 1);
        Console.WriteLine("collatz 27: " + steps);
        int w = 0;
        while (true) { w++; if (w * w > 500) break; }
        Console.WriteLine(w);
    }
}
