// Outside the subset: lambdas and local functions (delegates, KML0005), string interpolation (KML0018).
// expect: Delegates.cs(12,9): error KML0005: delegate type 'System.Func<int, int>' is not in the KML subset
// expect: Delegates.cs(12,32): error KML0005: lambda expression is not in the KML subset
// expect: Delegates.cs(13,13): error KML0005: local function 'Local(int)' is not in the KML subset
// expect: Delegates.cs(14,27): error KML0018: interpolated string is not in the KML subset
using System;

static class Program
{
    static void Main()
    {
        Func<int, int> twice = x => 2 * x;
        int Local(int y) => y + 1;
        Console.WriteLine($"{twice(2)} {Local(3)}");
    }
}
