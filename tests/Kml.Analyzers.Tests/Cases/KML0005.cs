// KML0005: delegates, lambdas, local functions, events.

// case: a lambda assigned to a Func
class C
{
    int M()
    {
        {|KML0005:System.Func<int, int>|} twice = [|x =>|] x * 2;
        return twice(3);
    }
}
// expect: delegate type 'System.Func<int, int>' is not in the KML subset
// expect: lambda expression is not in the KML subset

// case: a local function
class C
{
    int M(int n)
    {
        return Square(n);
        static int [|Square|](int x) => x * x;
    }
}
// expect: local function 'Square(int)' is not in the KML subset

// case: a method group converted to Action, and an anonymous method
class C
{
    static void Hello() { }
    void M()
    {
        [|System.Action|] a = [|Hello|];
        [|System.Action|] b = [|delegate|] { };
    }
}
// expect: delegate type 'System.Action' is not in the KML subset
// expect: conversion of method group 'C.Hello()' to delegate type 'System.Action' is not in the KML subset
// expect: delegate type 'System.Action' is not in the KML subset
// expect: anonymous method is not in the KML subset

// case: a delegate type declaration, an event and a subscription
delegate void [|Handler|](int code);
class C
{
    public event Handler? [|Changed|];
    void M()
    {
        [|Changed += [|OnChanged|]|];
    }
    static void OnChanged(int code) { }
}
// expect: delegate type declaration 'Handler' is not in the KML subset
// expect: event 'C.Changed' is not in the KML subset
// expect: event subscription to 'C.Changed' is not in the KML subset
// expect: conversion of method group 'C.OnChanged(int)' to delegate type 'Handler' is not in the KML subset

// case: a parenthesized lambda with a block body is reported up to its arrow
class C
{
    void M()
    {
        {|KML0005:System.Action<int>|} print = [|(int x) =>|]
        {
            System.Console.WriteLine(x);
        };
    }
}
// expect: delegate type 'System.Action<int>' is not in the KML subset
// expect: lambda expression is not in the KML subset

// accept: static methods calling each other, recursion
class C
{
    static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
    static int Twice(int x) => x * 2;
    static int M() => Twice(Fib(10));
}
