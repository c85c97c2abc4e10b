// A run-time error: calling an instance method on null (NullReferenceException) even if it touches no field.
using System;

sealed class Greeter
{
    public string Greet(string name) => "hello " + name;
}

static class Program
{
    static Greeter? Find(int i) => i == 0 ? new Greeter() : null;

    static void Main()
    {
        Console.WriteLine(Find(0)!.Greet("a"));
        Console.WriteLine(Find(1)!.Greet("b")); // panics here
    }
}
