// KML0021: the library surface.

// case: members of allowed types that are not on the surface
class C
{
    string M(string s)
    {
        string line = System.Console.[|ReadLine|]()!;
        string[] parts = s.[|Split|](',');
        return s.[|ToUpperInvariant|]() + s.[|Trim|]() + [|new string('-', 3)|];
    }
}
// expect: library member 'System.Console.ReadLine()' is not in the KML subset
// expect: library member 'string.Split(char, System.StringSplitOptions)' is not in the KML subset
// expect: library member 'string.ToUpperInvariant()' is not in the KML subset
// expect: library member 'string.Trim()' is not in the KML subset
// expect: library member 'new string(char, int)' is not in the KML subset

// case: a library type, named and used; its instance members are members of it
class C
{
    string M()
    {
        var sb = new [|System.Text.StringBuilder|]();
        sb.[|Append|]("x");
        return sb.[|ToString|]();
    }
}
// expect: library type 'System.Text.StringBuilder' is not in the KML subset
// expect: library member 'System.Text.StringBuilder.Append(string)' is not in the KML subset
// expect: library member 'System.Text.StringBuilder.ToString()' is not in the KML subset

// case: other integer and string members, Console.Out, Environment
class C
{
    void M(long big, string s)
    {
        long l = long.[|Parse|](s);
        string t = big.[|ToString|]("X");
        System.Console.[|Out|].[|Flush|]();
        [|System.Environment|].Exit(1);
        bool eq = s.[|Equals|]("a");
        int i = s.[|IndexOf|]("ab");
        bool st = s.[|StartsWith|]('a');
    }
}
// expect: library member 'long.Parse(string)' is not in the KML subset
// expect: library member 'long.ToString(string)' is not in the KML subset
// expect: library member 'System.Console.Out' is not in the KML subset
// expect: library member 'System.IO.TextWriter.Flush()' is not in the KML subset
// expect: library type 'System.Environment' is not in the KML subset
// expect: library member 'string.Equals(string)' is not in the KML subset
// expect: library member 'string.IndexOf(string)' is not in the KML subset
// expect: library member 'string.StartsWith(char)' is not in the KML subset

// case: object members on a struct and an enum
enum Color { Red }
struct P { public int X; }
class C
{
    string M(P p, Color c) => p.[|ToString|]() + p.[|GetHashCode|]() + c.[|ToString|]();
}
// expect: library member 'System.ValueType.ToString()' is not in the KML subset
// expect: library member 'System.ValueType.GetHashCode()' is not in the KML subset
// expect: library member 'System.Enum.ToString()' is not in the KML subset

// case: attributes outside the surface
using System.Runtime.InteropServices;
[[|StructLayout|](LayoutKind.Explicit)]
struct U
{
    [[|FieldOffset|](0)] public int A;
    [[|FieldOffset|](0)] public uint B;
}
// expect: attribute 'System.Runtime.InteropServices.StructLayoutAttribute' is not in the KML subset
// expect: attribute 'System.Runtime.InteropServices.FieldOffsetAttribute' is not in the KML subset
// expect: attribute 'System.Runtime.InteropServices.FieldOffsetAttribute' is not in the KML subset

// case: a library enum named in code, and using static of a library type
using static [|System.IO.File|];
class C
{
    bool M() => [|System.StringComparison|].Ordinal == 0 && [|Exists|]("x");
}
// expect: library type 'System.IO.File' is not in the KML subset
// expect: library type 'System.StringComparison' is not in the KML subset
// expect: library member 'System.IO.File.Exists(string)' is not in the KML subset

// accept: the whole surface
using System;
[Flags]
enum Mode { None = 0, Read = 1, Write = 2 }
class C
{
    [Obsolete("use M")]
    static void Old() { }
    static void M(string s, char[] chars, int[] a)
    {
        Console.Write("s");
        Console.Write(1);
        Console.Write(1u);
        Console.Write(1L);
        Console.Write(1UL);
        Console.Write('c');
        Console.Write(true);
        Console.Write((byte)1);
        Console.Write((short)1);
        Console.WriteLine();
        Console.WriteLine("s");
        Console.WriteLine(-1);
        Console.WriteLine(uint.MaxValue);
        Console.WriteLine(long.MinValue);
        Console.WriteLine(ulong.MaxValue);
        Console.WriteLine('\n');
        Console.WriteLine(false);
        int n = s.Length + s[0] + a.Length + chars.Length;
        string t = string.Concat(s, s) + string.Concat(s, s, s) + string.Concat(s, s, s, s) + string.Concat(new string[] { s });
        t = s.Substring(1) + s.Substring(1, 2) + s.IndexOf('x') + s.StartsWith("a") + s.EndsWith("b");
        char[] copy = s.ToCharArray();
        t = new string(copy) + (s == t) + (s != t);
        t = 1.ToString() + 1u.ToString() + 1L.ToString() + 1UL.ToString() + ((byte)1).ToString() + ((sbyte)1).ToString()
            + ((short)1).ToString() + ((ushort)1).ToString() + 'c'.ToString() + true.ToString();
        n = int.Parse("42") + Math.Min(1, 2) + Math.Max(1, 2) + Math.Abs(-1);
        long l = Math.Min(1L, 2L) + (long)Math.Max(1UL, 2UL) > 0 ? Math.Abs(-1L) : Math.Min((byte)1, (byte)2);
        n = int.MaxValue + int.MinValue + byte.MaxValue + sbyte.MinValue + short.MaxValue + ushort.MaxValue + char.MaxValue;
        l = long.MaxValue - (long)uint.MaxValue + (long)ulong.MinValue;
        Old();
    }
}

// accept: the Kml API
using Kml;
class C
{
    static int M()
    {
        int fd = Files.Open("/tmp/x", OpenFlags.ReadOnly);
        byte[] buffer = new byte[512];
        int n = Files.Read(fd, buffer, 0, buffer.Length);
        var status = new FileStatus();
        Files.Status(fd, status);
        Files.Close(fd);
        var reader = new DirectoryReader();
        if (reader.Open(".") == 0)
        {
            while (reader.Next() > 0)
            {
                System.Console.WriteLine(reader.Name + " " + status.IsDirectory);
            }
            reader.Close();
        }
        int socket = Sockets.Tcp();
        Sockets.Connect(socket, Ipv4.Loopback, 7);
        long now = Clock.MonotonicNanoseconds();
        if (n < 0)
        {
            System.Console.WriteLine(Errno.Name(n));
            Kml.Process.Exit(1);
        }
        return Kml.Process.Id();
    }
}
