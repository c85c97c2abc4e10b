// The sieve of Eratosthenes below N (the C# side of kml bench compiler; sieve.c is the same algorithm).
using System;
using Kml;

static class Program
{
    const int N = 4000000;

    static void Main()
    {
        bool[] composite = new bool[N];
        long t0 = Clock.MonotonicNanoseconds();
        for (int i = 2; i * i < N; i++)
            if (!composite[i])
                for (int j = i * i; j < N; j += i) composite[j] = true;
        int count = 0, last = 0;
        for (int i = 2; i < N; i++)
            if (!composite[i]) { count++; last = i; }
        long t1 = Clock.MonotonicNanoseconds();
        Console.WriteLine("sieve " + (t1 - t0) + " " + count + ":" + last);
    }
}
