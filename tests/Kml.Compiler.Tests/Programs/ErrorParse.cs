// A run-time error: int.Parse of malformed text (FormatException): exit 134 after the good ones print.
using System;

static class Program
{
    static void Main()
    {
        string[] inputs = { "0", " 42 ", "-17", "+5", "2147483647", "12\0\0", "\t9\n", "4x2" };
        foreach (string s in inputs) Console.WriteLine(int.Parse(s)); // panics here
    }
}
