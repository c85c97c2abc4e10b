// KML0009: async methods, iterators, and foreach over anything but arrays and strings.

// case: an async method awaiting a task
using System.Threading.Tasks;
class C
{
    static [|async|] [|Task|] M()
    {
        [|await|] [|Task|].Delay(10);
    }
}
// expect: 'async' method 'C.M()' is not in the KML subset
// expect: task type 'System.Threading.Tasks.Task' is not in the KML subset
// expect: 'await' expression is not in the KML subset
// expect: task type 'System.Threading.Tasks.Task' is not in the KML subset

// case: an iterator
class C
{
    static {|KML0003:System.Collections.Generic.IEnumerable<int>|} Count(int n)
    {
        for (int i = 0; i < n; i++)
        {
            [|yield return i;|]
        }
        [|yield break;|]
    }
}
// expect: generic type 'System.Collections.Generic.IEnumerable<int>' is not in the KML subset
// expect: 'yield return' statement is not in the KML subset
// expect: 'yield break' statement is not in the KML subset

// case: foreach over a user type with GetEnumerator
class Bag
{
    public Enumerator GetEnumerator() => new Enumerator();
    public struct Enumerator
    {
        int i;
        public int Current => i;
        public bool MoveNext() => ++i < 3;
    }
}
class C
{
    static int M(Bag bag)
    {
        int sum = 0;
        foreach (int x in [|bag|])
        {
            sum += x;
        }
        return sum;
    }
}
// expect: foreach over 'Bag' (only arrays and strings can be enumerated) is not in the KML subset

// case: foreach over a List
class C
{
    static int M({|KML0003:System.Collections.Generic.List<int>|} list)
    {
        int sum = 0;
        foreach (int x in [|list|])
        {
            sum += x;
        }
        return sum;
    }
}
// expect: generic type 'System.Collections.Generic.List<int>' is not in the KML subset
// expect: foreach over 'System.Collections.Generic.List<int>' (only arrays and strings can be enumerated) is not in the KML subset

// accept: foreach over arrays (also of structs and arrays) and strings
struct P { public int X; }
class C
{
    static int M(int[] a, P[] ps, int[][] rows, string s)
    {
        int sum = 0;
        foreach (int x in a) sum += x;
        foreach (P p in ps) sum += p.X;
        foreach (int[] row in rows)
            foreach (var x in row) sum += x;
        foreach (char c in s) sum += c;
        foreach (var c in "literal") sum += c;
        return sum;
    }
}
