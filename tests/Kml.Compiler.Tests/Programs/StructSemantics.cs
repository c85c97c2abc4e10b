// Struct value semantics: copies on assignment and passing, in-place updates of array elements and fields,
// methods that mutate this, struct returns of many fields, readonly structs and defensive copies.
using System;

struct Point
{
    public int X;
    public int Y;
    public Point(int x, int y) { X = x; Y = y; }
    public void Move(int dx, int dy) { X += dx; Y += dy; }
    public readonly int Sum() => X + Y;
    public Point Swapped() => new Point(Y, X);
    public readonly string Show() => "(" + X + "," + Y + ")";
}

struct Box
{
    public Point Min;
    public Point Max;
    public long Area;
    public byte Tag;
    public Box(Point a, Point b) { Min = a; Max = b; Area = (long)(b.X - a.X) * (b.Y - a.Y); Tag = 7; }
    public void Grow(int by) { Min.Move(-by, -by); Max.Move(by, by); Area = (long)(Max.X - Min.X) * (Max.Y - Min.Y); }
}

readonly struct Money
{
    public readonly long Cents;
    public Money(long cents) { Cents = cents; }
    public Money Add(Money o) => new Money(Cents + o.Cents);
}

sealed class Holder
{
    public Point P;
    public Box B;
    public readonly Point Fixed = new Point(1, 2);
}

static class Program
{
    static Point shared;

    static void Bump(Point p) { p.X = 1000; }
    static Point Make(int i) => new Point(i, i * i);
    static Box MakeBox(int s) => new Box(new Point(0, 0), new Point(s, 2 * s));

    static void Main()
    {
        Point a = new Point(1, 2);
        Point b = a;
        b.X = 10;
        Console.WriteLine(a.Show() + " " + b.Show());
        Bump(a);
        Console.WriteLine(a.Show());
        a.Move(3, 4);
        Console.WriteLine(a.Show() + " " + a.Sum() + " " + a.Swapped().Show());

        Point[] ps = new Point[4];
        for (int i = 0; i < ps.Length; i++) ps[i] = Make(i);
        ps[2].X += 100;
        ps[3].Move(1, 1);
        ps[1].Y++;
        Point copy = ps[0];
        copy.X = -1;
        foreach (Point p in ps) Console.Write(p.Show() + " ");
        Console.WriteLine();

        Box box = MakeBox(3);
        Box other = box;
        box.Grow(1);
        Console.WriteLine(box.Min.Show() + box.Max.Show() + " " + box.Area + " " + other.Area + " " + box.Tag);
        Box[] boxes = new Box[2];
        boxes[1] = MakeBox(5);
        boxes[1].Grow(2);
        boxes[1].Max.X = 99;
        Console.WriteLine(boxes[1].Min.Show() + boxes[1].Max.Show() + " " + boxes[1].Area + " " + boxes[0].Area);

        Holder h = new Holder();
        h.P.Move(5, 6);
        h.B = box;
        h.B.Min.X = -42;
        h.Fixed.Sum();
        Console.WriteLine(h.P.Show() + " " + h.B.Min.Show() + " " + box.Min.Show() + " " + h.Fixed.Show());

        shared.Move(7, 8);
        shared.X *= 2;
        Console.WriteLine(shared.Show());

        Money m = new Money(150);
        Money n = m.Add(new Money(275)).Add(m);
        Console.WriteLine(m.Cents + " " + n.Cents);

        Point d = default;
        Console.WriteLine(d.Show() + " " + new Point().Show());
    }
}
