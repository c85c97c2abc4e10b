// String algorithms: palindromes, reversing words, run-length encoding and decoding, a Caesar cipher, Knuth-Morris-
// Pratt search, anagram checks with letter counts, ordinal comparison written by hand, splitting on a separator with
// IndexOf and Substring, trimming, and building strings with string.Concat.
using System;

static class Program
{
    static bool IsPalindrome(string s)
    {
        int i = 0, j = s.Length - 1;
        while (i < j)
        {
            char a = s[i], b = s[j];
            if (a == ' ') { i++; continue; }
            if (b == ' ') { j--; continue; }
            if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
            if (b >= 'A' && b <= 'Z') b = (char)(b + 32);
            if (a != b) return false;
            i++; j--;
        }
        return true;
    }

    static string Reverse(string s)
    {
        char[] cs = s.ToCharArray();
        for (int i = 0, j = cs.Length - 1; i < j; i++, j--) { char t = cs[i]; cs[i] = cs[j]; cs[j] = t; }
        return new string(cs);
    }

    static string ReverseWords(string s)
    {
        string result = "";
        int end = s.Length;
        for (int i = s.Length - 1; i >= -1; i--)
        {
            if (i == -1 || s[i] == ' ')
            {
                if (end > i + 1) result = result.Length == 0 ? s.Substring(i + 1, end - i - 1) : string.Concat(result, " ", s.Substring(i + 1, end - i - 1));
                end = i;
            }
        }
        return result;
    }

    static string Rle(string s)
    {
        string r = "";
        for (int i = 0; i < s.Length;)
        {
            int j = i;
            while (j < s.Length && s[j] == s[i]) j++;
            r += (j - i) + s[i].ToString();
            i = j;
        }
        return r;
    }

    static string Unrle(string s)
    {
        char[] buffer = new char[1000];
        int n = 0, count = 0;
        foreach (char c in s)
        {
            if (c >= '0' && c <= '9') { count = count * 10 + (c - '0'); continue; }
            for (int k = 0; k < count; k++) buffer[n++] = c;
            count = 0;
        }
        return new string(buffer).Substring(0, n);
    }

    static string Caesar(string s, int shift)
    {
        char[] cs = s.ToCharArray();
        for (int i = 0; i < cs.Length; i++)
        {
            char c = cs[i];
            if (c >= 'a' && c <= 'z') cs[i] = (char)('a' + ((c - 'a' + shift) % 26 + 26) % 26);
            else if (c >= 'A' && c <= 'Z') cs[i] = (char)('A' + ((c - 'A' + shift) % 26 + 26) % 26);
        }
        return new string(cs);
    }

    static int Kmp(string text, string pattern, int[] found)
    {
        int[] fail = new int[pattern.Length + 1];
        fail[0] = -1;
        for (int i = 1, k = -1; i <= pattern.Length; i++)
        {
            while (k >= 0 && pattern[k] != pattern[i - 1]) k = fail[k];
            fail[i] = ++k;
        }
        int count = 0;
        for (int i = 0, k = 0; i < text.Length; i++)
        {
            while (k >= 0 && (k == pattern.Length || pattern[k] != text[i])) k = fail[k];
            k++;
            if (k == pattern.Length && count < found.Length) found[count++] = i - k + 1;
        }
        return count;
    }

    static bool Anagrams(string a, string b)
    {
        int[] counts = new int[128];
        foreach (char c in a) if (c != ' ') counts[c]++;
        foreach (char c in b) if (c != ' ') counts[c]--;
        foreach (int n in counts) if (n != 0) return false;
        return true;
    }

    static int Compare(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
        return a.Length == b.Length ? 0 : a.Length < b.Length ? -1 : 1;
    }

    static string Trim(string s)
    {
        int i = 0, j = s.Length;
        while (i < j && (s[i] == ' ' || s[i] == '\t')) i++;
        while (j > i && (s[j - 1] == ' ' || s[j - 1] == '\t')) j--;
        return s.Substring(i, j - i);
    }

    static void Main()
    {
        Console.WriteLine(IsPalindrome("A man a plan a canal Panama") + " " + IsPalindrome("kernel") + " " + IsPalindrome("") + " " + IsPalindrome("Was it a car or a cat I saw"));
        Console.WriteLine(Reverse("typed assembly") + "|" + Reverse("") + "|" + Reverse("x") + "|" + ReverseWords("  the kernel   checks  types ") + "|");
        string packed = Rle("aaaabbbcccccccccccdeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
        Console.WriteLine(packed + " " + Unrle(packed).Length + " " + (Unrle(packed) == "aaaabbbcccccccccccdeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"));
        string secret = Caesar("Kernel Mode Linux, 2005!", 13);
        Console.WriteLine(secret + " " + Caesar(secret, -13) + " " + Caesar("abcxyz", 29));
        int[] found = new int[10];
        int n = Kmp("abababcabababcababab", "ababc", found);
        string positions = "";
        for (int i = 0; i < n; i++) positions += found[i] + " ";
        Console.WriteLine(n + ": " + positions + Kmp("aaaaaa", "aa", found) + " " + Kmp("abc", "abcd", found));
        Console.WriteLine(Anagrams("dormitory", "dirty room") + " " + Anagrams("listen", "silent") + " " + Anagrams("abc", "abd"));
        Console.WriteLine(Compare("apple", "apples") + " " + Compare("b", "a") + " " + Compare("same", "same") + " " + Compare("", "x") + " " + Compare("Z", "a"));
        string csv = "alpha,beta,,gamma delta,";
        int start = 0, field = 0;
        while (true)
        {
            int comma = csv.Substring(start).IndexOf(',');
            string part = comma < 0 ? csv.Substring(start) : csv.Substring(start, comma);
            Console.WriteLine(field++ + ":[" + Trim(part) + "] starts " + part.StartsWith("al") + " ends " + part.EndsWith("ta") + " a at " + part.IndexOf('a'));
            if (comma < 0) break;
            start += comma + 1;
        }
        Console.WriteLine("[" + Trim("  \t padded \t ") + "] " + string.Concat("a", "b") + string.Concat("c", "d", "e") + string.Concat("f", "g", "h", "i"));
        string[] parts = { "x", "", "yz", "é" };
        Console.WriteLine(string.Concat(parts) + " " + string.Concat(parts).Length);
    }
}
