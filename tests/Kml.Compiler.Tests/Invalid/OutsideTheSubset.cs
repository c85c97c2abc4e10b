// Outside the subset: checked arithmetic and conversions, ref parameters, tuples, patterns, nullable value
// types, string interpolation, goto, multi-dimensional arrays, null operators: each reported where it appears (expected at the end).
using System;

static class Program
{
    static void Twice(ref int x) { x *= 2; }

    static void Main()
    {
        int big = int.MaxValue;
        int sum = checked(big + 1);
        byte narrow = checked((byte)big);
        int y = 1;
        Twice(ref y);
        var pair = (1, 2);
        object o = y;
        if (o is int n) Console.WriteLine(n);
        int? maybe = null;
        Console.WriteLine($"{sum} {narrow}");
        int[,] grid = new int[2, 2];
        string? s = null;
        Console.WriteLine(s?.Length ?? 0);
        goto done;
    done:
        Console.WriteLine(pair.Item1 + grid.Length + (maybe == null ? 0 : 1));
    }
}
// expect: OutsideTheSubset.cs(7,23): error KML0006: 'ref' parameter 'x' is not in the KML subset
// expect: OutsideTheSubset.cs(12,19): error KML0016: 'checked' expression is not in the KML subset
// expect: OutsideTheSubset.cs(13,23): error KML0016: 'checked' expression is not in the KML subset
// expect: OutsideTheSubset.cs(16,20): error KML0013: tuple literal is not in the KML subset
// expect: OutsideTheSubset.cs(17,9): error KML0019: type 'object' is not in the KML subset
// expect: OutsideTheSubset.cs(18,13): error KML0012: 'is' pattern is not in the KML subset
// expect: OutsideTheSubset.cs(19,9): error KML0014: nullable value type 'int?' is not in the KML subset
// expect: OutsideTheSubset.cs(20,27): error KML0018: interpolated string is not in the KML subset
// expect: OutsideTheSubset.cs(21,9): error KML0017: multi-dimensional array type 'int[*,*]' is not in the KML subset
// expect: OutsideTheSubset.cs(21,27): error KML0017: multi-dimensional array type 'int[*,*]' is not in the KML subset
// expect: OutsideTheSubset.cs(23,28): error KML0015: null-conditional operator '?.' is not in the KML subset
// expect: OutsideTheSubset.cs(23,37): error KML0015: null-coalescing operator '??' is not in the KML subset
// expect: OutsideTheSubset.cs(24,9): error KML0020: 'goto' statement is not in the KML subset
// expect: OutsideTheSubset.cs(25,5): error KML0020: label 'done' is not in the KML subset
