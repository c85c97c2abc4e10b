// KML0002: exceptions (try, catch, finally, throw, using, exception types).

// case: try/catch/finally is reported at 'try'; the catch declaration belongs to it
class C
{
    int M(string s)
    {
        [|try|]
        {
            return int.Parse(s);
        }
        catch (System.FormatException)
        {
            return -1;
        }
        finally
        {
            System.Console.WriteLine("done");
        }
    }
}
// expect: 'try' statement is not in the KML subset

// case: a throw statement, with the exception it creates
class C
{
    void M(int x)
    {
        if (x < 0)
        {
            [|throw new System.ArgumentOutOfRangeException("x");|]
        }
    }
}
// expect: 'throw' statement is not in the KML subset

// case: a throw expression
class C
{
    string M(string? s) => s {|KML0015:??|} [|throw new System.InvalidOperationException()|];
}
// expect: null-coalescing operator '??' is not in the KML subset
// expect: 'throw' expression is not in the KML subset

// case: an exception value outside throw and catch is an exception type
class C
{
    void M()
    {
        var e = new [|System.Exception|]("message");
        System.Console.WriteLine(e.{|KML0021:Message|});
    }
}
// expect: exception type 'System.Exception' is not in the KML subset
// expect: library member 'System.Exception.Message' is not in the KML subset

// case: using statements and declarations are implicit try/finally
class R : {|KML0004:System.IDisposable|}
{
    public void Dispose() { }
}
class C
{
    void M()
    {
        [|using|] (var r = new R())
        {
        }
        [|using|] var s = new R();
    }
}
// expect: interface implementation 'System.IDisposable' is not in the KML subset
// expect: 'using' statement (an implicit try/finally) is not in the KML subset
// expect: 'using' declaration (an implicit try/finally) is not in the KML subset

// accept: errors reported through return values
class C
{
    static int Parse(string s)
    {
        if (s.Length == 0)
        {
            return -1;
        }
        int value = 0;
        foreach (char c in s)
        {
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

// accept: using directives are not using statements
using System;
using static System.Math;
class C
{
    int M(int a, int b) => Max(a, b) + Math.Min(a, b);
}
