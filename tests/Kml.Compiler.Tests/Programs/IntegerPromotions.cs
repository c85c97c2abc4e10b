// C#'s integer promotions and conversions at the edges: byte, sbyte, short, ushort and char operands promote to int
// (so sbyte.MinValue / -1 and short.MinValue / -1 are fine), -uint is a long, ~byte is an int, compound assignment
// narrows back, shifts of small types, >>> of negative small values, char arithmetic, comparisons of mixed
// signedness (uint against int widens to long), constant folding against run-time evaluation.
using System;

static class Program
{
    static sbyte SB(int x) => (sbyte)x;
    static short S(int x) => (short)x;
    static byte B(int x) => (byte)x;
    static ushort US(int x) => (ushort)x;
    static uint U(uint x) => x;
    static int I(int x) => x;

    static void Main()
    {
        Console.WriteLine(SB(-128) / SB(-1) + " " + S(-32768) / S(-1) + " " + SB(-128) % SB(-1) + " " + S(-32768) * S(-32768) + " " + B(255) * B(255));
        Console.WriteLine(-U(1) + " " + -U(0) + " " + (~B(0)) + " " + (~US(0)) + " " + (~SB(0)) + " " + (-B(200)) + " " + (+SB(-5)));
        byte b = 250;
        b += 10; Console.Write(b + " ");
        b -= 20; Console.Write(b + " ");
        b *= 3; Console.Write(b + " ");
        b <<= 3; Console.Write(b + " ");
        b >>= 1; Console.Write(b + " ");
        b |= 0x81; Console.Write(b + " ");
        b ^= 0xFF; Console.WriteLine(b);
        sbyte sb = 100;
        sb += 100; Console.Write(sb + " ");
        sb *= -2; Console.Write(sb + " ");
        sb /= 3; Console.Write(sb + " ");
        sb %= 7; Console.Write(sb + " ");
        sb >>= 1; Console.Write(sb + " ");
        sb <<= 7; Console.WriteLine(sb);
        short s = -1;
        Console.WriteLine((s >>> 1) + " " + (s >> 1) + " " + (S(-2) >>> 20) + " " + (US(0xFFFF) >> 15) + " " + (B(0x80) << 24) + " " + (B(0x80) << 25) + " " + (SB(-1) << 31));
        char c = 'A';
        c += (char)2;
        c++;
        int distance = 'z' - c;
        char back = (char)(c + 1);
        Console.WriteLine(c + " " + distance + " " + back + " " + (char)('0' + 7) + " " + ('a' + 'b') + " " + (c > 'B') + " " + (int)char.MinValue);
        uint big = 3000000000;
        int neg = I(-1);
        Console.WriteLine((big > neg) + " " + (big + neg) + " " + (big * 2) + " " + (big / 7) + " " + (U(1) - U(2)) + " " + (neg < big) + " " + ((uint)neg > big));
        long viaUint = big * neg;
        Console.WriteLine(viaUint + " " + (long)(big * (uint)neg) + " " + ((ulong)big << 32) + " " + (ulong)(long)neg + " " + (int)(uint)neg);
        const int K = int.MaxValue;
        Console.WriteLine(unchecked(K + 1) + " " + unchecked(I(K) + 1) + " " + (K >> 31) + " " + (I(K) >> 31) + " " + unchecked((short)K) + " " + unchecked((short)I(K)));
        Console.WriteLine((1 << 31) + " " + (I(1) << 31) + " " + (-1 >>> 28) + " " + (I(-1) >>> 28) + " " + (7 % -3) + " " + (I(7) % I(-3)) + " " + (-7 / 2) + " " + (I(-7) / I(2)));
        ushort us = 65535;
        us++;
        ushort us2 = 0;
        us2--;
        Console.WriteLine(us + " " + us2 + " " + (ushort)(us2 + 2) + " " + (us2 + 2) + " " + (short)us2 + " " + unchecked((sbyte)(byte)200) + " " + unchecked((byte)(sbyte)-56));
    }
}
