// A run-time error: long.MinValue % -1 throws OverflowException on CoreCLR, like the int version: exit 134 after
// the remainders that are fine print.
using System;

static class Program
{
    static long Remainder(long a, long b) => a % b; // panics here

    static void Main()
    {
        Console.WriteLine(Remainder(long.MinValue, 3));
        Console.WriteLine(Remainder(long.MinValue + 1, -1));
        Console.WriteLine(Remainder(long.MaxValue, long.MinValue));
        Console.WriteLine(Remainder(long.MinValue, -1));
    }
}
