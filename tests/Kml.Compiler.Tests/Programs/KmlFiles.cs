// The Kml namespace on files and directories: create a directory and files in it, write, seek, read back, status
// (size, type), truncate, append, list the directory (sorted: the order of entries is the file system's), delete;
// error numbers for what fails; the monotonic clock and the process id.
// native: no (talrun, the TAL tests' native runner, is a sandbox: it creates, truncates and removes no files)
using System;
using Kml;

static class Program
{
    static string Read(string path)
    {
        int fd = Files.Open(path, OpenFlags.ReadOnly);
        if (fd < 0) return "error " + Errno.Name(fd);
        byte[] buffer = new byte[256];
        int total = 0;
        while (true)
        {
            int n = Files.Read(fd, buffer, total, buffer.Length - total);
            if (n <= 0) break;
            total += n;
        }
        Files.Close(fd);
        return Utf8.Decode(buffer, 0, total);
    }

    static int WriteAll(string path, string text, OpenFlags flags)
    {
        int fd = Files.Open(path, flags);
        if (fd < 0) return fd;
        byte[] bytes = Utf8.Encode(text);
        int n = Files.Write(fd, bytes, 0, bytes.Length);
        Files.Close(fd);
        return n;
    }

    static bool After(string x, string y)
    {
        for (int i = 0; i < x.Length && i < y.Length; i++) if (x[i] != y[i]) return x[i] > y[i];
        return x.Length > y.Length;
    }

    static void Main()
    {
        const string dir = "kml-files-test";
        Console.WriteLine("mkdir " + Directories.Create(dir) + " again " + Errno.Name(Directories.Create(dir)));
        string a = dir + "/a.txt", b = dir + "/b.txt", c = dir + "/c.txt";
        Console.WriteLine("write " + WriteAll(a, "hello, kernel mode\n", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate));
        Console.WriteLine("append " + WriteAll(a, "and again\n", OpenFlags.WriteOnly | OpenFlags.Append));
        Console.Write("read: " + Read(a));
        Console.WriteLine("exclusive " + Errno.Name(Files.Open(a, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive)));
        FileStatus st = new FileStatus();
        Console.WriteLine("stat " + Files.Status(a, st) + " size " + st.Size + " file " + st.IsRegularFile + " dir " + st.IsDirectory);
        Console.WriteLine("stat dir " + Files.Status(dir, st) + " " + st.IsDirectory);
        FileStatus lst = new FileStatus();
        Console.WriteLine("lstat " + Files.LinkStatus(a, lst) + " size " + lst.Size + " file " + lst.IsRegularFile + " missing " + Errno.Name(Files.LinkStatus(a + ".none", lst)));

        int fd = Files.Open(b, OpenFlags.ReadWrite | OpenFlags.Create);
        byte[] data = new byte[100];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)('A' + i % 26);
        Console.WriteLine("b: write " + Files.Write(fd, data, 0, 100) + " seek " + Files.Seek(fd, 10, Whence.Start) + " " + Files.Seek(fd, 5, Whence.Current) + " " + Files.Seek(fd, -1, Whence.End));
        byte[] back = new byte[10];
        Files.Seek(fd, 26, Whence.Start);
        Console.WriteLine("b: read " + Files.Read(fd, back, 0, 10) + " " + Utf8.Decode(back, 0, 10) + " range " + Errno.Name(Files.Read(fd, back, 5, 10)));
        Console.WriteLine("b: truncate " + Files.Truncate(fd, 30) + " fstat " + Files.Status(fd, st) + " size " + st.Size + " close " + Files.Close(fd) + " again " + Errno.Name(Files.Close(fd)));
        Console.WriteLine("c: " + WriteAll(c, "", OpenFlags.WriteOnly | OpenFlags.Create) + " " + Read(c).Length);

        DirectoryReader reader = new DirectoryReader();
        Console.WriteLine("open dir " + reader.Open(dir));
        string[] names = new string[10];
        int count = 0;
        while (reader.Next() > 0)
            if (reader.Name != "." && reader.Name != "..") names[count++] = reader.Name;
        reader.Close();
        for (int i = 1; i < count; i++)
            for (int j = i; j > 0 && After(names[j - 1], names[j]); j--) { string t = names[j]; names[j] = names[j - 1]; names[j - 1] = t; }
        string listing = "";
        for (int i = 0; i < count; i++) listing += names[i] + " ";
        Console.WriteLine("entries: " + listing);

        Console.WriteLine("rmdir non-empty " + Errno.Name(Directories.Delete(dir)));
        Console.WriteLine("delete " + Files.Delete(a) + " " + Files.Delete(b) + " " + Files.Delete(c) + " again " + Errno.Name(Files.Delete(c)));
        Console.WriteLine("read deleted: " + Read(a));
        Console.WriteLine("rmdir " + Directories.Delete(dir) + " stat " + Errno.Name(Files.Status(dir, st)));
        long t0 = Clock.MonotonicNanoseconds();
        long spin = 0;
        for (int i = 0; i < 100000; i++) spin += i;
        long t1 = Clock.MonotonicNanoseconds();
        int pid = Kml.Process.Id();
        Console.WriteLine("clock " + (t1 > t0) + " pid " + (pid > 0 && pid == Kml.Process.Id()) + " " + spin);
    }
}
