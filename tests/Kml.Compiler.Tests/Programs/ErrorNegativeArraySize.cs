// A run-time error: a negative array size (OverflowException on CoreCLR): exit 134.
using System;

static class Program
{
    static int[] Make(int n) => new int[n]; // panics here

    static void Main()
    {
        Console.WriteLine(Make(3).Length);
        Console.WriteLine(Make(0).Length);
        Console.WriteLine(Make(-1).Length);
    }
}
