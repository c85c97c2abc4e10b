namespace Kml;

/// <summary>
/// 64-bit division and remainder for IA-32, written in the KML subset with 32-bit division and shifts (so it
/// never needs itself). The KML compiler calls these for <c>/</c> and <c>%</c> on long and ulong after checking the
/// divisor (zero) and, for signed division, long.MinValue / -1 (CoreCLR's OverflowException).
/// </summary>
public static class Int64Math
{
    /// <summary>a / b truncated towards zero (b ≠ 0, not long.MinValue / -1).</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The quotient.</returns>
    public static long DivideSigned(long a, long b)
    {
        ulong q = DivideOrRemainder(Magnitude(a), Magnitude(b), false);
        return (a < 0) != (b < 0) ? -(long)q : (long)q;
    }

    /// <summary>a % b with the sign of a (b ≠ 0, not long.MinValue % -1).</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The remainder.</returns>
    public static long RemainderSigned(long a, long b)
    {
        ulong r = DivideOrRemainder(Magnitude(a), Magnitude(b), true);
        return a < 0 ? -(long)r : (long)r;
    }

    /// <summary>a / b (b ≠ 0).</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The quotient.</returns>
    public static ulong DivideUnsigned(ulong a, ulong b)
    {
        return DivideOrRemainder(a, b, false);
    }

    /// <summary>a % b (b ≠ 0).</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The remainder.</returns>
    public static ulong RemainderUnsigned(ulong a, ulong b)
    {
        return DivideOrRemainder(a, b, true);
    }

    private static ulong Magnitude(long x)
    {
        return x < 0 ? 0UL - (ulong)x : (ulong)x;
    }

    private static ulong DivideOrRemainder(ulong n, ulong d, bool remainder)
    {
        if ((n >> 32) == 0 && (d >> 32) == 0)
        {
            uint n32 = (uint)n;
            uint d32 = (uint)d;
            return remainder ? n32 % d32 : n32 / d32;
        }
        if (d > n)
        {
            return remainder ? n : 0;
        }
        // Shift and subtract: align the divisor's top bit with the dividend's, then one quotient bit per step.
        int shift = LeadingZeros(d) - LeadingZeros(n);
        d <<= shift;
        ulong q = 0;
        for (int i = 0; i <= shift; i++)
        {
            q <<= 1;
            if (n >= d)
            {
                n -= d;
                q |= 1;
            }
            d >>= 1;
        }
        return remainder ? n : q;
    }

    private static int LeadingZeros(ulong x)
    {
        int n = 0;
        if ((x >> 32) == 0)
        {
            n += 32;
            x <<= 32;
        }
        while ((x >> 63) == 0)
        {
            n++;
            x <<= 1;
        }
        return n;
    }
}
