// Dynamic programming: longest common subsequence (with the sequence), edit distance, 0/1 knapsack, coin change
// counts (long), and the longest increasing subsequence.
using System;

static class Program
{
    static string Lcs(string a, string b)
    {
        int[][] t = new int[a.Length + 1][];
        for (int i = 0; i <= a.Length; i++) t[i] = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : Math.Max(t[i - 1][j], t[i][j - 1]);
        char[] result = new char[t[a.Length][b.Length]];
        int x = a.Length, y = b.Length, k = result.Length;
        while (x > 0 && y > 0)
        {
            if (a[x - 1] == b[y - 1]) { result[--k] = a[x - 1]; x--; y--; }
            else if (t[x - 1][y] >= t[x][y - 1]) x--;
            else y--;
        }
        return new string(result);
    }

    static int EditDistance(string a, string b)
    {
        int[] prev = new int[b.Length + 1], cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
            }
            int[] swap = prev; prev = cur; cur = swap;
        }
        return prev[b.Length];
    }

    static int Knapsack(int[] weights, int[] values, int capacity)
    {
        int[] best = new int[capacity + 1];
        for (int i = 0; i < weights.Length; i++)
            for (int w = capacity; w >= weights[i]; w--)
                best[w] = Math.Max(best[w], best[w - weights[i]] + values[i]);
        return best[capacity];
    }

    static long CoinWays(int[] coins, int amount)
    {
        long[] ways = new long[amount + 1];
        ways[0] = 1;
        foreach (int c in coins)
            for (int a = c; a <= amount; a++) ways[a] += ways[a - c];
        return ways[amount];
    }

    static int Lis(int[] xs)
    {
        int[] tails = new int[xs.Length];
        int size = 0;
        foreach (int x in xs)
        {
            int lo = 0, hi = size;
            while (lo < hi) { int mid = (lo + hi) >>> 1; if (tails[mid] < x) lo = mid + 1; else hi = mid; }
            tails[lo] = x;
            if (lo == size) size++;
        }
        return size;
    }

    static void Main()
    {
        Console.WriteLine(Lcs("AGGTABQXYZ", "GXTXAYBQZ") + " " + Lcs("kernel mode linux", "typed assembly language"));
        Console.WriteLine(EditDistance("kitten", "sitting") + " " + EditDistance("", "abc") + " " + EditDistance("intention", "execution"));
        Console.WriteLine(Knapsack(new int[] { 12, 7, 11, 8, 9 }, new int[] { 24, 13, 23, 15, 16 }, 26));
        Console.WriteLine(CoinWays(new int[] { 1, 2, 5, 10, 20, 50, 100, 200 }, 200) + " " + CoinWays(new int[] { 1, 5, 10, 25, 50 }, 10000));
        Console.WriteLine(Lis(new int[] { 10, 9, 2, 5, 3, 7, 101, 18, 4, 8, 6, 12, 13 }));
    }
}
