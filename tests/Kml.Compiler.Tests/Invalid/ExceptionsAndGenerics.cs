// Outside the subset: exceptions and generics, each reported once at the construct.
// expect: ExceptionsAndGenerics.cs(11,16): error KML0003: generic method declaration 'Program.Id<T>(T)' is not in the KML subset
// expect: ExceptionsAndGenerics.cs(15,9): error KML0003: generic type 'System.Collections.Generic.List<int>' is not in the KML subset
// expect: ExceptionsAndGenerics.cs(15,30): error KML0003: generic type 'System.Collections.Generic.List<int>' is not in the KML subset
// expect: ExceptionsAndGenerics.cs(16,9): error KML0002: 'try' statement is not in the KML subset
using System;
using System.Collections.Generic;

static class Program
{
    static T Id<T>(T x) => x;

    static void Main()
    {
        List<int> list = new List<int>();
        try { Console.WriteLine(Id(1)); }
        catch (Exception) { }
    }
}
