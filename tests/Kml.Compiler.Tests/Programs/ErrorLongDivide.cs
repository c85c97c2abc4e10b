// Run-time errors on longs: division by zero, and long.MinValue / -1 (checked before the runtime's 64-bit division).
using System;

static class Program
{
    static long Divide(long a, long b) => a / b; // panics here

    static void Main()
    {
        Console.WriteLine(Divide(long.MinValue, 2));
        Console.WriteLine(Divide(-7, -1));
        Console.WriteLine(Divide(long.MinValue, -1));
    }
}
