namespace Kml;

/// <summary>
/// UTF-8 encoding and decoding, written in the KML subset: paths and directory entry names cross the kernel
/// interface as bytes. Ill-formed input is replaced the way .NET's <c>Encoding.UTF8</c> does it: each maximal
/// ill-formed subsequence (and each lone surrogate) becomes U+FFFD.
/// </summary>
public static class Utf8
{
    private const char Replacement = '\uFFFD';

    /// <summary>The UTF-8 bytes of a string.</summary>
    /// <param name="text">The string.</param>
    /// <returns>A new array with exactly the encoded bytes (no terminator).</returns>
    public static byte[] Encode(string text)
    {
        byte[] bytes = new byte[EncodedLength(text)];
        int n = 0;
        int i = 0;
        while (i < text.Length)
        {
            int c = text[i];
            i++;
            if (c >= 0xD800 && c <= 0xDBFF && i < text.Length && text[i] >= 0xDC00 && text[i] <= 0xDFFF)
            {
                c = 0x10000 + ((c - 0xD800) << 10) + (text[i] - 0xDC00);
                i++;
            }
            else if (c >= 0xD800 && c <= 0xDFFF)
            {
                c = Replacement;
            }

            if (c < 0x80)
            {
                bytes[n] = (byte)c;
                n += 1;
            }
            else if (c < 0x800)
            {
                bytes[n] = (byte)(0xC0 | (c >> 6));
                bytes[n + 1] = (byte)(0x80 | (c & 0x3F));
                n += 2;
            }
            else if (c < 0x10000)
            {
                bytes[n] = (byte)(0xE0 | (c >> 12));
                bytes[n + 1] = (byte)(0x80 | ((c >> 6) & 0x3F));
                bytes[n + 2] = (byte)(0x80 | (c & 0x3F));
                n += 3;
            }
            else
            {
                bytes[n] = (byte)(0xF0 | (c >> 18));
                bytes[n + 1] = (byte)(0x80 | ((c >> 12) & 0x3F));
                bytes[n + 2] = (byte)(0x80 | ((c >> 6) & 0x3F));
                bytes[n + 3] = (byte)(0x80 | (c & 0x3F));
                n += 4;
            }
        }
        return bytes;
    }

    /// <summary>How many bytes <see cref="Encode"/> produces for a string.</summary>
    /// <param name="text">The string.</param>
    /// <returns>The number of UTF-8 bytes.</returns>
    public static int EncodedLength(string text)
    {
        int length = 0;
        int i = 0;
        while (i < text.Length)
        {
            int c = text[i];
            i++;
            if (c < 0x80)
            {
                length += 1;
            }
            else if (c < 0x800)
            {
                length += 2;
            }
            else if (c >= 0xD800 && c <= 0xDBFF && i < text.Length && text[i] >= 0xDC00 && text[i] <= 0xDFFF)
            {
                length += 4;
                i++;
            }
            else
            {
                length += 3;
            }
        }
        return length;
    }

    /// <summary>The string that <paramref name="count"/> UTF-8 bytes at <paramref name="offset"/> encode.</summary>
    /// <param name="bytes">The array holding the bytes.</param>
    /// <param name="offset">Where the bytes start.</param>
    /// <param name="count">How many bytes to decode.</param>
    /// <returns>The decoded string.</returns>
    public static string Decode(byte[] bytes, int offset, int count)
    {
        // At most one UTF-16 unit per byte: a 4-byte sequence becomes 2 units.
        char[] chars = new char[count];
        int n = 0;
        int i = offset;
        int end = offset + count;
        while (i < end)
        {
            int b0 = bytes[i];
            if (b0 < 0x80)
            {
                chars[n] = (char)b0;
                n++;
                i++;
                continue;
            }

            int need;
            int lower = 0x80;
            int upper = 0xBF;
            int code;
            if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                need = 1;
                code = b0 & 0x1F;
            }
            else if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                need = 2;
                code = b0 & 0x0F;
                if (b0 == 0xE0)
                {
                    lower = 0xA0;
                }
                if (b0 == 0xED)
                {
                    upper = 0x9F;
                }
            }
            else if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                need = 3;
                code = b0 & 0x07;
                if (b0 == 0xF0)
                {
                    lower = 0x90;
                }
                if (b0 == 0xF4)
                {
                    upper = 0x8F;
                }
            }
            else
            {
                chars[n] = Replacement;
                n++;
                i++;
                continue;
            }

            int j = i + 1;
            bool complete = true;
            for (int k = 0; k < need; k++)
            {
                if (j >= end || bytes[j] < lower || bytes[j] > upper)
                {
                    complete = false;
                    break;
                }
                code = (code << 6) | (bytes[j] & 0x3F);
                lower = 0x80;
                upper = 0xBF;
                j++;
            }

            // An incomplete sequence is replaced as a whole (its maximal subpart), then decoding resumes
            // at the byte that broke it.
            if (!complete)
            {
                chars[n] = Replacement;
                n++;
            }
            else if (code >= 0x10000)
            {
                chars[n] = (char)(0xD800 + ((code - 0x10000) >> 10));
                chars[n + 1] = (char)(0xDC00 + ((code - 0x10000) & 0x3FF));
                n += 2;
            }
            else
            {
                chars[n] = (char)code;
                n++;
            }
            i = j;
        }

        char[] exact = new char[n];
        for (int k = 0; k < n; k++)
        {
            exact[k] = chars[k];
        }
        return StringOps.Freeze(exact);
    }
}
