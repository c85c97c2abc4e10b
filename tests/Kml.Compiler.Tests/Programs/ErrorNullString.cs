// A run-time error: the length of a null string (NullReferenceException): exit 134.
using System;

static class Program
{
    static string? Pick(int i) => i < 2 ? "item" + i : null;

    static void Main()
    {
        for (int i = 0; i < 5; i++) Console.WriteLine(Pick(i)!.Length); // panics here
    }
}
