// A run-time error: int.MinValue / -1 (OverflowException on CoreCLR) ends the program with 134.
using System;

static class Program
{
    static int Divide(int a, int b) => a / b; // panics here

    static void Main()
    {
        Console.WriteLine(Divide(int.MinValue, 1));
        Console.WriteLine(Divide(int.MinValue, 2));
        Console.WriteLine(Divide(int.MinValue + 1, -1));
        Console.WriteLine(Divide(int.MinValue, -1));
    }
}
