namespace Kml;

/// <summary>
/// The runtime routines behind <c>ToString()</c> of the integer types, <c>char</c> and <c>bool</c>, and behind
/// <c>int.Parse</c>, written in the KML subset. They produce exactly what CoreCLR produces with invariant
/// globalization (tests compare them with .NET on edge cases and random values).
/// </summary>
public static class NumberText
{
    /// <summary>The decimal text of a signed integer ("-42"); also used for int, short and sbyte.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its text: an optional '-' and at least one digit.</returns>
    public static string FromInt64(long value)
    {
        if (value >= 0)
        {
            return FromUInt64((ulong)value);
        }
        // The magnitude as unsigned: 0 - value wraps correctly even for long.MinValue.
        return Digits(0UL - (ulong)value, true);
    }

    /// <summary>The decimal text of an unsigned integer; also used for uint, ushort and byte.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its digits.</returns>
    public static string FromUInt64(ulong value)
    {
        return Digits(value, false);
    }

    /// <summary>The one-character string of a char.</summary>
    /// <param name="value">The character.</param>
    /// <returns>A string of length 1.</returns>
    public static string FromChar(char value)
    {
        char[] chars = new char[1];
        chars[0] = value;
        return StringOps.Freeze(chars);
    }

    /// <summary>"True" or "False", as bool.ToString() gives them.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its text.</returns>
    public static string FromBoolean(bool value)
    {
        return value ? "True" : "False";
    }

    private static string Digits(ulong magnitude, bool negative)
    {
        // 20 digits hold ulong.MaxValue; one more for the sign.
        char[] buffer = new char[21];
        int start = buffer.Length;
        do
        {
            start--;
            buffer[start] = (char)('0' + (int)(magnitude % 10));
            magnitude /= 10;
        }
        while (magnitude != 0);
        if (negative)
        {
            start--;
            buffer[start] = '-';
        }
        char[] text = new char[buffer.Length - start];
        for (int i = 0; i < text.Length; i++)
        {
            text[i] = buffer[start + i];
        }
        return StringOps.Freeze(text);
    }

    /// <summary>
    /// int.Parse(string) without exceptions: optional white space (U+0009 to U+000D and space), an optional '+' or
    /// '-', one or more ASCII digits, optional white space, optional trailing '\0' characters, and nothing else.
    /// A malformed string is <see cref="ParseStatus.Format"/> even when its digits also overflow. The compiler turns
    /// any status but <see cref="ParseStatus.Ok"/> into the run-time error CoreCLR raises (exit code 134).
    /// </summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The value and the status.</returns>
    public static ParsedInt32 ParseInt32(string? text)
    {
        ParsedInt32 result = new ParsedInt32();
        if (text == null)
        {
            result.Status = ParseStatus.Null;
            return result;
        }
        int i = 0;
        int n = text.Length;
        while (i < n && IsWhite(text[i]))
        {
            i++;
        }
        bool negative = false;
        if (i < n && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }
        int firstDigit = i;
        long magnitude = 0;
        bool overflow = false;
        while (i < n && text[i] >= '0' && text[i] <= '9')
        {
            if (!overflow)
            {
                magnitude = magnitude * 10 + (text[i] - '0');
                overflow = magnitude > 2147483648L;
            }
            i++;
        }
        if (i == firstDigit)
        {
            result.Status = ParseStatus.Format;
            return result;
        }
        while (i < n && IsWhite(text[i]))
        {
            i++;
        }
        while (i < n && text[i] == '\0')
        {
            i++;
        }
        if (i != n)
        {
            result.Status = ParseStatus.Format;
        }
        else if (overflow || (!negative && magnitude > int.MaxValue))
        {
            result.Status = ParseStatus.Overflow;
        }
        else
        {
            result.Status = ParseStatus.Ok;
            result.Value = negative ? (int)(-magnitude) : (int)magnitude;
        }
        return result;
    }

    private static bool IsWhite(char c)
    {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
