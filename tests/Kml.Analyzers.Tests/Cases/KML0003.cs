// KML0003: generics.

// case: a generic class declaration and a generic method declaration
class Box[|<T>|]
{
    public T? Value;
}
class C
{
    static void Swap[|<T>|](T[] a, int i, int j)
    {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
// expect: generic type declaration 'Box<T>' is not in the KML subset
// expect: generic method declaration 'C.Swap<T>(T[], int, int)' is not in the KML subset

// case: a generic library type, in a declaration and a creation; its members follow from it
class C
{
    int M()
    {
        [|System.Collections.Generic.List<int>|] list = new [|System.Collections.Generic.List<int>|]();
        list.{|KML0021:Add|}(1);
        return list.{|KML0021:Count|};
    }
}
// expect: generic type 'System.Collections.Generic.List<int>' is not in the KML subset
// expect: generic type 'System.Collections.Generic.List<int>' is not in the KML subset
// expect: library member 'System.Collections.Generic.List<int>.Add(int)' is not in the KML subset
// expect: library member 'System.Collections.Generic.List<int>.Count' is not in the KML subset

// case: Span, a generic struct, and Dictionary with using directives
using System;
using System.Collections.Generic;
class C
{
    void M([|Span<byte>|] bytes, [|Dictionary<string, int>|] counts)
    {
    }
}
// expect: generic type 'System.Span<byte>' is not in the KML subset
// expect: generic type 'System.Collections.Generic.Dictionary<string, int>' is not in the KML subset

// case: a generic library method called as an extension method
using System;
class C
{
    int M(int[] a) => a.[|AsSpan|]().{|KML0021:Length|};
}
// expect: generic method 'System.MemoryExtensions.AsSpan<int>(int[])' is not in the KML subset
// expect: library member 'System.Span<int>.Length' is not in the KML subset

// case: a generic library method reached through a library type's name is that type's diagnostic
class C
{
    int M() => {|KML0021:System.Array|}.Empty<int>().Length;
}
// expect: library type 'System.Array' is not in the KML subset

// case: a static generic method through its library type's name
class C
{
    int M(int[] a) => {|KML0021:System.MemoryExtensions|}.IndexOf(a, 3);
}
// expect: library type 'System.MemoryExtensions' is not in the KML subset

// accept: arrays of every element type, including user structs and jagged arrays
struct P { public int X; }
class C
{
    P[] points = new P[3];
    int[][] jagged = new int[2][];
    string[] names = { "a", "b" };
    long Sum(long[] values)
    {
        long s = 0;
        for (int i = 0; i < values.Length; i++)
        {
            s += values[i];
        }
        return s;
    }
}
