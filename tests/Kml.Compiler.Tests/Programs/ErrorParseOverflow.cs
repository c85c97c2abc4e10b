// A run-time error: int.Parse of a number out of range (OverflowException): exit 134.
using System;

static class Program
{
    static void Main()
    {
        Console.WriteLine(int.Parse("-2147483648"));
        Console.WriteLine(int.Parse("2147483648")); // panics here
    }
}
