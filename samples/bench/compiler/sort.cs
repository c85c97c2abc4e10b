// Quicksort of N pseudo-random ints (the C# side of kml bench compiler; sort.c is the same algorithm).
using System;
using Kml;

static class Program
{
    const int N = 300000;

    static void Quicksort(int[] v, int lo, int hi)
    {
        if (lo >= hi) return;
        int pivot = v[lo + (hi - lo) / 2];
        int i = lo - 1, j = hi + 1;
        while (true)
        {
            do i++; while (v[i] < pivot);
            do j--; while (v[j] > pivot);
            if (i >= j) break;
            int t = v[i]; v[i] = v[j]; v[j] = t;
        }
        Quicksort(v, lo, j);
        Quicksort(v, j + 1, hi);
    }

    static void Main()
    {
        int[] a = new int[N];
        uint x = 2463534242u;
        for (int i = 0; i < N; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; a[i] = (int)(x % 1000000u); }
        long t0 = Clock.MonotonicNanoseconds();
        Quicksort(a, 0, N - 1);
        long t1 = Clock.MonotonicNanoseconds();
        uint check = 0;
        int sorted = 1;
        for (int i = 0; i < N; i++) { check = check * 31u + (uint)a[i]; if (i > 0 && a[i - 1] > a[i]) sorted = 0; }
        Console.WriteLine("sort " + (t1 - t0) + " " + check + ":" + sorted);
    }
}
