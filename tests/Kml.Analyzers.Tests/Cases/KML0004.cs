// KML0004: inheritance and interfaces.

// case: a base class, and virtual/override members
class Animal
{
    public [|virtual|] string Sound() => "...";
}
class Dog : [|Animal|]
{
    public [|override|] string Sound() => "woof";
}
// expect: 'virtual' method 'Animal.Sound()' is not in the KML subset
// expect: base class 'Animal' is not in the KML subset
// expect: 'override' method 'Dog.Sound()' is not in the KML subset

// case: an interface declaration and its implementation by a struct
interface [|IShape|]
{
    int Area();
}
struct Square : [|IShape|]
{
    public int Side;
    public int Area() => Side * Side;
}
// expect: interface declaration 'IShape' is not in the KML subset
// expect: interface implementation 'IShape' is not in the KML subset

// case: an abstract class with an abstract member
[|abstract|] class Shape
{
    public [|abstract|] int Area { get; }
}
// expect: 'abstract' class 'Shape' is not in the KML subset
// expect: 'abstract' property 'Shape.Area' is not in the KML subset

// case: overriding ToString of a struct, and a library interface
struct Point : [|System.IEquatable<Point>|]
{
    public int X;
    public bool Equals(Point other) => X == other.X;
    public [|override|] string ToString() => "(" + X + ")";
}
// expect: interface implementation 'System.IEquatable<Point>' is not in the KML subset
// expect: 'override' method 'Point.ToString()' is not in the KML subset

// case: a sealed override and a base class from the library
class Error : [|System.Exception|]
{
    public [|override|] sealed string Message => "error";
}
// expect: base class 'System.Exception' is not in the KML subset
// expect: 'override' property 'Error.Message' is not in the KML subset

// accept: sealed and static classes, enums with an underlying type, protected members
sealed class Counter
{
    protected int count;
    public void Increment() => count++;
}
static class Util
{
    public static int Twice(int x) => x * 2;
}
enum Small : byte { A, B, C }
enum Big : long { Far = 1L << 40 }
