// Structs in arrays and in other structs and classes: a[i].X += 1 and a[i].Inner.Y++ update in place, copies out
// of arrays are independent, struct arguments and returns are copies, swapping elements, a struct with a long and
// a char and a bool (padding), arrays of structs that hold references.
using System;

struct Point
{
    public int X, Y;
    public Point(int x, int y) { X = x; Y = y; }
    public void Move(int dx, int dy) { X += dx; Y += dy; }
    public int Manhattan() => Math.Abs(X) + Math.Abs(Y);
}

struct Segment
{
    public Point From, To;
    public int Id;
}

struct Mixed
{
    public byte Tag;
    public long Big;
    public char Letter;
    public bool Flag;
    public short Small;
}

struct Named
{
    public string Name;
    public int[] Scores;
}

class Holder
{
    public Point Where;
    public Segment[] Path = new Segment[2];
}

static class Program
{
    static Point Shifted(Point p, int by) { p.X += by; p.Y -= by; return p; }

    static void Bump(Point[] ps) { for (int i = 0; i < ps.Length; i++) ps[i].X++; }

    static void BumpCopy(Point p) { p.X += 1000; }

    static void Main()
    {
        Point[] ps = new Point[4];
        for (int i = 0; i < ps.Length; i++) ps[i] = new Point(i, -i);
        ps[2].X += 1;
        ps[3].Y *= 7;
        ps[1].Move(10, 20);
        Bump(ps);
        BumpCopy(ps[0]);
        Point out1 = ps[0];
        out1.X = 555;
        Console.WriteLine(ps[0].X + " " + ps[1].X + "," + ps[1].Y + " " + ps[2].X + " " + ps[3].Y + " " + out1.X);
        Point s = Shifted(ps[3], 5);
        Console.WriteLine(s.X + "," + s.Y + " " + ps[3].X + "," + ps[3].Y + " " + s.Manhattan());

        Point t = ps[0]; ps[0] = ps[3]; ps[3] = t;
        Console.WriteLine(ps[0].X + " " + ps[3].X);

        Segment[] segs = new Segment[3];
        for (int i = 0; i < segs.Length; i++) { segs[i].Id = i; segs[i].To = new Point(i * 2, i * 3); }
        segs[1].From.X += 7;
        segs[1].To.Y++;
        segs[2].To.Move(1, 1);
        Segment c = segs[1];
        c.From.X = -1;
        Console.WriteLine(segs[1].From.X + " " + segs[1].To.Y + " " + segs[2].To.X + "," + segs[2].To.Y + " " + c.From.X + " " + c.Id);

        Mixed[] ms = new Mixed[3];
        ms[0].Tag = 255; ms[0].Big = long.MinValue; ms[0].Letter = 'z'; ms[0].Flag = true; ms[0].Small = -2;
        ms[1] = ms[0];
        ms[1].Big += 1;
        ms[1].Tag++;
        ms[2].Small--;
        Console.WriteLine(ms[0].Tag + " " + ms[0].Big + " " + ms[0].Letter + " " + ms[0].Flag + " " + ms[0].Small);
        Console.WriteLine(ms[1].Tag + " " + ms[1].Big + " " + ms[1].Letter + " " + ms[2].Flag + " " + ms[2].Small);

        Named[] people = new Named[2];
        people[0].Name = "ada";
        people[0].Scores = new int[] { 3, 4 };
        people[1] = people[0];
        people[1].Name = "bob";
        people[1].Scores[0] = 30;   // the array is shared: copying a struct copies the reference
        Console.WriteLine(people[0].Name + " " + people[0].Scores[0] + " " + people[1].Name + " " + (people[0].Scores == people[1].Scores));

        Holder h = new Holder();
        h.Where.X = 4;
        h.Where.Move(1, 2);
        h.Path[1].To.X += 9;
        h.Path[1].Id = 77;
        Point w = h.Where;
        w.Y = 100;
        Console.WriteLine(h.Where.X + "," + h.Where.Y + " " + h.Path[1].To.X + " " + h.Path[1].Id + " " + w.Y + " " + h.Path[0].Id);

        long checksum = 0;
        Point[] many = new Point[1000];
        for (int round = 0; round < 10; round++)
            for (int i = 0; i < many.Length; i++) { many[i].X += i; many[i].Y ^= round * i; }
        foreach (Point p in many) checksum = checksum * 31 + p.X + p.Y;
        Console.WriteLine(checksum);
    }
}
