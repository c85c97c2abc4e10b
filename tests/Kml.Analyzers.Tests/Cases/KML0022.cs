// KML0022: declarations outside the subset.

// case: records
[|record|] Point(int X, int Y);
[|record|] struct Size(int W, int H);
// expect: record 'Point' is not in the KML subset
// expect: record 'Size' is not in the KML subset

// case: a static constructor and a finalizer
class C
{
    static int x;
    static [|C|]() { x = 1; }
    ~[|C|]() { }
}
// expect: static constructor of 'C' is not in the KML subset
// expect: finalizer of 'C' is not in the KML subset

// case: operator overloading and conversions
struct V
{
    public int X;
    public static V operator [|+|](V a, V b) { a.X += b.X; return a; }
    public static implicit operator [|int|](V v) => v.X;
}
// expect: user-defined operator 'V.operator +(V, V)' is not in the KML subset
// expect: user-defined conversion 'V.implicit operator int(V)' is not in the KML subset

// case: an indexer and an extension method
class Grid
{
    int[] cells = new int[9];
    public int [|this|][int i] => cells[i];
}
static class Ext
{
    public static int Twice([|this|] int x) => x * 2;
}
// expect: indexer 'Grid.this[int]' is not in the KML subset
// expect: extension method 'Ext.Twice(int)' is not in the KML subset

// case: a primary constructor on a class
class Counter[|(int start)|]
{
    int value = start;
}
// expect: primary constructor of 'Counter' is not in the KML subset

// case: a partial method
partial class C
{
    [|partial|] void OnChanged();
    partial void OnChanged() { }
}
// expect: partial method 'C.OnChanged()' is not in the KML subset

// accept: classes and structs with fields, constructors, methods, properties, constants, nested types
partial class Shape
{
    public const int Sides = 4;
    static int created;
    readonly int width;
    public int Height { get; set; }
    public int Width => width;
    public int Area { get { return width * Height; } }
    public string Name { get; init; } = "shape";
    public static int Created => created;
    public Shape(int width) : this(width, 1) { }
    public Shape(int width, int height)
    {
        this.width = width;
        Height = height;
        created++;
    }
    public struct Corner { public int X; public int Y; }
    public enum Kind { Square, Rectangle }
}
partial class Shape
{
    public static Shape Unit() => new Shape(1);
}
struct S
{
    public int A;
    public S(int a) { A = a; }
    public S() { A = 1; }
    public readonly int Twice() => A * 2;
}
