// Deliberately outside the KML subset (see expected-errors.txt).
using System;
using System.Collections.Generic;

static class Program
{
    static void Main()
    {
        double ratio = 0.5;
        Console.WriteLine(ratio > 0);
        var names = new List<string>();
        Func<int, int> twice = x => x * 2;
        Console.WriteLine($"{names.Count} names");
        try
        {
            Console.WriteLine(twice(21));
        }
        catch (Exception)
        {
        }
    }
}
