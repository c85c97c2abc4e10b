// KML0010: reflection and dynamic.

// case: typeof and GetType
class C
{
    bool M(C other) => [|typeof(C)|] == other.[|GetType|]();
}
// expect: 'typeof' expression is not in the KML subset
// expect: reflection member 'object.GetType()' is not in the KML subset

// case: dynamic
class C
{
    int M([|dynamic|] d) => d.Length;
}
// expect: type 'dynamic' is not in the KML subset

// case: System.Type and System.Reflection
using System.Reflection;
class C
{
    void M()
    {
        [|System.Type|]? t = null;
        [|MethodInfo|]? m = null;
    }
}
// expect: reflection type 'System.Type' is not in the KML subset
// expect: reflection type 'System.Reflection.MethodInfo' is not in the KML subset

// accept: nameof is a constant string
class C
{
    int count;
    string M() => nameof(C) + "." + nameof(count) + nameof(System.Console);
}
