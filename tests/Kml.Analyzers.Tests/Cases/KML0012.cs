// KML0012: type tests and pattern matching.

// case: is with a type, a pattern, and null
class C
{
    bool M(C? a, int x) => [|a is C|] || [|x is > 5 and < 10|] || [|a is null|];
}
// expect: 'is' type test is not in the KML subset
// expect: 'is' pattern is not in the KML subset
// expect: 'is' pattern is not in the KML subset

// case: as, and a switch expression
class C
{
    int M(C? c, int x)
    {
        C? d = [|c as C|];
        return x [|switch|] { 1 => 10, _ => 0 };
    }
}
// expect: 'as' conversion is not in the KML subset
// expect: switch expression is not in the KML subset

// case: pattern case labels and when clauses
class C
{
    int M(int x, int y)
    {
        switch (x)
        {
            case 1:
                return 1;
            case [|> 5|]:
                return 2;
            case 3 [|when y > 0|]:
                return 3;
            case [|int n|] when n < 0:
                return 4;
            default:
                return 0;
        }
    }
}
// expect: pattern case label is not in the KML subset
// expect: 'when' clause is not in the KML subset
// expect: pattern case label is not in the KML subset

// case: switch on a string and on a bool
class C
{
    int M(string s, bool b)
    {
        switch ([|s|])
        {
            case "a":
                return 1;
        }
        switch ([|b|])
        {
            case true:
                return 2;
        }
        return 0;
    }
}
// expect: switch on a value of type 'string' (only integers, char and enums) is not in the KML subset
// expect: switch on a value of type 'bool' (only integers, char and enums) is not in the KML subset

// accept: switch statements on integers, chars and enums, with constants and default
enum Color { Red, Green, Blue }
class C
{
    const int Answer = 42;
    static int M(int i, long l, char c, Color color, byte b)
    {
        int r = 0;
        switch (i)
        {
            case 0:
            case 1:
                r += 1;
                break;
            case Answer:
                r += 2;
                break;
            case -7:
                return -7;
            default:
                r += 3;
                break;
        }
        switch (l) { case 1L << 40: r++; break; }
        switch (c) { case 'a': r++; break; case '\n': r--; break; }
        switch (color)
        {
            case Color.Red: r += 10; break;
            case Color.Green: r += 20; break;
            default: r += 30; break;
        }
        switch (b) { case 255: r++; break; }
        return r;
    }
}
