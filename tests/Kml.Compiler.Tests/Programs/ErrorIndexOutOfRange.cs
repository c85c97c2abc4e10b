// A run-time error: an array index out of range ends the program with exit code 134 after the output so far.
using System;

static class Program
{
    static void Main()
    {
        int[] a = new int[5];
        for (int i = 0; i <= a.Length; i++)
        {
            Console.WriteLine("writing " + i);
            a[i] = i; // panics here
        }
        Console.WriteLine("not reached");
    }
}
