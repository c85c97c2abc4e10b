// Strings: concatenation with every primitive, equality, indexer, foreach, Substring, IndexOf, StartsWith,
// EndsWith, ToCharArray, new string(char[]), string.Concat, ToString, int.Parse, non-ASCII text on stdout.
using System;

static class Program
{
    static string Reverse(string s)
    {
        char[] chars = s.ToCharArray();
        for (int i = 0, j = chars.Length - 1; i < j; i++, j--) { char t = chars[i]; chars[i] = chars[j]; chars[j] = t; }
        return new string(chars);
    }

    static bool IsPalindrome(string s)
    {
        int i = 0, j = s.Length - 1;
        while (i < j) { if (s[i] != s[j]) return false; i++; j--; }
        return true;
    }

    static int CountWords(string s)
    {
        int words = 0;
        bool inWord = false;
        foreach (char c in s)
        {
            bool letter = c != ' ' && c != ',' && c != '.';
            if (letter && !inWord) words++;
            inWord = letter;
        }
        return words;
    }

    static string Caesar(string s, int shift)
    {
        char[] r = new char[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c >= 'a' && c <= 'z') c = (char)('a' + (c - 'a' + shift) % 26);
            else if (c >= 'A' && c <= 'Z') c = (char)('A' + (c - 'A' + shift) % 26);
            r[i] = c;
        }
        return new string(r);
    }

    static void Main()
    {
        string s = "Hello, World";
        Console.WriteLine(s + " has " + s.Length + " chars; [7] is " + s[7]);
        Console.WriteLine(Reverse(s) + " " + IsPalindrome("racecar") + " " + IsPalindrome(s));
        Console.WriteLine(CountWords("the quick brown fox, jumps. over"));
        Console.WriteLine(Caesar(s, 3) + " " + Caesar(Caesar(s, 3), 23));
        Console.WriteLine(s.Substring(7) + "|" + s.Substring(0, 5) + "|" + s.Substring(12) + "|" + s.Substring(3, 0) + "|");
        Console.WriteLine(s.IndexOf('o') + " " + s.IndexOf('z') + " " + s.StartsWith("Hell") + " " + s.EndsWith("World") + " " + s.StartsWith("") + " " + s.EndsWith("Hello"));
        string t = "Hello, " + "World";
        Console.WriteLine((s == t) + " " + (s != t) + " " + (s == "hello, world") + " " + ((string?)null == null) + " " + (s == null));
        Console.WriteLine("int " + 42 + " neg " + -7 + " long " + 1234567890123L + " uint " + 4000000000u + " ulong " + ulong.MaxValue);
        Console.WriteLine("char " + 'x' + " bool " + true + " " + false + " byte " + (byte)255 + " sbyte " + (sbyte)-5 + " short " + (short)-300);
        int n = 12345;
        Console.WriteLine(n.ToString() + " " + (-n).ToString() + " " + 'q'.ToString() + " " + true.ToString() + " " + (3L * n).ToString());
        Console.WriteLine(int.Parse("123") + int.Parse("  -456 ") + int.Parse("+7") + " " + int.Parse("2147483647") + " " + int.Parse("-2147483648"));
        Console.WriteLine(string.Concat("a", "b") + string.Concat("c", "d", "e") + string.Concat("f", "g", "h", "i") + string.Concat(new string[] { "j", "k", null!, "l" }));
        string? nothing = null;
        Console.WriteLine("[" + nothing + "]" + nothing + "x");
        string acc = "";
        for (int i = 0; i < 10; i++) acc += i;
        acc += 'z';
        acc += true;
        Console.WriteLine(acc);
        Console.WriteLine("unicode: é ü ß € 日本語 😀 " + "\u00e9".Length + " " + "😀".Length);
        Console.WriteLine(new string(new char[] { 'o', 'k' }) + new string(new char[0]) + "!");
        char[] letters = "letters".ToCharArray();
        letters[0] = 'L';
        Console.WriteLine(new string(letters) + " " + "letters");
        string multi = "line one\nline two\ttabbed";
        Console.WriteLine(multi);
    }
}
