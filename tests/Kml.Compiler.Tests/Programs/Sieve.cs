// The sieve of Eratosthenes: counts and sums the primes below two million, prints the last few.
using System;

static class Program
{
    static int Sieve(bool[] composite)
    {
        int n = composite.Length;
        int count = 0;
        for (int i = 2; i < n; i++)
        {
            if (!composite[i])
            {
                count++;
                for (int j = i + i; j < n; j += i) composite[j] = true;
            }
        }
        return count;
    }

    static void Main()
    {
        bool[] composite = new bool[2_000_000];
        int count = Sieve(composite);
        long sum = 0;
        for (int i = 2; i < composite.Length; i++) if (!composite[i]) sum += i;
        Console.WriteLine("primes below 2000000: " + count + ", sum " + sum);
        int shown = 0;
        for (int i = composite.Length - 1; i >= 2 && shown < 5; i--)
        {
            if (!composite[i]) { Console.Write(i + " "); shown++; }
        }
        Console.WriteLine();
    }
}
