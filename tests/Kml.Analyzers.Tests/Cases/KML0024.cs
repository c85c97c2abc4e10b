// KML0024: other constructs.

// case: index-from-end and range operators
class C
{
    int M(int[] a, string s)
    {
        int last = a[[|^1|]];
        string tail = [|s[1..]|];
        int[] part = a[[|1..3|]];
        return last;
    }
}
// expect: index-from-end operator '^' is not in the KML subset
// expect: index or range access is not in the KML subset
// expect: range operator '..' is not in the KML subset

// case: a UTF-8 string literal
class C
{
    int M() => [|"abc"u8|].{|KML0021:Length|};
}
// expect: UTF-8 string literal is not in the KML subset
// expect: library member 'System.ReadOnlySpan<byte>.Length' is not in the KML subset

// case: __makeref
class C
{
    void M(int x)
    {
        var r = [|__makeref(x)|];
    }
}
// expect: '__makeref' is not in the KML subset

// accept: discards, default values, sizeof, nameof, conditional expressions, compound assignments
class C
{
    static int F() => 1;
    int M(int x, bool b)
    {
        _ = F();
        int d = default;
        long e = default(long);
        int s = sizeof(long);
        string n = nameof(x);
        x += b ? 1 : 2;
        x -= 1; x *= 2; x /= 3; x %= 4; x &= 5; x |= 6; x ^= 7; x <<= 1; x >>= 1; x >>>= 1;
        x++; ++x; x--; --x;
        return -x + ~x + (b && !b || b ? 1 : 0) + d + (int)e + s + n.Length;
    }
}

// case: __arglist, declared and passed
class C
{
    void [|M|](__arglist) { }
    void N() => M([|__arglist(1, 2)|]);
}
// expect: '__arglist' method 'C.M(__arglist)' is not in the KML subset
// expect: '__arglist' is not in the KML subset
