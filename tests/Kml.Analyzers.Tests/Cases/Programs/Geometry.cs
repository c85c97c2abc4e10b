// Structs and classes: value semantics (copies on assignment and on passing, a[i].X += 1 in place),
// arrays of structs, constructors, properties, static and instance field initializers, nested types.
using System;

struct Point
{
    public int X;
    public int Y;

    public Point(int x, int y)
    {
        X = x;
        Y = y;
    }

    public int ManhattanLength => Math.Abs(X) + Math.Abs(Y);

    public Point Moved(int dx, int dy)
    {
        Point p = this;
        p.X += dx;
        p.Y += dy;
        return p;
    }

    public string Show() => "(" + X + ", " + Y + ")";
}

struct Rect
{
    public Point Min;
    public Point Max;

    public int Area => (Max.X - Min.X) * (Max.Y - Min.Y);

    public bool Contains(Point p) => p.X >= Min.X && p.X < Max.X && p.Y >= Min.Y && p.Y < Max.Y;
}

sealed class Polygon
{
    static int created;
    readonly Point[] vertices;
    int count;

    public Polygon(int capacity)
    {
        vertices = new Point[capacity];
        created++;
    }

    public static int Created => created;

    public string Name { get; set; } = "polygon";

    public int Count => count;

    public void Add(Point p)
    {
        vertices[count] = p;
        count++;
    }

    public void Shift(int dx)
    {
        for (int i = 0; i < count; i++)
        {
            vertices[i].X += dx;
        }
    }

    public Point At(int i) => vertices[i];

    // Twice the signed area (shoelace formula).
    public long TwiceArea()
    {
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            Point a = vertices[i];
            Point b = vertices[(i + 1) % count];
            sum += (long)a.X * b.Y - (long)b.X * a.Y;
        }
        return sum;
    }

    public struct Edge
    {
        public Point From;
        public Point To;
    }

    public Edge EdgeAt(int i)
    {
        Edge e;
        e.From = vertices[i];
        e.To = vertices[(i + 1) % count];
        return e;
    }
}

static class Program
{
    static void Bump(Point p) => p.X = 1000;

    static void Bump(Point[] ps) => ps[0].X = 1000;

    static void Main()
    {
        Point a = new Point(1, 2);
        Point b = a;
        b.X = 10;
        Console.WriteLine("a = " + a.Show() + ", b = " + b.Show());
        Bump(a);
        Console.WriteLine("after Bump(a): " + a.Show());

        Point[] ps = new Point[3];
        ps[1] = a;
        ps[1].Y += 5;
        ps[2] = ps[1].Moved(-1, -1);
        Bump(ps);
        for (int i = 0; i < ps.Length; i++)
        {
            Console.WriteLine("ps[" + i + "] = " + ps[i].Show() + " |" + ps[i].ManhattanLength + "|");
        }

        Rect r;
        r.Min = new Point(0, 0);
        r.Max = new Point(4, 3);
        Console.WriteLine("area " + r.Area + ", contains (3,2): " + r.Contains(new Point(3, 2)) + ", contains (4,2): " + r.Contains(new Point(4, 2)));
        Rect copy = r;
        copy.Max.X = 10;
        Console.WriteLine("original max " + r.Max.Show() + ", copy max " + copy.Max.Show());

        Polygon square = new Polygon(4);
        square.Name = "square";
        square.Add(new Point(0, 0));
        square.Add(new Point(5, 0));
        square.Add(new Point(5, 5));
        square.Add(new Point(0, 5));
        square.Shift(2);
        Polygon alias = square;
        alias.Shift(1);
        Console.WriteLine(square.Name + ": " + square.Count + " vertices, twice the area " + square.TwiceArea() + ", first " + square.At(0).Show());
        Polygon.Edge e = square.EdgeAt(3);
        Console.WriteLine("last edge " + e.From.Show() + " -> " + e.To.Show());
        new Polygon(1);
        Console.WriteLine("polygons created: " + Polygon.Created);
    }
}
