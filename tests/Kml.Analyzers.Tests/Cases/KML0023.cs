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
