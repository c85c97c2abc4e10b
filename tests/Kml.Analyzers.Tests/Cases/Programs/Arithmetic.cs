// Integer arithmetic with C#'s unchecked semantics: long and ulong, wrap-around, shift counts masked,
// truncating division and remainder of negative numbers, casts between integer types, char arithmetic.
using System;

static class Arithmetic
{
    static ulong Fib(int n)
    {
        ulong a = 0;
        ulong b = 1;
        for (int i = 0; i < n; i++)
        {
            ulong t = a + b;
            a = b;
            b = t;
        }
        return a;
    }

    static long PowMod(long b, long e, long m)
    {
        long result = 1;
        b %= m;
        while (e > 0)
        {
            if ((e & 1) == 1)
            {
                result = result * b % m;
            }
            b = b * b % m;
            e >>= 1;
        }
        return result;
    }

    static uint Hash(string s)
    {
        uint h = 2166136261;
        foreach (char c in s)
        {
            h ^= c;
            h *= 16777619;
        }
        return h;
    }

    static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    static void Main()
    {
        Console.WriteLine("fib(90) = " + Fib(90));
        Console.WriteLine("fib(100) wraps: " + Fib(100));
        Console.WriteLine("3^200 mod 1000000007 = " + PowMod(3, 200, 1000000007));
        int max = int.MaxValue;
        max++;
        Console.WriteLine("int.MaxValue + 1 = " + max);
        long big = long.MinValue;
        big--;
        Console.WriteLine("long.MinValue - 1 = " + big);
        int one = 1;
        Console.WriteLine("1 << 33 = " + (one << 33) + ", 1L << 65 = " + (1L << 65));
        Console.WriteLine("-7 / 2 = " + (-7 / 2) + ", -7 % 2 = " + (-7 % 2) + ", 7 % -2 = " + (7 % -2));
        // Variables, not constants: constant conversions that lose bits are compile-time errors in C#.
        int minus8 = -8;
        int n300 = 300;
        int n200 = 200;
        int n70000 = 70000;
        uint u4e9 = 4000000000u;
        long minus1 = -1;
        Console.WriteLine("-8 >> 1 = " + (minus8 >> 1) + ", -8 >>> 28 = " + (minus8 >>> 28) + ", (uint)-8 >> 1 = " + ((uint)minus8 >> 1));
        Console.WriteLine("(byte)300 = " + (byte)n300 + ", (sbyte)200 = " + (sbyte)n200 + ", (short)70000 = " + (short)n70000);
        Console.WriteLine("(int)4000000000u = " + (int)u4e9 + ", (ulong)-1L = " + (ulong)minus1 + ", (ushort)-1 = " + (ushort)minus1);
        Console.WriteLine("(char)('a' + 2) = " + (char)('a' + 2) + ", 'z' - 'a' = " + ('z' - 'a'));
        Console.WriteLine("fnv(\"kml\") = " + Hash("kml"));
        Console.WriteLine("gcd(1071, 462) = " + Gcd(1071, 462));
        Console.WriteLine("min/max: " + Math.Min(-3L, 2L) + " " + Math.Max(7u, 9u) + " " + Math.Abs(-42) + " " + sbyte.MinValue + " " + ulong.MaxValue);
        ulong x = 0xDEADBEEFCAFEBABE;
        Console.WriteLine("mixing: " + ((x >> 32) ^ (x & 0xFFFFFFFF)) + " " + (~x) + " " + (x * 31 + 7));
        int shift = 35;
        Console.WriteLine("parsed: " + (int.Parse("-123") * 2) + ", 1 << 35 (variable count) = " + (1 << shift) + ", -1 >> 40 = " + (-1L >> 40));
    }
}
