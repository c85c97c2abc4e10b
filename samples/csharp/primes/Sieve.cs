// The sieve of Eratosthenes (the second file of the primes sample).
static class Sieve
{
    /// <summary>composite[n] is true for every composite n below the limit (and for 0 and 1).</summary>
    public static bool[] Composites(int limit)
    {
        bool[] composite = new bool[limit];
        composite[0] = composite[1] = true;
        for (int i = 2; i * i < limit; i++)
            if (!composite[i])
                for (int j = i * i; j < limit; j += i) composite[j] = true;
        return composite;
    }
}
