// A run-time error: Substring out of range (ArgumentOutOfRangeException): exit 134.
using System;

static class Program
{
    static void Main()
    {
        string s = "abcdef";
        Console.WriteLine(s.Substring(2, 3) + s.Substring(6) + s.Substring(0, 6));
        Console.WriteLine(s.Substring(4, 3)); // panics here
    }
}
