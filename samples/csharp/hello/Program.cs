// Hello in the KML subset: Console output, string building, the Kml API (files, clock, process).
// Run: dotnet run --project samples/csharp/hello -- [name] [--exit N]
using System;
using Kml;

static class Program
{
    static int Main(string[] args)
    {
        string name = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : "KML";
        Console.WriteLine("Hello, " + name + "!");

        // Write a greeting to a file through the typed kernel interface and read it back.
        string path = "kml-hello-" + Kml.Process.Id() + ".txt";   // in the current directory (the guest's root in kml run)
        byte[] text = Utf8.Encode("greetings from " + name + "\n");
        int fd = Files.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (fd < 0)
        {
            Console.WriteLine("open failed: " + Errno.Name(fd));
            return 1;
        }
        Files.Write(fd, text, 0, text.Length);
        Files.Close(fd);

        var status = new FileStatus();
        Files.Status(path, status);
        byte[] buffer = new byte[(int)status.Size];
        fd = Files.Open(path, OpenFlags.ReadOnly);
        int n = Files.Read(fd, buffer, 0, buffer.Length);
        Files.Close(fd);
        Files.Delete(path);
        Console.Write("read back " + n + " bytes: " + Utf8.Decode(buffer, 0, n));

        long start = Clock.MonotonicNanoseconds();
        long sum = 0;
        for (int i = 1; i <= 1000; i++)
        {
            sum += (long)i * i;
        }
        Console.WriteLine("sum of squares 1..1000 = " + sum + (Clock.MonotonicNanoseconds() >= start ? "" : " (the clock went back!)"));

        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--exit")
            {
                Kml.Process.Exit(int.Parse(args[i + 1]));
            }
        }
        return 0;
    }
}
