// Quicksort, merge sort, heap sort and insertion sort on pseudo-random data (xorshift), checked against each other.
using System;

static class Program
{
    static uint state = 2463534242;

    static int Next()
    {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return (int)(state % 1000000);
    }

    static void QuickSort(int[] a, int lo, int hi)
    {
        while (lo < hi)
        {
            int pivot = a[lo + (hi - lo) / 2];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j)
                {
                    int t = a[i]; a[i] = a[j]; a[j] = t;
                    i++; j--;
                }
            }
            if (j - lo < hi - i) { QuickSort(a, lo, j); lo = i; }
            else { QuickSort(a, i, hi); hi = j; }
        }
    }

    static void MergeSort(int[] a, int[] tmp, int lo, int hi)
    {
        if (hi - lo < 1) return;
        int mid = (lo + hi) / 2;
        MergeSort(a, tmp, lo, mid);
        MergeSort(a, tmp, mid + 1, hi);
        int i = lo, j = mid + 1, k = lo;
        while (i <= mid && j <= hi) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
        while (i <= mid) tmp[k++] = a[i++];
        while (j <= hi) tmp[k++] = a[j++];
        for (k = lo; k <= hi; k++) a[k] = tmp[k];
    }

    static void Sift(int[] a, int start, int end)
    {
        int root = start;
        while (2 * root + 1 <= end)
        {
            int child = 2 * root + 1;
            if (child + 1 <= end && a[child] < a[child + 1]) child++;
            if (a[root] < a[child]) { int t = a[root]; a[root] = a[child]; a[child] = t; root = child; }
            else return;
        }
    }

    static void HeapSort(int[] a)
    {
        for (int start = (a.Length - 2) / 2; start >= 0; start--) Sift(a, start, a.Length - 1);
        for (int end = a.Length - 1; end > 0; end--)
        {
            int t = a[end]; a[end] = a[0]; a[0] = t;
            Sift(a, 0, end - 1);
        }
    }

    static void InsertionSort(int[] a)
    {
        for (int i = 1; i < a.Length; i++)
        {
            int v = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
            a[j + 1] = v;
        }
    }

    static long Checksum(int[] a)
    {
        long s = 0;
        for (int i = 0; i < a.Length; i++) s = s * 31 + a[i];
        return s;
    }

    static void Main()
    {
        int n = 20000;
        int[] q = new int[n], m = new int[n], h = new int[n], ins = new int[2000];
        for (int i = 0; i < n; i++) { int v = Next(); q[i] = v; m[i] = v; h[i] = v; if (i < ins.Length) ins[i] = v; }
        QuickSort(q, 0, n - 1);
        MergeSort(m, new int[n], 0, n - 1);
        HeapSort(h);
        InsertionSort(ins);
        bool sorted = true;
        for (int i = 1; i < n; i++) if (q[i - 1] > q[i]) sorted = false;
        Console.WriteLine("sorted " + sorted + ", min " + q[0] + ", max " + q[n - 1] + ", median " + q[n / 2]);
        Console.WriteLine(Checksum(q) + " " + (Checksum(q) == Checksum(m)) + " " + (Checksum(q) == Checksum(h)));
        Console.WriteLine(Checksum(ins) + " " + ins[0] + " " + ins[ins.Length - 1]);
    }
}
