// KML0023: initializers.

// case: an object initializer
class P { public int X; public int Y; }
class C
{
    P M() => new P [|{ X = 1, Y = 2 }|];
}
// expect: object initializer is not in the KML subset

// case: a collection initializer and a collection expression
class C
{
    void M()
    {
        var list = new {|KML0003:System.Collections.Generic.List<int>|} [|{ 1, 2 }|];
        int[] a = [|[1, 2, 3]|];
    }
}
// expect: generic type 'System.Collections.Generic.List<int>' is not in the KML subset
// expect: collection initializer is not in the KML subset
// expect: collection expression is not in the KML subset

// case: an anonymous type and a with expression
struct P { public int X; }
class C
{
    int M(P p)
    {
        var a = [|new { A = 1 }|];
        P q = [|p with { X = 2 }|];
        return q.X;
    }
}
// expect: anonymous type is not in the KML subset
// expect: 'with' expression is not in the KML subset

// case: a nested object initializer is one construct
class Inner { public int V; }
class Outer { public Inner In = new Inner(); }
class C
{
    Outer M() => new Outer [|{ In = { V = 1 } }|];
}
// expect: object initializer is not in the KML subset

// accept: array creation with initializers, field initializers, construction then assignment
class P { public int X; public int Y; }
class C
{
    int[] primes = { 2, 3, 5, 7 };
    static readonly string[] Names = new string[] { "a", "b" };
    char[] letters = new[] { 'x', 'y' };
    P M()
    {
        var p = new P();
        p.X = 1;
        p.Y = 2;
        return p;
    }
}

// case: a params collection argument is not a collection expression
class C
{
    static int Sum(params {|KML0003:System.ReadOnlySpan<int>|} xs) => xs.{|KML0021:Length|};
    string M(string a) => string.{|KML0021:Concat|}(a, a, a, a, a) + Sum(1, 2, 3);
}
// expect: generic type 'System.ReadOnlySpan<int>' is not in the KML subset
// expect: library member 'System.ReadOnlySpan<int>.Length' is not in the KML subset
// expect: library member 'string.Concat(params System.ReadOnlySpan<string>)' is not in the KML subset

// accept: params arrays, optional parameters and named arguments
class C
{
    static int Sum(params int[] xs)
    {
        int s = 0;
        foreach (int x in xs) s += x;
        return s;
    }
    static int Scale(int x, int factor = 2, int offset = 0) => x * factor + offset;
    int M() => Sum() + Sum(1) + Sum(1, 2, 3) + Sum(new int[] { 4 }) + Scale(1) + Scale(1, offset: 5) + Scale(factor: 3, x: 2);
}
