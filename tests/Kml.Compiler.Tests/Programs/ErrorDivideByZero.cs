// A run-time error: integer division by zero (DivideByZeroException on CoreCLR) ends the program with 134.
using System;

static class Program
{
    static int Divide(int a, int b) => a / b; // panics here

    static void Main()
    {
        for (int d = 3; d >= 0; d--) Console.WriteLine(Divide(100, d));
    }
}
