// KML0013: tuples and deconstruction.

// case: a tuple type and a tuple literal
class C
{
    [|(int, int)|] MinMax(int a, int b) => [|(a < b ? a : b, a < b ? b : a)|];
}
// expect: tuple type '(int, int)' is not in the KML subset
// expect: tuple literal is not in the KML subset

// case: swapping by deconstruction
class C
{
    void M(int a, int b)
    {
        [|(a, b)|] = (b, a);
    }
}
// expect: deconstruction is not in the KML subset

// case: a deconstructing declaration, and a named tuple literal
class C
{
    int M()
    {
        var t = [|(x: 1, y: 2)|];
        [|var (p, q)|] = t;
        return p + q + t.x;
    }
}
// expect: tuple literal is not in the KML subset
// expect: deconstruction is not in the KML subset

// case: ValueTuple named as a generic type is a tuple type
class C
{
    [|System.ValueTuple<int, long>|] f;
}
// expect: tuple type '(int, long)' is not in the KML subset

// accept: a struct instead of a tuple, and parenthesized expressions
struct MinMax { public int Min; public int Max; }
class C
{
    static MinMax Of(int a, int b)
    {
        MinMax r;
        r.Min = (a < b) ? a : b;
        r.Max = (a < b) ? (b) : (a);
        return r;
    }
}
