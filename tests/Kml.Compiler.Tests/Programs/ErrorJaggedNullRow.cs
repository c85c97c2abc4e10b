// A run-time error: a row of a jagged array that was never allocated is null (NullReferenceException): exit 134
// after the rows that exist print.
using System;

static class Program
{
    static int Sum(int[][] rows, int r)
    {
        int s = 0;
        for (int i = 0; i < rows[r].Length; i++) s += rows[r][i]; // panics here
        return s;
    }

    static void Main()
    {
        int[][] rows = new int[3][];
        rows[0] = new int[] { 1, 2, 3 };
        rows[2] = new int[] { 4, 5 };
        Console.WriteLine(Sum(rows, 0));
        Console.WriteLine(Sum(rows, 2));
        Console.WriteLine(Sum(rows, 1));
    }
}
