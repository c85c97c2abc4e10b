// Strings: foreach over strings, building with +, Substring, IndexOf, StartsWith/EndsWith, ToCharArray,
// new string(char[]), ToString and int.Parse, string equality, arrays of strings.
using System;

static class Strings
{
    static string Reverse(string s)
    {
        char[] chars = s.ToCharArray();
        for (int i = 0, j = chars.Length - 1; i < j; i++, j--)
        {
            char t = chars[i];
            chars[i] = chars[j];
            chars[j] = t;
        }
        return new string(chars);
    }

    static int CountWords(string s)
    {
        int words = 0;
        bool inWord = false;
        foreach (char c in s)
        {
            bool letter = c != ' ' && c != ',' && c != '.';
            if (letter && !inWord)
            {
                words++;
            }
            inWord = letter;
        }
        return words;
    }

    static string[] Split(string s, char separator)
    {
        int parts = 1;
        foreach (char c in s)
        {
            if (c == separator)
            {
                parts++;
            }
        }
        string[] result = new string[parts];
        int index = 0;
        string rest = s;
        int at = rest.IndexOf(separator);
        while (at >= 0)
        {
            result[index] = rest.Substring(0, at);
            index++;
            rest = rest.Substring(at + 1);
            at = rest.IndexOf(separator);
        }
        result[index] = rest;
        return result;
    }

    static string Join(string[] parts, string separator)
    {
        string result = "";
        for (int i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                result += separator;
            }
            result = string.Concat(result, parts[i]);
        }
        return result;
    }

    static string PadLeft(string s, int width, char pad)
    {
        while (s.Length < width)
        {
            s = pad + s;
        }
        return s;
    }

    static void Main(string[] args)
    {
        string text = "The quick brown fox, jumps over the lazy dog.";
        Console.WriteLine(Reverse("stressed"));
        Console.WriteLine("words: " + CountWords(text) + ", length: " + text.Length + ", args: " + args.Length);
        string[] fields = Split("10,20,,-5,7", ',');
        int sum = 0;
        foreach (string f in fields)
        {
            if (f.Length > 0)
            {
                sum += int.Parse(f);
            }
        }
        Console.WriteLine(fields.Length + " fields, sum " + sum + ", joined: " + Join(fields, "|"));
        Console.WriteLine(text.StartsWith("The") + " " + text.EndsWith("dog.") + " " + text.StartsWith("the") + " " + text.IndexOf('q') + " " + text.IndexOf('#'));
        string a = "kml";
        string b = string.Concat("k", "ml");
        Console.WriteLine((a == b) + " " + (a != "KML") + " " + string.Concat(a, "-", b, "!"));
        string table = "";
        for (int i = 1; i <= 3; i++)
        {
            table = table + PadLeft(i.ToString(), 3, ' ') + PadLeft((i * i * i).ToString(), 5, '.') + '\n';
        }
        Console.Write(table);
        Console.WriteLine('x'.ToString() + true.ToString() + (-5L).ToString() + ((byte)255).ToString() + ulong.MaxValue.ToString());
        char[] digits = new char[10];
        for (int i = 0; i < digits.Length; i++)
        {
            digits[i] = (char)('0' + 9 - i);
        }
        Console.WriteLine(new string(digits));
    }
}
