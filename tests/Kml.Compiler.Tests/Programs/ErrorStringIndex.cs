// A run-time error: a string index out of range (IndexOutOfRangeException): exit 134.
using System;

static class Program
{
    static void Main()
    {
        string s = "abc";
        int i = 0;
        while (true)
        {
            Console.Write(s[i]); // panics here
            i++;
        }
    }
}
