// A run-time error: int.MinValue % -1 also throws OverflowException on CoreCLR (x86-64 idiv faults): exit 134.
using System;

static class Program
{
    static int Remainder(int a, int b) => a % b; // panics here

    static void Main()
    {
        Console.WriteLine(Remainder(int.MinValue, 3));
        Console.WriteLine(Remainder(int.MinValue, -1));
    }
}
