// KML0014: nullable value types.

// case: int? and Nullable<long>
class C
{
    [|int?|] cached;
    [|System.Nullable<long>|] M() => null;
}
// expect: nullable value type 'int?' is not in the KML subset
// expect: nullable value type 'long?' is not in the KML subset

// case: a nullable struct
struct P { public int X; }
class C
{
    int M([|P?|] p) => 0;
}
// expect: nullable value type 'P?' is not in the KML subset

// accept: nullable annotations on reference types, and the null-forgiving operator
class Node
{
    public Node? Next;
    public string? Name;
    public int[]? Values;
    static int Length(Node? n)
    {
        int count = 0;
        while (n != null)
        {
            count++;
            n = n.Next;
        }
        return count;
    }
    string M() => Name!;
}
