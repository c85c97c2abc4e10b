// Matrix multiplication on flat arrays (row-major), integer arithmetic, with a checksum of the product.
using System;

static class Program
{
    static void Multiply(int[] a, int[] b, int[] c, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int sum = 0;
                for (int k = 0; k < n; k++) sum += a[i * n + k] * b[k * n + j];
                c[i * n + j] = sum;
            }
        }
    }

    static void Main()
    {
        int n = 120;
        int[] a = new int[n * n], b = new int[n * n], c = new int[n * n];
        for (int i = 0; i < n * n; i++) { a[i] = (i * 7 + 3) % 101 - 50; b[i] = (i * 13 + 5) % 97 - 48; }
        Multiply(a, b, c, n);
        long checksum = 0;
        for (int i = 0; i < n * n; i++) checksum = checksum * 17 + c[i];
        Console.WriteLine("c[0] " + c[0] + ", c[n*n-1] " + c[n * n - 1] + ", checksum " + checksum);
    }
}
