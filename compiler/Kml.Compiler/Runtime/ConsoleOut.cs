// The TAL side of Console output: UTF-16 to UTF-8 into a buffer written to descriptor 1 at the end of every
// Console.Write or Console.WriteLine call (as CoreCLR's Console.Out, which flushes every call: output is never
// lost when a fault ends the program), and when the buffer fills.
namespace Kml;

/// <summary>Buffered standard output for Console.Write and Console.WriteLine.</summary>
internal static class ConsoleOut
{
    private const int Capacity = 8192;
    private static byte[]? buffer;
    private static int used;
    private static int pendingHigh = -1;

    private static byte[] Buffer()
    {
        if (buffer == null)
        {
            buffer = new byte[Capacity];
        }
        return buffer;
    }

    /// <summary>Writes what is buffered.</summary>
    public static void Flush()
    {
        if (pendingHigh >= 0)
        {
            // A high surrogate at the end of the output has no partner: the replacement character.
            pendingHigh = -1;
            Put(0xFFFD);
        }
        if (used == 0)
        {
            return;
        }
        byte[] b = Buffer();
        int done = 0;
        while (done < used)
        {
            int n = KernelCalls.Write(1, b, done, used - done);
            if (n <= 0)
            {
                break;
            }
            done += n;
        }
        used = 0;
    }

    private static void Byte(int value)
    {
        byte[] b = Buffer();
        if (used == b.Length)
        {
            int saved = pendingHigh;
            pendingHigh = -1;
            Flush();
            pendingHigh = saved;
        }
        b[used] = (byte)value;
        used++;
    }

    // One code point as UTF-8.
    private static void Put(int c)
    {
        if (c < 0x80)
        {
            Byte(c);
        }
        else if (c < 0x800)
        {
            Byte(0xC0 | (c >> 6));
            Byte(0x80 | (c & 0x3F));
        }
        else if (c < 0x10000)
        {
            Byte(0xE0 | (c >> 12));
            Byte(0x80 | ((c >> 6) & 0x3F));
            Byte(0x80 | (c & 0x3F));
        }
        else
        {
            Byte(0xF0 | (c >> 18));
            Byte(0x80 | ((c >> 12) & 0x3F));
            Byte(0x80 | ((c >> 6) & 0x3F));
            Byte(0x80 | (c & 0x3F));
        }
    }

    // One UTF-16 unit: surrogate pairs may be split across calls (Console.Write('\uD83D'); Console.Write('\uDE00')).
    private static void Unit(int c)
    {
        if (pendingHigh >= 0)
        {
            if (c >= 0xDC00 && c <= 0xDFFF)
            {
                int code = 0x10000 + ((pendingHigh - 0xD800) << 10) + (c - 0xDC00);
                pendingHigh = -1;
                Put(code);
                return;
            }
            pendingHigh = -1;
            Put(0xFFFD);
        }
        if (c >= 0xD800 && c <= 0xDBFF)
        {
            pendingHigh = c;
            return;
        }
        if (c >= 0xDC00 && c <= 0xDFFF)
        {
            Put(0xFFFD);
            return;
        }
        Put(c);
    }

    // Every call ends the way Console.Write and Console.WriteLine end: with a line end or not, and a flush.
    private static void End(bool newLine)
    {
        if (newLine)
        {
            Unit('\n');
        }
        Flush();
    }

    private static void Text(string? text)
    {
        if (text == null)
        {
            return;
        }
        for (int i = 0; i < text.Length; i++)
        {
            Unit(text[i]);
        }
    }

    public static void Write(string? text, bool newLine)
    {
        Text(text);
        End(newLine);
    }

    public static void NewLine()
    {
        End(true);
    }

    public static void WriteChar(char c, bool newLine)
    {
        Unit(c);
        End(newLine);
    }

    public static void WriteBoolean(bool value, bool newLine)
    {
        Text(value ? "True" : "False");
        End(newLine);
    }

    public static void WriteInt64(long value, bool newLine)
    {
        if (value < 0)
        {
            Unit('-');
            Digits(0UL - (ulong)value);
        }
        else
        {
            Digits((ulong)value);
        }
        End(newLine);
    }

    public static void WriteUInt64(ulong value, bool newLine)
    {
        Digits(value);
        End(newLine);
    }

    private static void Digits(ulong value)
    {
        if (value >> 32 == 0)
        {
            Digits32((uint)value);
            return;
        }
        // 20 digits hold ulong.MaxValue.
        char[] digits = new char[20];
        int n = 0;
        do
        {
            digits[n] = (char)('0' + (int)(value % 10));
            n++;
            value /= 10;
        }
        while (value != 0);
        while (n > 0)
        {
            n--;
            Unit(digits[n]);
        }
    }

    // The common case without 64-bit division and without allocating.
    private static void Digits32(uint value)
    {
        uint divisor = 1;
        while (value / divisor >= 10)
        {
            divisor *= 10;
        }
        while (divisor > 0)
        {
            Unit((int)('0' + value / divisor % 10));
            divisor /= 10;
        }
    }
}
