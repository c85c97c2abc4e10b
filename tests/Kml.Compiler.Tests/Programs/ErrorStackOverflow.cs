// Unbounded recursion: CoreCLR prints "Stack overflow." and aborts (exit 134); KML hits the stack guard.
// native-exit: 139 the native runner reports a fault in the stack guard as SIGSEGV; the KML kernel must end the program with 134
using System;

static class Program
{
    static int Down(int n) => Down(n + 1) + 1;

    static void Main()
    {
        Console.WriteLine("going down");
        Console.WriteLine(Down(0));
    }
}
