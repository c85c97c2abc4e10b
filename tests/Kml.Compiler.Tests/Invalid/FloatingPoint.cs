// Outside the subset: floating point (a rule of Kml.Analyzers, reported before compiling).
// expect: FloatingPoint.cs(11,9): error KML0001: floating-point type 'double' is not in the KML subset
// expect: FloatingPoint.cs(11,20): error KML0001: floating-point literal '1.5' is not in the KML subset
// expect: FloatingPoint.cs(12,17): error KML0021: library member 'System.Console.WriteLine(double)' is not in the KML subset
using System;

static class Program
{
    static void Main()
    {
        double d = 1.5;
        Console.WriteLine(d);
    }
}
