// Math.Min, Max and Abs on every integer type they take, with mixed-width arguments; gcd and lcm, integer square
// root by Newton's method and by bisection, modular exponentiation with ulong, trial-division primes, the longest
// Collatz chain below 30000 (long arithmetic), and digit sums.
using System;

static class Program
{
    static long Gcd(long a, long b) { a = Math.Abs(a); b = Math.Abs(b); while (b != 0) { long t = a % b; a = b; b = t; } return a; }
    static long Lcm(long a, long b) => a / Gcd(a, b) * b;

    static uint IsqrtNewton(uint n)
    {
        if (n < 2) return n;
        uint x = n, y = x / 2 + 1;
        while (y < x) { x = y; y = (x + n / x) / 2; }
        return x;
    }

    static long IsqrtBisect(long n)
    {
        long lo = 0, hi = Math.Min(n, 3037000499L);
        while (lo < hi) { long mid = lo + (hi - lo + 1) / 2; if (mid * mid <= n) lo = mid; else hi = mid - 1; }
        return lo;
    }

    static ulong MulMod(ulong a, ulong b, ulong m)
    {
        ulong result = 0;
        a %= m;
        while (b > 0) { if ((b & 1) != 0) result = (result + a) % m; a = (a * 2) % m; b >>= 1; }
        return result;
    }

    static ulong PowMod(ulong b, ulong e, ulong m)
    {
        ulong r = 1 % m;
        b %= m;
        while (e > 0) { if ((e & 1) != 0) r = MulMod(r, b, m); b = MulMod(b, b, m); e >>= 1; }
        return r;
    }

    static bool IsPrime(int n)
    {
        if (n < 2) return false;
        for (int d = 2; (long)d * d <= n; d++) if (n % d == 0) return false;
        return true;
    }

    static int DigitSum(long n) { int s = 0; n = Math.Abs(n); while (n > 0) { s += (int)(n % 10); n /= 10; } return s; }

    static void Main()
    {
        sbyte sb = -100; byte b = 200; short s = -30000; ushort us = 60000; int i = -2000000000; uint u = 4000000000; long l = -9000000000000000000; ulong ul = 18000000000000000000;
        Console.WriteLine(Math.Min(sb, (sbyte)5) + " " + Math.Max(b, (byte)7) + " " + Math.Abs(sb) + " " + Math.Min(s, (short)-1) + " " + Math.Max(us, (ushort)1) + " " + Math.Abs(s));
        Console.WriteLine(Math.Min(i, 3) + " " + Math.Max(u, 5u) + " " + Math.Abs(i) + " " + Math.Min(l, 0L) + " " + Math.Max(ul, 1UL) + " " + Math.Abs(l));
        Console.WriteLine(Math.Max(sb, s) + " " + Math.Min(b, us) + " " + Math.Max(i, l) + " " + Math.Min(u, ul) + " " + Math.Abs(int.MinValue + 1) + " " + Math.Abs(long.MinValue + 1));
        Console.WriteLine(Gcd(1071, 462) + " " + Gcd(-48, 18) + " " + Gcd(0, 5) + " " + Lcm(21, 6) + " " + Lcm(1000000007, 998244353));
        long lcm = 1;
        for (int k = 1; k <= 40; k++) lcm = Lcm(lcm, k);
        Console.WriteLine(lcm);
        Console.WriteLine(IsqrtNewton(0) + " " + IsqrtNewton(15) + " " + IsqrtNewton(16) + " " + IsqrtNewton(uint.MaxValue) + " " + IsqrtBisect(long.MaxValue) + " " + IsqrtBisect(999999999999));
        Console.WriteLine(PowMod(2, 10, 1000) + " " + PowMod(3, 1000000, 1000000007) + " " + PowMod(123456789, 987654321, 18446744073709551557UL) + " " + PowMod(5, 0, 1));
        int count = 0, last = 0;
        for (int n = 0; n < 20000; n++) if (IsPrime(n)) { count++; last = n; }
        Console.WriteLine(count + " " + last + " " + IsPrime(2147483647));
        int bestStart = 0, bestLength = 0;
        for (int start = 1; start < 30000; start++)
        {
            long n = start;
            int length = 1;
            while (n != 1) { n = (n & 1) == 0 ? n >> 1 : 3 * n + 1; length++; }
            if (length > bestLength) { bestLength = length; bestStart = start; }
        }
        Console.WriteLine(bestStart + " " + bestLength + " " + DigitSum(long.MinValue + 1) + " " + DigitSum(9876543210));
    }
}
