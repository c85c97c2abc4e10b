// A small KML program in two files: counts the primes below a limit with a sieve (Sieve.cs), prints the last few,
// and writes them to a file that it reads back through the Kml API. Build and run it in ring 0:
//   ./kml build samples/csharp/primes/Primes.cs samples/csharp/primes/Sieve.cs -o primes.elf
//   ./kml run primes.elf              (ring 0, verified by the kernel's checker)
//   ./kml run --mode user primes.elf  (ring 3)
// The same files run on CoreCLR unchanged (see README.md in this folder).
using System;
using Kml;

static class Program
{
    static int Main()
    {
        const int limit = 100000;
        bool[] composite = Sieve.Composites(limit);
        int count = 0;
        string last = "";
        for (int n = 2; n < limit; n++)
        {
            if (composite[n]) continue;
            count++;
            if (n > limit - 100) last += n + " ";
        }
        Console.WriteLine(count + " primes below " + limit + "; the last ones: " + last);

        byte[] text = Utf8.Encode(last);
        int fd = Files.Open("primes.txt", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (fd < 0) { Console.WriteLine("open: " + Errno.Name(fd)); return 1; }
        Files.Write(fd, text, 0, text.Length);
        Files.Close(fd);
        FileStatus status = new FileStatus();
        Files.Status("primes.txt", status);
        Console.WriteLine("primes.txt: " + status.Size + " bytes, pid " + (Kml.Process.Id() > 0 ? "known" : "unknown"));
        return count == 9592 ? 0 : 2;
    }
}
