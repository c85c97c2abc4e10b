// Jagged arrays: Pascal's triangle in ragged rows, rows shared between two outer arrays (aliasing), rows replaced
// and grown, arrays of arrays of strings and of structs, foreach over both levels, three levels deep.
using System;

struct Cell
{
    public int Row, Col;
    public Cell(int row, int col) { Row = row; Col = col; }
}

static class Program
{
    static long[][] Pascal(int n)
    {
        long[][] rows = new long[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new long[i + 1];
            rows[i][0] = 1;
            rows[i][i] = 1;
            for (int j = 1; j < i; j++) rows[i][j] = rows[i - 1][j - 1] + rows[i - 1][j];
        }
        return rows;
    }

    static int Total(int[][] grid)
    {
        int sum = 0;
        foreach (int[] row in grid)
            if (row != null)
                foreach (int x in row) sum += x;
        return sum;
    }

    static int[] Grow(int[] row, int extra)
    {
        int[] bigger = new int[row.Length + extra];
        for (int i = 0; i < row.Length; i++) bigger[i] = row[i];
        for (int i = row.Length; i < bigger.Length; i++) bigger[i] = i * i;
        return bigger;
    }

    static void Main()
    {
        long[][] p = Pascal(40);
        Console.WriteLine(p[10][5] + " " + p[39][19] + " " + p[39].Length + " " + p.Length);
        string line = "";
        foreach (long v in p[8]) line += v + " ";
        Console.WriteLine(line);

        int[][] grid = new int[5][];
        for (int i = 0; i < grid.Length; i += 2) grid[i] = new int[] { i, i + 1, i + 2 };
        Console.WriteLine(Total(grid) + " " + (grid[1] == null) + " " + grid[4][2]);
        int[][] alias = new int[2][];
        alias[0] = grid[0];
        alias[1] = grid[2];
        alias[0][1] = 100;
        grid[2][0] += 50;
        Console.WriteLine(grid[0][1] + " " + alias[1][0] + " " + (alias[0] == grid[0]) + " " + Total(grid) + " " + Total(alias));
        grid[0] = Grow(grid[0], 4);
        Console.WriteLine(grid[0].Length + " " + grid[0][6] + " " + (alias[0] == grid[0]) + " " + Total(grid));

        string[][] words = new string[][] { new string[] { "kernel", "mode" }, new string[] { "linux" }, new string[0] };
        string joined = "";
        for (int i = 0; i < words.Length; i++)
        {
            joined += "[";
            for (int j = 0; j < words[i].Length; j++) joined += (j > 0 ? "," : "") + words[i][j];
            joined += "]";
        }
        Console.WriteLine(joined + " " + words[0][1].Length + " " + words[2].Length);

        Cell[][] cells = new Cell[3][];
        for (int i = 0; i < 3; i++)
        {
            cells[i] = new Cell[i + 2];
            for (int j = 0; j < cells[i].Length; j++) cells[i][j] = new Cell(i, j);
        }
        cells[2][3].Col += 10;
        Cell copy = cells[1][1];
        copy.Row = 99;
        int acc = 0;
        foreach (Cell[] row in cells) foreach (Cell c in row) acc += c.Row * 100 + c.Col;
        Console.WriteLine(acc + " " + cells[1][1].Row + " " + copy.Row + " " + cells[2][3].Col);

        int[][][] cube = new int[3][][];
        for (int i = 0; i < 3; i++)
        {
            cube[i] = new int[3][];
            for (int j = 0; j < 3; j++)
            {
                cube[i][j] = new int[3];
                for (int k = 0; k < 3; k++) cube[i][j][k] = i * 9 + j * 3 + k;
            }
        }
        int trace = 0;
        for (int i = 0; i < 3; i++) trace += cube[i][i][i];
        cube[1][2][0]++;
        Console.WriteLine(trace + " " + cube[2][1][0] + " " + cube[1][2][0] + " " + cube[2].Length);

        char[][] board = new char[3][];
        for (int i = 0; i < 3; i++) board[i] = "...".ToCharArray();
        board[1][1] = 'X';
        board[0][2] = 'O';
        for (int i = 0; i < 3; i++) Console.WriteLine(new string(board[i]));
    }
}
