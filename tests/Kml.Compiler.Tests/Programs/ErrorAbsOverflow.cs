// A run-time error: Math.Abs(int.MinValue) throws OverflowException on CoreCLR: exit 134.
using System;

static class Program
{
    static int Abs(int x) => Math.Abs(x); // panics here

    static void Main()
    {
        Console.WriteLine(Abs(-2147483647));
        Console.WriteLine(Abs(int.MinValue));
    }
}
