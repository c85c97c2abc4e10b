// Sieve of Eratosthenes: bool arrays, nested loops, long sums, a static method with an early return.
using System;

static class Primes
{
    static bool[] Sieve(int limit)
    {
        bool[] composite = new bool[limit + 1];
        composite[0] = true;
        composite[1] = true;
        for (int i = 2; i * i <= limit; i++)
        {
            if (composite[i])
            {
                continue;
            }
            for (int j = i * i; j <= limit; j += i)
            {
                composite[j] = true;
            }
        }
        return composite;
    }

    static int NthPrime(bool[] composite, int n)
    {
        int seen = 0;
        for (int i = 0; i < composite.Length; i++)
        {
            if (!composite[i] && ++seen == n)
            {
                return i;
            }
        }
        return -1;
    }

    static void Main()
    {
        const int Limit = 100000;
        bool[] composite = Sieve(Limit);
        int count = 0;
        long sum = 0;
        for (int i = 0; i <= Limit; i++)
        {
            if (!composite[i])
            {
                count++;
                sum += i;
            }
        }
        Console.WriteLine("primes below " + Limit + ": " + count);
        Console.WriteLine("their sum: " + sum);
        Console.WriteLine("the 1000th: " + NthPrime(composite, 1000));
        Console.Write("the first ten:");
        for (int n = 1; n <= 10; n++)
        {
            Console.Write(' ');
            Console.Write(NthPrime(composite, n));
        }
        Console.WriteLine();
    }
}
