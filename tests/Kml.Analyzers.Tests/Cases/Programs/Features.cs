// The corners of the subset: readonly structs and defensive copies, 'this' assignment in structs, nested struct
// updates in arrays and class fields, constants, unchecked conversions, enum and char arithmetic, static and init
// properties, optional/named/params arguments, nameof, compound assignments on bytes and strings, jagged tables.
using System;

enum Op { Add, Sub, Mul }

struct Counter
{
    public int Value;
    public void Increment() => Value++;
    public void Reset() => this = default;
}

readonly struct Fixed
{
    public readonly long Thousandths;
    public Fixed(long thousandths) { Thousandths = thousandths; }
    public Fixed Plus(Fixed other) => new Fixed(Thousandths + other.Thousandths);
    public string Show() => (Thousandths / 1000) + "." + (Thousandths % 1000 < 100 ? "0" : "") + (Thousandths % 1000 < 10 ? "0" : "") + (Thousandths % 1000);
}

struct Pos { public int X; }
struct Body { public Pos Center; public int Mass; }
sealed class Holder { public Counter Counter; public Body Body; }

sealed class Widget
{
    public static int Count { get; private set; }
    public int Id { get; }
    public string Label { get; init; } = "widget";

    public Widget()
    {
        Count++;
        Id = Count;
    }
}

static class Program
{
    static readonly int[][] Table = new int[][] { new int[] { 1 }, new int[] { 2, 3 }, new int[] { 4, 5, 6 } };
    static readonly Counter Shared = new Counter();
    static int calls;

    static int Sum(params int[] xs)
    {
        calls++;
        int s = 0;
        foreach (int x in xs)
        {
            s += x;
        }
        return s;
    }

    static int Scale(int x, int factor = 2, int offset = 0) => x * factor + offset;

    static int Apply(Op op, int a, int b)
    {
        switch (op)
        {
            case Op.Add: return a + b;
            case Op.Sub: return a - b;
            default: return a * b;
        }
    }

    static int Trace(string name, int value)
    {
        Console.Write(name + " ");
        return value;
    }

    static void Main()
    {
        // A method called on a readonly field works on a copy: the field keeps its value.
        Shared.Increment();
        Shared.Increment();
        Counter local = Shared;
        local.Increment();
        Console.WriteLine("shared " + Shared.Value + ", local " + local.Value);
        local.Reset();
        Console.WriteLine("after reset " + local.Value);

        Fixed a = new Fixed(1500);
        Fixed b = new Fixed(2005);
        Console.WriteLine("fixed " + a.Plus(b).Show() + " " + new Fixed(7).Show());

        Body[] bodies = new Body[2];
        bodies[0].Center.X += 5;
        bodies[1].Center.X++;
        bodies[1].Mass = bodies[0].Center.X * 2;
        Holder h = new Holder();
        h.Counter.Increment();
        h.Body.Center.X = 3;
        h.Body.Center.X *= 7;
        Console.WriteLine("bodies " + bodies[0].Center.X + " " + bodies[1].Center.X + " " + bodies[1].Mass + ", holder " + h.Counter.Value + " " + h.Body.Center.X);

        const int K = 1 << 10;
        const string Name = "k" + "ml";
        const long L = K * 3L;
        Console.WriteLine("constants " + K + " " + Name + " " + L + " " + unchecked((int)0x80000000) + " " + unchecked((byte)0x1FF));

        Op op = Op.Add;
        op = op + 2;
        Op back = (Op)((int)op - 1);
        Console.WriteLine("enums " + (int)op + " " + (int)back + " " + (op > back) + " " + Apply(op, 6, 7) + " " + Apply(Op.Sub, 6, 7));

        char c = 'a';
        c++;
        c += (char)2;
        char d = (char)(c + 1);
        Console.WriteLine("chars " + c + d + " " + (d - 'a') + " " + (c < d));

        byte by = 250;
        by += 10;
        by <<= 1;
        sbyte sb = 127;
        sb++;
        ushort us = 0;
        us--;
        Console.WriteLine("bytes " + by + " " + sb + " " + us + " " + (byte)~by);

        new Widget();
        Widget w = new Widget();
        Console.WriteLine("widgets " + Widget.Count + " " + w.Id + " " + w.Label);

        Console.WriteLine("args " + Sum() + " " + Sum(1) + " " + Sum(1, 2, 3) + " " + Sum(new int[] { 4, 5 }) + " " + calls
            + " " + Scale(5) + " " + Scale(5, offset: 1) + " " + Scale(factor: 3, x: 2));
        Console.WriteLine();
        Console.WriteLine("order " + Scale(offset: Trace("first", 1), x: Trace("second", 2)));

        string s = "";
        s += 1;
        s += 'c';
        s += true;
        s += -2L;
        s += (byte)255;
        Console.WriteLine("string " + s + " " + nameof(Widget.Label) + " " + nameof(Program));

        int total = 0;
        for (int i = 0; i < Table.Length; i++)
        {
            for (int j = 0; j < Table[i].Length; j++)
            {
                total += Table[i][j] * (i + 1);
            }
        }
        Console.WriteLine("table " + total + " " + Table[2].Length);
    }
}
