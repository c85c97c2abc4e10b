// The multi-level protection paper's experiment in the KML C# subset (the C# side of kml bench copy; the C side is
// samples/c/bench/copy64k.c, the same algorithm): create a 64 KiB file, then R times copy it in 8 KiB blocks (open
// both files, 8 reads and 8 writes, close), timing each copy with the emulated monotonic clock; check the copy.
// Usage: Copy64k [R=50]
// Output: "copy64k <emulated us>": the median per copy, two decimals. (The Kml API has no host clock, so unlike the
// C program this one prints no host time; kml bench copy reports the whole process's host time instead.)
using System;
using Kml;

static class Program
{
    const int FileSize = 64 * 1024;
    const int Block = 8 * 1024;
    const string Source = "copy64k.src";
    const string Destination = "copy64k.dst";

    static bool Copy(string from, string to, byte[] block)
    {
        int input = Files.Open(from, OpenFlags.ReadOnly);
        int output = Files.Open(to, OpenFlags.Create | OpenFlags.Truncate | OpenFlags.WriteOnly, 420);
        if (input < 0 || output < 0)
        {
            Error("copy64k: open: " + Errno.Name(input < 0 ? input : output));
            return false;
        }
        int n;
        while ((n = Files.Read(input, block, 0, Block)) > 0)
        {
            if (Files.Write(output, block, 0, n) != n)
            {
                Error("copy64k: write failed");
                return false;
            }
        }
        Files.Close(input);
        Files.Close(output);
        return true;
    }

    static int Main(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0]) : 50;
        if (runs <= 0 || runs > 1000)
        {
            Error("usage: copy64k [1<=R<=1000]");
            return 2;
        }
        byte[] data = new byte[FileSize];
        for (int i = 0; i < FileSize; i++) data[i] = (byte)(i * 31 + 7);
        int fd = Files.Open(Source, OpenFlags.Create | OpenFlags.Truncate | OpenFlags.WriteOnly, 420);
        if (fd < 0 || Files.Write(fd, data, 0, FileSize) != FileSize)
        {
            Error("copy64k: cannot write " + Source);
            return 1;
        }
        Files.Close(fd);
        byte[] block = new byte[Block];
        if (!Copy(Source, Destination, block)) return 1; // warm up
        long[] emulated = new long[runs];
        for (int r = 0; r < runs; r++)
        {
            long a = Clock.MonotonicNanoseconds();
            if (!Copy(Source, Destination, block)) return 1;
            emulated[r] = Clock.MonotonicNanoseconds() - a;
        }
        // Check the copy.
        byte[] back = new byte[FileSize];
        fd = Files.Open(Destination, OpenFlags.ReadOnly);
        int total = 0;
        while (fd >= 0 && total < FileSize)
        {
            int n = Files.Read(fd, back, total, FileSize - total);
            if (n <= 0) break;
            total += n;
        }
        bool same = total == FileSize;
        for (int i = 0; same && i < FileSize; i++) same = back[i] == data[i];
        if (!same)
        {
            Error("copy64k: the copy differs");
            return 1;
        }
        Files.Close(fd);
        Console.WriteLine("copy64k " + Microseconds(TwiceTheMedian(emulated)));
        Files.Delete(Source);
        Files.Delete(Destination);
        return 0;
    }

    // Console.Error is not in the subset: the message goes to descriptor 2 as UTF-8.
    static void Error(string message)
    {
        byte[] bytes = Utf8.Encode(message + "\n");
        Files.Write(Files.StandardError, bytes, 0, bytes.Length);
    }

    // Twice the median (an exact integer for an even count too); sorts the values (insertion sort: R <= 1000).
    static long TwiceTheMedian(long[] v)
    {
        for (int i = 1; i < v.Length; i++)
        {
            long x = v[i];
            int j = i - 1;
            while (j >= 0 && v[j] > x)
            {
                v[j + 1] = v[j];
                j--;
            }
            v[j + 1] = x;
        }
        int n = v.Length;
        return n % 2 == 1 ? 2 * v[n / 2] : v[n / 2 - 1] + v[n / 2];
    }

    // Twice a nanosecond count as microseconds with two decimals, rounded half up (no floating point in the subset).
    static string Microseconds(long twiceNanoseconds)
    {
        long hundredths = (twiceNanoseconds + 10) / 20;
        long fraction = hundredths % 100;
        return (hundredths / 100) + "." + (fraction < 10 ? "0" : "") + fraction;
    }
}
