// 64-bit edge cases: products that need the high halves, division and remainder of large and negative values
// (signed and unsigned, by 32-bit and by 64-bit divisors), shift counts 0 to 64 and beyond (masked by 63),
// arithmetic and logical right shifts, comparisons across the sign bit, mixing int, uint and long in expressions.
using System;

static class Program
{
    static long L(long x) => x;
    static ulong U(ulong x) => x;
    static int I(int x) => x;

    static void Main()
    {
        Console.WriteLine(L(0x7FFFFFFF) * L(0x7FFFFFFF) + " " + L(-3000000000) * L(3) + " " + L(long.MaxValue) * 2 + " " + L(long.MinValue) * -1);
        Console.WriteLine(U(0xFFFFFFFF) * U(0xFFFFFFFF) + " " + U(ulong.MaxValue) * U(ulong.MaxValue) + " " + U(0x1_0000_0001) * U(0xFFFF_FFFF));
        Console.WriteLine(L(123456789012345) / L(1000) + " " + L(-123456789012345) / L(1000) + " " + L(-123456789012345) % L(1000) + " " + L(123456789012345) % L(-7));
        Console.WriteLine(L(long.MinValue) / L(2) + " " + L(long.MinValue) % L(3) + " " + L(long.MaxValue) / L(long.MinValue) + " " + L(long.MinValue) / L(long.MaxValue));
        Console.WriteLine(U(ulong.MaxValue) / U(3) + " " + U(ulong.MaxValue) % U(1000000007) + " " + U(ulong.MaxValue) / U(0x1_0000_0000) + " " + U(0x8000_0000_0000_0000) / U(0xFFFF_FFFF_FFFF));
        Console.WriteLine(U(10) / U(ulong.MaxValue) + " " + U(ulong.MaxValue - 1) % U(ulong.MaxValue) + " " + L(-1) / L(-1) + " " + L(7) / L(-7));
        string shifts = "";
        for (int n = 0; n <= 66; n += 3)
            shifts += (L(-0x123456789ABCDEF) << n) + "|" + (L(-0x123456789ABCDEF) >> n) + "|" + (L(-0x123456789ABCDEF) >>> n) + "|" + (U(0xFEDCBA9876543210) >> n) + " ";
        Console.WriteLine(shifts);
        Console.WriteLine((L(1) << 31) + " " + (L(1) << 32) + " " + (L(1) << I(-1)) + " " + (L(-1) >> 63) + " " + (L(-1) >>> 63) + " " + (U(1) << 63));
        Console.WriteLine((L(-1) < L(0)) + " " + ((ulong)L(-1) < U(0)) + " " + (L(0x1_0000_0000) > L(0xFFFF_FFFF)) + " " + (L(long.MinValue) < L(long.MaxValue)) + " " + (U(0x8000_0000_0000_0000) > U(0x7FFF_FFFF_FFFF_FFFF)));
        Console.WriteLine((L(0x1_0000_0000) == L(0)) + " " + (L(0x1_0000_0005) != L(5)) + " " + (L(-5) <= L(-5)) + " " + (L(-4294967296) >= L(-4294967295)));
        int i = I(-7);
        uint u = 4000000000;
        Console.WriteLine(i + u + " " + (i * (long)u) + " " + (u + (ulong)u) + " " + ((long)i << 40) + " " + (int)(L(0x1234_5678_9ABC_DEF0) >> 16) + " " + (uint)(U(ulong.MaxValue) >> 1));
        long acc = 1;
        for (int k = 0; k < 100; k++) acc = acc * 6364136223846793005L + 1442695040888963407L;
        ulong h = 14695981039346656037UL;
        for (int k = 0; k < 256; k++) { h ^= (ulong)k; h *= 1099511628211UL; }
        Console.WriteLine(acc + " " + h + " " + (h >> 33) + " " + (acc >>> 1) + " " + -acc + " " + ~acc);
        long x = L(5);
        x += x << 33; x -= 1; x *= -3; x /= 7; x %= 1000000007; x <<= 3; x >>= 1; x ^= 0x5555; x |= 0x10000; x &= ~0xFL;
        Console.WriteLine(x + " " + x++ + " " + ++x + " " + x-- + " " + --x);
        ulong y = U(3);
        y -= 5; y >>= 2; y /= 3; y %= 1000000009;
        Console.WriteLine(y + " " + Math.Max(L(-1), L(-2)) + " " + Math.Min(U(ulong.MaxValue), U(5)) + " " + Math.Abs(L(long.MinValue + 1)));
    }
}
