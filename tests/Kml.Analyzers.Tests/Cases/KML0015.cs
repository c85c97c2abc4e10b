// KML0015: null-conditional and null-coalescing operators.

// case: ?. and ?[] and ??
class Node
{
    public Node? Next;
    public int[]? Values;
    int M(Node? n, string? s)
    {
        Node? second = n[|?.|]Next[|?.|]Next;
        int first = n[|?.|]Values[|?[|]0] [|??|] 0;
        string t = s [|??|] "";
        return first;
    }
}
// expect: null-conditional operator '?.' is not in the KML subset
// expect: null-conditional operator '?.' is not in the KML subset
// expect: null-conditional operator '?.' is not in the KML subset
// expect: null-conditional operator '?[]' is not in the KML subset
// expect: null-coalescing operator '??' is not in the KML subset
// expect: null-coalescing operator '??' is not in the KML subset

// case: ??=
class C
{
    string? name;
    string M() => name [|??=|] "none";
}
// expect: null-coalescing assignment '??=' is not in the KML subset

// accept: null tests with == and ?:
class Node
{
    public Node? Next;
    public string? Name;
    static string NameOf(Node? n) => n == null ? "" : (n.Name != null ? n.Name : "");
}
