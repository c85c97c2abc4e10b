// int.Parse on every accepted form (signs, white space U+0009..U+000D and space around the number, leading zeros,
// the extremes, trailing NULs) and ToString of every integer type at its extremes, of char and bool, and of values
// converted between types; numbers round-trip through their text.
using System;

static class Program
{
    static void Main()
    {
        string[] inputs = { "0", "-0", "+0", "42", "  42", "42  ", "\t\n 17 \r\v\f", "-2147483648", "2147483647", "+2147483647",
            "0000000000000000000000123", "-000", "7\0", "7\0\0", " -1 " };
        string line = "";
        foreach (string s in inputs) line += int.Parse(s) + ";";
        Console.WriteLine(line);
        int total = 0;
        for (int i = -1000; i <= 1000; i += 7) total += int.Parse(i.ToString()) == i ? 1 : 0;
        Console.WriteLine(total);
        int x = 1;
        string powers = "";
        for (int i = 0; i < 12; i++) { powers += int.Parse(x.ToString() + "") + " "; x *= -7; }
        Console.WriteLine(powers);
        Console.WriteLine(sbyte.MinValue.ToString() + " " + sbyte.MaxValue.ToString() + " " + byte.MaxValue.ToString() + " " + short.MinValue.ToString() + " " + ushort.MaxValue.ToString());
        Console.WriteLine(int.MinValue.ToString() + " " + uint.MaxValue.ToString() + " " + long.MinValue.ToString() + " " + long.MaxValue.ToString() + " " + ulong.MaxValue.ToString());
        char c = 'Q';
        bool t = true, f = false;
        Console.WriteLine(c.ToString() + t.ToString() + f.ToString() + 'x' + (char)('a' + 2) + ('a' + 2) + true + (1 < 2) + (c == 'Q'));
        long big = 1;
        string ladder = "";
        for (int i = 0; i < 20; i++) { ladder += big + ","; big *= -10; }
        Console.WriteLine(ladder);
        ulong ubig = 1;
        for (int i = 0; i < 19; i++) ubig *= 10;
        Console.WriteLine(ubig + " " + (ubig * 18 + 446744073709551615UL) + " " + (ubig - 1).ToString().Length);
        Console.WriteLine((byte)200 + " " + (sbyte)(-5) + " " + (short)-300 + " " + (ushort)65000 + " " + 3000000000u + " " + -9000000000L + " " + 9000000000UL);
        Console.WriteLine(int.Parse("12") + int.Parse("-30") * int.Parse(" 4 ") + " " + (int.Parse("2147483647") + 1) + " " + -int.Parse("-2147483648"));
        string digits = "";
        for (char d = '0'; d <= '9'; d++) digits += int.Parse(d.ToString()) * int.Parse(d.ToString());
        Console.WriteLine(digits + " " + digits.Length);
    }
}
