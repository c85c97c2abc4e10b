// KML0019: object and boxing.

// case: object variables and parameters
class C
{
    [|object|] field = 1;
    void M([|object|] o)
    {
        [|System.Object|] p = o;
    }
}
// expect: type 'object' is not in the KML subset
// expect: type 'object' is not in the KML subset
// expect: type 'object' is not in the KML subset

// case: concatenating an enum, a struct, a class and an array converts them through object
enum Color { Red }
struct P { public int X; }
class Box { }
class C
{
    string M(Color color, P p, Box box, int[] a) => "c=" + [|color|] + [|p|] + [|box|] + [|a|];
}
// expect: string concatenation with a value of type 'Color' (only strings, integers, char and bool) is not in the KML subset
// expect: string concatenation with a value of type 'P' (only strings, integers, char and bool) is not in the KML subset
// expect: string concatenation with a value of type 'Box' (only strings, integers, char and bool) is not in the KML subset
// expect: string concatenation with a value of type 'int[]' (only strings, integers, char and bool) is not in the KML subset

// case: += on a string with an enum
enum Color { Red }
class C
{
    string M(Color c)
    {
        string s = "";
        s += [|c|];
        return s;
    }
}
// expect: string concatenation with a value of type 'Color' (only strings, integers, char and bool) is not in the KML subset

// case: Console.WriteLine of an enum binds to WriteLine(object): a library member
enum Color { Red }
class C
{
    void M() => System.Console.{|KML0021:WriteLine|}(Color.Red);
}
// expect: library member 'System.Console.WriteLine(object)' is not in the KML subset

// accept: enums cast to int, concatenation with every allowed type, string += char
enum Color { Red, Green }
class C
{
    string M(Color c, sbyte a, byte b, short d, ushort e, int f, uint g, long h, ulong i, char j, bool k)
    {
        string s = "color " + (int)c + a + b + d + e + f + g + h + i + j + k + null;
        s += 'x';
        s += 5;
        return s;
    }
}
