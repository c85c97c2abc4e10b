// Integer matrix product, N x N, flat row-major arrays, i-k-j order (the C# side of kml bench compiler).
using System;
using Kml;

static class Program
{
    const int N = 160;

    static void Main()
    {
        int[] a = new int[N * N], b = new int[N * N], c = new int[N * N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) { a[i * N + j] = (i * j + 1) % 17 - 8; b[i * N + j] = (i + 2 * j) % 13 - 6; }
        long t0 = Clock.MonotonicNanoseconds();
        for (int i = 0; i < N; i++)
            for (int k = 0; k < N; k++)
            {
                int aik = a[i * N + k];
                for (int j = 0; j < N; j++) c[i * N + j] += aik * b[k * N + j];
            }
        long t1 = Clock.MonotonicNanoseconds();
        long sum = 0;
        for (int i = 0; i < N * N; i++) sum += (long)c[i] * (i % 7 + 1);
        Console.WriteLine("matmul " + (t1 - t0) + " " + sum);
    }
}
