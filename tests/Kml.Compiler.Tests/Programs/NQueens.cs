// Backtracking: the number of solutions of the n-queens problem for n = 1..9, and the first solution for 8.
using System;

static class Program
{
    static int Solve(int row, int n, bool[] cols, bool[] diag1, bool[] diag2, int[] placed)
    {
        if (row == n) return 1;
        int count = 0;
        for (int c = 0; c < n; c++)
        {
            if (cols[c] || diag1[row + c] || diag2[row - c + n - 1]) continue;
            cols[c] = diag1[row + c] = diag2[row - c + n - 1] = true;
            placed[row] = c;
            count += Solve(row + 1, n, cols, diag1, diag2, placed);
            cols[c] = diag1[row + c] = diag2[row - c + n - 1] = false;
        }
        return count;
    }

    static bool First(int row, int n, int[] placed)
    {
        if (row == n) return true;
        for (int c = 0; c < n; c++)
        {
            bool ok = true;
            for (int r = 0; r < row; r++)
                if (placed[r] == c || Math.Abs(placed[r] - c) == row - r) { ok = false; break; }
            if (!ok) continue;
            placed[row] = c;
            if (First(row + 1, n, placed)) return true;
        }
        return false;
    }

    static void Main()
    {
        for (int n = 1; n <= 9; n++)
            Console.WriteLine(n + ": " + Solve(0, n, new bool[n], new bool[2 * n], new bool[2 * n], new int[n]));
        int[] q = new int[8];
        First(0, 8, q);
        for (int r = 0; r < 8; r++)
        {
            char[] line = new char[8];
            for (int c = 0; c < 8; c++) line[c] = q[r] == c ? 'Q' : '.';
            Console.WriteLine(new string(line));
        }
    }
}
