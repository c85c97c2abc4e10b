// Command-line arguments: Main's string[] args on every runner (on the TAL side, built by the runtime from the kernel's
// argc/arg entries): ASCII, non-ASCII (2-, 3- and 4-byte UTF-8), an empty argument, one with a space, and many. The
// exit status is computed from them.
// args: Ada héllo "" "two words" €uro 😀 --exit 7 a b c d e f g h i j k l m n o p q r s t u v w x y z 0123456789
// exit: 108 (the number of arguments, their total length in UTF-16 units and the --exit value, mod 256)
using System;

static class Program
{
    static int Main(string[] args)
    {
        Console.WriteLine("args: " + args.Length);
        int total = 0;
        string joined = "";
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            total += a.Length;
            joined += a;
            Console.WriteLine(i + ": [" + a + "] length " + a.Length + (a.Length > 0 ? ", first unit " + (int)a[0] : ", empty"));
        }
        Console.WriteLine("joined: " + joined);
        int code = 0;
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--exit")
            {
                code = int.Parse(args[i + 1]);
            }
        }
        Console.WriteLine("total length " + total + ", --exit " + code);
        return (args.Length + total + code) % 256;
    }
}
