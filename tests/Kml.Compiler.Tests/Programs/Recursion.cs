// Recursion: deep (100000 frames, the kernel grows the stack), mutual, Ackermann, Towers of Hanoi, permutations.
using System;

static class Program
{
    static int Depth(int n) => n == 0 ? 0 : 1 + Depth(n - 1);
    static long SumTo(long n) => n == 0 ? 0 : n + SumTo(n - 1);
    static bool IsEven(int n) => n == 0 || IsOdd(n - 1);
    static bool IsOdd(int n) => n != 0 && IsEven(n - 1);
    static int Ackermann(int m, int n) => m == 0 ? n + 1 : n == 0 ? Ackermann(m - 1, 1) : Ackermann(m - 1, Ackermann(m, n - 1));
    static int moves;

    static void Hanoi(int n, char from, char to, char via)
    {
        if (n == 0) return;
        Hanoi(n - 1, from, via, to);
        moves++;
        if (n >= 9) Console.WriteLine("move disk " + n + " from " + from + " to " + to);
        Hanoi(n - 1, via, to, from);
    }

    static int Permute(char[] items, int k)
    {
        if (k == items.Length)
        {
            if (items[0] == 'd') Console.Write(new string(items) + " ");
            return 1;
        }
        int count = 0;
        for (int i = k; i < items.Length; i++)
        {
            char t = items[k]; items[k] = items[i]; items[i] = t;
            count += Permute(items, k + 1);
            t = items[k]; items[k] = items[i]; items[i] = t;
        }
        return count;
    }

    static void Main()
    {
        Console.WriteLine(Depth(100000));
        Console.WriteLine(SumTo(50000));
        Console.WriteLine(IsEven(10001) + " " + IsOdd(7777));
        Console.WriteLine(Ackermann(2, 3) + " " + Ackermann(3, 3));
        Hanoi(10, 'A', 'C', 'B');
        Console.WriteLine(moves + " moves");
        int n = Permute("abcd".ToCharArray(), 0);
        Console.WriteLine();
        Console.WriteLine(n + " permutations");
    }
}
