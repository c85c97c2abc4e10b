// A string-keyed hash table with chaining (classes, arrays of references, string hashing and equality), used to
// count words, then the words sorted by count and name.
using System;

sealed class Entry
{
    public string Key;
    public int Count;
    public Entry? Next;
    public Entry(string key, Entry? next) { Key = key; Count = 0; Next = next; }
}

sealed class Counter
{
    private Entry?[] buckets = new Entry?[8];
    public int Size { get; private set; }

    private static uint Hash(string s)
    {
        uint h = 2166136261;
        foreach (char c in s) { h ^= c; h *= 16777619; }
        return h;
    }

    public void Add(string key)
    {
        uint h = Hash(key);
        int b = (int)(h % (uint)buckets.Length);
        for (Entry? e = buckets[b]; e != null; e = e.Next)
            if (e.Key == key) { e.Count++; return; }
        Entry n = new Entry(key, buckets[b]);
        n.Count = 1;
        buckets[b] = n;
        Size++;
        if (Size > buckets.Length * 2) Grow();
    }

    private void Grow()
    {
        Entry?[] old = buckets;
        buckets = new Entry?[old.Length * 2];
        foreach (Entry? first in old)
        {
            Entry? e = first;
            while (e != null)
            {
                Entry? next = e.Next;
                int b = (int)(Hash(e.Key) % (uint)buckets.Length);
                e.Next = buckets[b];
                buckets[b] = e;
                e = next;
            }
        }
    }

    public Entry[] Entries()
    {
        Entry[] all = new Entry[Size];
        int k = 0;
        foreach (Entry? first in buckets)
            for (Entry? e = first; e != null; e = e.Next) all[k++] = e;
        return all;
    }

    public int Buckets => buckets.Length;
}

static class Program
{
    static bool Before(Entry a, Entry b)
    {
        if (a.Count != b.Count) return a.Count > b.Count;
        int n = Math.Min(a.Key.Length, b.Key.Length);
        for (int i = 0; i < n; i++) if (a.Key[i] != b.Key[i]) return a.Key[i] < b.Key[i];
        return a.Key.Length < b.Key.Length;
    }

    static void Main()
    {
        string text = "the kernel checks the code and the kernel runs the code in ring zero while the checker " +
            "is the security boundary of the kernel and the types make the code safe so the code may run in the kernel";
        Counter counter = new Counter();
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                if (i > start) counter.Add(text.Substring(start, i - start));
                start = i + 1;
            }
        }
        Entry[] entries = counter.Entries();
        for (int i = 1; i < entries.Length; i++)
        {
            Entry e = entries[i];
            int j = i - 1;
            while (j >= 0 && Before(e, entries[j])) { entries[j + 1] = entries[j]; j--; }
            entries[j + 1] = e;
        }
        Console.WriteLine(counter.Size + " words in " + counter.Buckets + " buckets");
        foreach (Entry e in entries) Console.Write(e.Key + "=" + e.Count + " ");
        Console.WriteLine();
    }
}
