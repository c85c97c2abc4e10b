// The Kml API on both sides: Files.Write to standard output (interleaved with Console), opening a missing file
// (a negative errno), status of the root directory, UTF-8 round trips, Errno names, IPv4 formatting, the clocks,
// the process id, and Process.Exit with a status.
// exit: 3 (Process.Exit(3))
using System;
using Kml;

static class Program
{
    static void Main()
    {
        Console.Write("before ");
        byte[] bytes = Utf8.Encode("through Files.Write: é€😀\n");
        int written = Files.Write(Files.StandardOutput, bytes, 0, bytes.Length);
        Console.WriteLine("after " + (written == bytes.Length));
        Console.WriteLine(Files.Write(Files.StandardOutput, bytes, 5, bytes.Length) + " " + Errno.Name(-Errno.Fault));
        int fd = Files.Open("/no/such/file/kml", OpenFlags.ReadOnly);
        Console.WriteLine(fd + " " + Errno.Name(fd));
        Console.WriteLine(Files.Open("bad\0path", OpenFlags.ReadOnly) + " " + Files.Open("x", (OpenFlags)0x40000000));
        FileStatus st = new FileStatus();
        Console.WriteLine(Files.Status("/", st) + " " + st.IsDirectory + " " + st.IsRegularFile);
        string decoded = Utf8.Decode(bytes, 0, bytes.Length);
        Console.Write(decoded);
        Console.WriteLine(Utf8.EncodedLength("€") + " " + Utf8.Decode(new byte[] { 0xE2, 0x82 }, 0, 2).Length);
        Console.WriteLine(Ipv4.Format(Ipv4.Loopback) + " " + Ipv4.Format(Ipv4.Address(192, 168, 1, 254)));
        long t0 = Clock.MonotonicNanoseconds();
        long t1 = Clock.MonotonicNanoseconds();
        Console.WriteLine((t1 >= t0) + " " + (Clock.RealtimeNanoseconds() > 1_600_000_000_000_000_000L) + " " + (Kml.Process.Id() > 0));
        Console.WriteLine(NumberText.FromInt64(long.MinValue) + " " + NumberText.FromUInt64(ulong.MaxValue) + " " + NumberText.ParseInt32(" 12 ").Value);
        Console.WriteLine("exiting with 3");
        Kml.Process.Exit(3);
        Console.WriteLine("not reached");
    }
}
