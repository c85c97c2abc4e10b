// KML0011: threads and locks.

// case: lock and volatile
class C
{
    readonly C gate = new C();
    [|volatile|] int count;
    void M()
    {
        [|lock|] (gate)
        {
            count++;
        }
    }
}
// expect: 'volatile' field 'C.count' is not in the KML subset
// expect: 'lock' statement is not in the KML subset

// case: System.Threading types; a static member through the type's name is the type's diagnostic
using System.Threading;
class C
{
    int n;
    void M()
    {
        [|Thread|].Sleep(10);
        [|Interlocked|].Increment(ref n);
    }
}
// expect: threading type 'System.Threading.Thread' is not in the KML subset
// expect: threading type 'System.Threading.Interlocked' is not in the KML subset

// accept: a counter without threads
class C
{
    int count;
    void Increment() => count++;
}
