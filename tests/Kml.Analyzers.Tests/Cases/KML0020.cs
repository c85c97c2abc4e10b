// KML0020: goto and labels.

// case: goto and its label
class C
{
    int M(int n)
    {
        int i = 0;
    [|again:|]
        i++;
        if (i < n)
        {
            [|goto again;|]
        }
        return i;
    }
}
// expect: label 'again' is not in the KML subset
// expect: 'goto' statement is not in the KML subset

// case: goto case and goto default
class C
{
    int M(int n)
    {
        switch (n)
        {
            case 1:
                [|goto case 2;|]
            case 2:
                [|goto default;|]
            default:
                return n;
        }
    }
}
// expect: 'goto' statement is not in the KML subset
// expect: 'goto' statement is not in the KML subset

// accept: loops with break and continue
class C
{
    int M(int[] a)
    {
        int found = -1;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] < 0)
            {
                continue;
            }
            if (a[i] == 42)
            {
                found = i;
                break;
            }
        }
        int j = 0;
        do
        {
            j++;
        }
        while (j < 3);
        while (true)
        {
            break;
        }
        return found + j;
    }
}
