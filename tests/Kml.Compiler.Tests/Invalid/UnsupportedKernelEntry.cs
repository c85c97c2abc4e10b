// In the subset, but the Kml API members need kernel entry points the typed kernel interface does not have yet:
// the compiler names the member and the entry point.
// expect: UnsupportedKernelEntry.cs(13,27): error KML1001: 'Kml.Files.Delete(string)' needs the kernel entry point 'unlink', which the typed kernel interface does not have yet (not supported by the KML compiler v1)
// expect: UnsupportedKernelEntry.cs(15,27): error KML1001: 'Kml.Sockets.LocalPort(int)' needs the kernel entry point 'getsockname', which the typed kernel interface does not have yet (not supported by the KML compiler v1)
// expect: UnsupportedKernelEntry.cs(15,50): error KML1001: 'Kml.Directories.Create(string, int)' needs the kernel entry point 'mkdir', which the typed kernel interface does not have yet (not supported by the KML compiler v1)
using System;
using Kml;

static class Program
{
    static void Main()
    {
        Console.WriteLine(Files.Delete("/tmp/x"));
        int s = Sockets.Tcp();
        Console.WriteLine(Sockets.LocalPort(s) + Directories.Create("/tmp/d"));
    }
}
