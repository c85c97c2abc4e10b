// KML0016: checked arithmetic.

// case: a checked expression and a checked statement
class C
{
    int M(int a, int b)
    {
        int x = [|checked|](a * b);
        [|checked|]
        {
            x += a;
        }
        return x;
    }
}
// expect: 'checked' expression is not in the KML subset
// expect: 'checked' statement is not in the KML subset

// case: a project that sets CheckForOverflowUnderflow, reported at the start of each file
[||]// options: checked
class C
{
    int M(int a) => a + 1;
}
// expect: checked arithmetic (the project sets CheckForOverflowUnderflow) is not in the KML subset

// accept: unchecked is the subset's own arithmetic
class C
{
    int Hash(string s)
    {
        int h = 17;
        foreach (char c in s)
        {
            h = unchecked(h * 31 + c);
        }
        unchecked
        {
            h ^= h >> 16;
        }
        return h;
    }
}
