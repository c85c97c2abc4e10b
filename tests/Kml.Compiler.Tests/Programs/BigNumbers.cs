// Arbitrary precision with digit arrays: 100!, 2^1000 and its digit sum, and Fibonacci(500).
using System;

static class Program
{
    // Little-endian base-10000 digits; returns the number of digits in use.
    static int MultiplySmall(int[] digits, int used, int factor)
    {
        int carry = 0;
        for (int i = 0; i < used; i++)
        {
            int v = digits[i] * factor + carry;
            digits[i] = v % 10000;
            carry = v / 10000;
        }
        while (carry > 0) { digits[used++] = carry % 10000; carry /= 10000; }
        return used;
    }

    static string Format(int[] digits, int used)
    {
        string s = digits[used - 1].ToString();
        for (int i = used - 2; i >= 0; i--)
        {
            string part = digits[i].ToString();
            while (part.Length < 4) part = "0" + part;
            s += part;
        }
        return s;
    }

    static int DigitSum(string s)
    {
        int sum = 0;
        foreach (char c in s) sum += c - '0';
        return sum;
    }

    static string Fibonacci(int n)
    {
        int[] a = new int[40], b = new int[40];
        b[0] = 1;
        int used = 1;
        for (int i = 0; i < n; i++)
        {
            int carry = 0;
            for (int k = 0; k < used || carry > 0; k++)
            {
                int v = a[k] + b[k] + carry;
                a[k] = b[k];
                b[k] = v % 10000;
                carry = v / 10000;
                if (k >= used) used = k + 1;
            }
        }
        return Format(a, used);
    }

    static void Main()
    {
        int[] f = new int[100];
        f[0] = 1;
        int used = 1;
        for (int i = 2; i <= 100; i++) used = MultiplySmall(f, used, i);
        string fact = Format(f, used);
        Console.WriteLine("100! = " + fact);
        Console.WriteLine("digits " + fact.Length + ", digit sum " + DigitSum(fact));
        int[] p = new int[100];
        p[0] = 1;
        used = 1;
        for (int i = 0; i < 1000; i++) used = MultiplySmall(p, used, 2);
        string pow = Format(p, used);
        Console.WriteLine("2^1000 has " + pow.Length + " digits, digit sum " + DigitSum(pow));
        Console.WriteLine("fib(500) = " + Fibonacci(500));
    }
}
