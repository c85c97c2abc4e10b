// KML0007: LINQ.

// case: a query expression is reported at its from clause
using System.Linq;
class C
{
    int M(int[] values)
    {
        var evens = [|from v in values|]
                    where v % 2 == 0
                    select v;
        return 0;
    }
}
// expect: query expression is not in the KML subset

// case: LINQ extension methods on an array
using System.Linq;
class C
{
    int M(int[] values) => values.[|Sum|]() + values.[|Max|]();
}
// expect: LINQ method 'System.Linq.Enumerable.Sum(System.Collections.Generic.IEnumerable<int>)' is not in the KML subset
// expect: LINQ method 'System.Linq.Enumerable.Max(System.Collections.Generic.IEnumerable<int>)' is not in the KML subset

// case: Enumerable named as a type
class C
{
    void M()
    {
        var r = [|System.Linq.Enumerable|].Range(0, 10);
    }
}
// expect: LINQ type 'System.Linq.Enumerable' is not in the KML subset

// accept: a using directive for System.Linq alone, and a loop instead of LINQ
using System.Linq;
class C
{
    static int Sum(int[] values)
    {
        int sum = 0;
        foreach (int v in values)
        {
            sum += v;
        }
        return sum;
    }
}
