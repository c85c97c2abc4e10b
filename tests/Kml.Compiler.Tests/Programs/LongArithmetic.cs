// 64-bit arithmetic on register pairs: add/sub with carries, multiplication, division and remainder (signed
// and unsigned), shifts by constants and variables, comparisons, conversions.
using System;

static class Program
{
    static long Id(long x) => x;
    static ulong IdU(ulong x) => x;
    static int I(int x) => x;

    static long Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    static void Main()
    {
        Console.WriteLine(Factorial(20));
        Console.WriteLine(Factorial(21));
        long a = Id(0x7FFF_FFFF);
        Console.WriteLine(a + 1);
        Console.WriteLine(Id(0xFFFF_FFFF) + Id(1));
        Console.WriteLine(Id(0x1_0000_0000) - Id(1));
        Console.WriteLine(Id(long.MaxValue) + 1);
        Console.WriteLine(Id(123456789) * Id(987654321));
        Console.WriteLine(Id(-123456789) * Id(987654321));
        Console.WriteLine(Id(0x1234_5678_9ABC) * Id(0x10001));
        Console.WriteLine(IdU(ulong.MaxValue) * IdU(3));
        Console.WriteLine(Id(1_000_000_000_000) / Id(7) + " " + Id(1_000_000_000_000) % Id(7));
        Console.WriteLine(Id(-1_000_000_000_000) / Id(7) + " " + Id(-1_000_000_000_000) % Id(7));
        Console.WriteLine(Id(long.MinValue) / Id(2) + " " + Id(long.MinValue) % Id(3));
        Console.WriteLine(IdU(ulong.MaxValue) / IdU(10) + " " + IdU(ulong.MaxValue) % IdU(10));
        Console.WriteLine(IdU(0xFFFF_FFFF_0000_0000) / IdU(0x1_0000_0001) + " " + IdU(0xFFFF_FFFF_0000_0000) % IdU(0x1_0000_0001));
        Console.WriteLine(Id(100) / Id(7) + " " + Id(-100) % Id(7) + " " + Id(5) / Id(-1) + " " + Id(long.MaxValue) / Id(-1));
        Console.WriteLine(Id(1000) / 8 + " " + Id(-1000) / 8 + " " + Id(-1000) % 16 + " " + IdU(1000) / 8 + " " + Id(-7) / 2);
        for (int s = 0; s < 70; s += 7)
            Console.WriteLine(s + ": " + (Id(0x1234_5678_9ABC_DEF0) << s) + " " + (Id(-0x1234_5678_9ABC_DEF0) >> s) + " " + (IdU(0xFEDC_BA98_7654_3210) >> s));
        Console.WriteLine((Id(-1) < Id(1)) + " " + (IdU(1) < (ulong)Id(-1)) + " " + (Id(0x1_0000_0000) > Id(0xFFFF_FFFF)) + " " + (Id(5) == Id(5)) + " " + (Id(0x1_0000_0005) == Id(5)));
        Console.WriteLine((Id(-5) <= Id(-5)) + " " + (Id(-0x1_0000_0000) < Id(-1)) + " " + (Id(-0x1_0000_0000) >= Id(0xFFFF_FFFF)));
        long x = Id(1);
        for (int i = 0; i < 62; i++) x = x * 3 + i;
        Console.WriteLine(x);
        ulong h = 14695981039346656037UL;
        for (int i = 0; i < 10; i++) { h ^= (ulong)i; h *= 1099511628211UL; }
        Console.WriteLine(h);
        long fib1 = 0, fib2 = 1;
        for (int i = 0; i < 90; i++) { long t = fib1 + fib2; fib1 = fib2; fib2 = t; }
        Console.WriteLine(fib1);
        Console.WriteLine(-Id(5) + " " + (-Id(long.MinValue)) + " " + ~Id(0) + " " + (Id(0xF0F0) & Id(0x0FF0)) + " " + (Id(0xF0F0) | Id(0x0F0F)) + " " + (Id(-1) ^ Id(0xFF)));
        int sh = I(40);
        Console.WriteLine((Id(1) << sh) + " " + (Id(long.MinValue) >> sh) + " " + (IdU(ulong.MaxValue) >> sh) + " " + (Id(3) << I(-1)));
        long acc = 0;
        for (long i = -5; i <= 5; i++) acc += i * i * i;
        Console.WriteLine(acc);
    }
}
