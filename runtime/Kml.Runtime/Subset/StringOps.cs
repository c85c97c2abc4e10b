namespace Kml;

/// <summary>
/// The runtime routines behind the string members of the library surface (<c>+</c> and <c>string.Concat</c>,
/// <c>==</c>, <c>Substring</c>, <c>IndexOf</c>, <c>StartsWith</c>, <c>EndsWith</c>, <c>ToCharArray</c>,
/// <c>new string(char[])</c>), written in the KML subset and compiled to TAL with every program. Programs use the
/// string members; the KML compiler calls these (after the argument checks CoreCLR makes, which it emits at the
/// call so the error names the program's line). On CoreCLR they agree with .NET's own (tests compare them).
/// </summary>
public static class StringOps
{
    /// <summary>
    /// A string with the characters of an array its caller will not change again. CoreCLR copies; the KML compiler
    /// knows this method and uses the array itself (a <c>ptr u16[]</c> is a <c>ptr const u16[]</c>).
    /// </summary>
    /// <param name="chars">The characters.</param>
    /// <returns>The string.</returns>
    public static string Freeze(char[] chars)
    {
        return new string(chars);
    }

    /// <summary>a + b, null counting as empty.</summary>
    /// <param name="a">The first string.</param>
    /// <param name="b">The second string.</param>
    /// <returns>The concatenation.</returns>
    public static string Concat(string? a, string? b)
    {
        int na = a == null ? 0 : a.Length;
        int nb = b == null ? 0 : b.Length;
        char[] chars = new char[na + nb];
        Copy(a, chars, 0);
        Copy(b, chars, na);
        return Freeze(chars);
    }

    /// <summary>a + b + c, null counting as empty.</summary>
    /// <param name="a">The first string.</param>
    /// <param name="b">The second string.</param>
    /// <param name="c">The third string.</param>
    /// <returns>The concatenation.</returns>
    public static string Concat(string? a, string? b, string? c)
    {
        int na = a == null ? 0 : a.Length;
        int nb = b == null ? 0 : b.Length;
        int nc = c == null ? 0 : c.Length;
        char[] chars = new char[na + nb + nc];
        Copy(a, chars, 0);
        Copy(b, chars, na);
        Copy(c, chars, na + nb);
        return Freeze(chars);
    }

    /// <summary>a + b + c + d, null counting as empty.</summary>
    /// <param name="a">The first string.</param>
    /// <param name="b">The second string.</param>
    /// <param name="c">The third string.</param>
    /// <param name="d">The fourth string.</param>
    /// <returns>The concatenation.</returns>
    public static string Concat(string? a, string? b, string? c, string? d)
    {
        int na = a == null ? 0 : a.Length;
        int nb = b == null ? 0 : b.Length;
        int nc = c == null ? 0 : c.Length;
        int nd = d == null ? 0 : d.Length;
        char[] chars = new char[na + nb + nc + nd];
        Copy(a, chars, 0);
        Copy(b, chars, na);
        Copy(c, chars, na + nb);
        Copy(d, chars, na + nb + nc);
        return Freeze(chars);
    }

    /// <summary>string.Concat(string[]): the strings in order, null elements counting as empty.</summary>
    /// <param name="values">The strings (not null: the compiler checks).</param>
    /// <returns>The concatenation.</returns>
    public static string ConcatArray(string?[] values)
    {
        int total = 0;
        for (int i = 0; i < values.Length; i++)
        {
            string? s = values[i];
            if (s != null)
            {
                total += s.Length;
            }
        }
        char[] chars = new char[total];
        int at = 0;
        for (int i = 0; i < values.Length; i++)
        {
            string? s = values[i];
            if (s != null)
            {
                Copy(s, chars, at);
                at += s.Length;
            }
        }
        return Freeze(chars);
    }

    private static void Copy(string? s, char[] to, int at)
    {
        if (s == null)
        {
            return;
        }
        for (int i = 0; i < s.Length; i++)
        {
            to[at + i] = s[i];
        }
    }

    /// <summary>a == b: both null, or the same characters (ordinal).</summary>
    /// <param name="a">A string or null.</param>
    /// <param name="b">A string or null.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool AreEqual(string? a, string? b)
    {
        if (a == null || b == null)
        {
            return a == null && b == null;
        }
        if (a.Length != b.Length)
        {
            return false;
        }
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>s.Substring(start, count), the range already checked.</summary>
    /// <param name="s">The string.</param>
    /// <param name="start">The first index, 0 ≤ start ≤ s.Length - count.</param>
    /// <param name="count">The length, 0 ≤ count ≤ s.Length.</param>
    /// <returns>The substring.</returns>
    public static string Substring(string s, int start, int count)
    {
        if (start == 0 && count == s.Length)
        {
            return s;
        }
        char[] chars = new char[count];
        for (int i = 0; i < count; i++)
        {
            chars[i] = s[start + i];
        }
        return Freeze(chars);
    }

    /// <summary>s.IndexOf(c): the first index of c, or -1.</summary>
    /// <param name="s">The string.</param>
    /// <param name="c">The character.</param>
    /// <returns>Its first index, or -1.</returns>
    public static int IndexOf(string s, char c)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == c)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>s.StartsWith(value), ordinal.</summary>
    /// <param name="s">The string.</param>
    /// <param name="value">The prefix (not null: the compiler checks).</param>
    /// <returns>Whether s starts with value.</returns>
    public static bool StartsWith(string s, string value)
    {
        if (value.Length > s.Length)
        {
            return false;
        }
        for (int i = 0; i < value.Length; i++)
        {
            if (s[i] != value[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>s.EndsWith(value), ordinal.</summary>
    /// <param name="s">The string.</param>
    /// <param name="value">The suffix (not null: the compiler checks).</param>
    /// <returns>Whether s ends with value.</returns>
    public static bool EndsWith(string s, string value)
    {
        int offset = s.Length - value.Length;
        if (offset < 0)
        {
            return false;
        }
        for (int i = 0; i < value.Length; i++)
        {
            if (s[offset + i] != value[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>s.ToCharArray(): a new array with the characters.</summary>
    /// <param name="s">The string.</param>
    /// <returns>A new array.</returns>
    public static char[] ToCharArray(string s)
    {
        char[] chars = new char[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            chars[i] = s[i];
        }
        return chars;
    }

    /// <summary>new string(chars): a copy of the characters; null gives "" (as in .NET).</summary>
    /// <param name="chars">The characters, or null.</param>
    /// <returns>A new string.</returns>
    public static string FromChars(char[]? chars)
    {
        if (chars == null)
        {
            return "";
        }
        char[] copy = new char[chars.Length];
        for (int i = 0; i < chars.Length; i++)
        {
            copy[i] = chars[i];
        }
        return Freeze(copy);
    }
}
