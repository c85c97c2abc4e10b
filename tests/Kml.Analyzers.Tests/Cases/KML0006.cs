// KML0006: ref, out and in.

// case: ref, out and in parameters
class C
{
    static void Swap([|ref|] int a, [|ref|] int b) { int t = a; a = b; b = t; }
    static bool TryGet([|out|] int value) { value = 1; return true; }
    static int Read([|in|] long big) => (int)big;
    static int ReadOnly([|ref readonly|] int x) => x;
}
// expect: 'ref' parameter 'a' is not in the KML subset
// expect: 'ref' parameter 'b' is not in the KML subset
// expect: 'out' parameter 'value' is not in the KML subset
// expect: 'in' parameter 'big' is not in the KML subset
// expect: 'ref readonly' parameter 'x' is not in the KML subset

// case: call sites are not reported, only the declaration they need
class C
{
    static void Inc([|ref|] int x) => x++;
    void M()
    {
        int n = 0;
        Inc(ref n);
    }
}
// expect: 'ref' parameter 'x' is not in the KML subset

// case: ref returns and ref locals
class C
{
    int[] data = new int[4];
    [|ref|] int At(int i) => ref data[i];
    void M()
    {
        [|ref|] int first = ref At(0);
        first = 5;
        [|ref readonly|] int second = ref data[1];
    }
}
// expect: ref return of 'C.At(int)' is not in the KML subset
// expect: ref local 'first' is not in the KML subset
// expect: ref local 'second' is not in the KML subset

// case: a ref struct
[|ref|] struct Window
{
    public int Start;
}
// expect: ref struct 'Window' is not in the KML subset

// case: a library method with an out parameter is a library member
class C
{
    bool M(string s) => int.{|KML0021:TryParse|}(s, out int value) && value > 0;
}
// expect: library member 'int.TryParse(string, out int)' is not in the KML subset

// accept: structs passed and returned by value, classes passed by reference value
struct Vec { public int X; public int Y; }
class Cell { public int Value; }
class C
{
    static Vec Add(Vec a, Vec b)
    {
        a.X += b.X;
        a.Y += b.Y;
        return a;
    }
    static void Fill(Cell cell, int[] buffer)
    {
        cell.Value = buffer.Length;
        buffer[0] = 1;
    }
}
