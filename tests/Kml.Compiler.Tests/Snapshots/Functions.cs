// Small functions whose TAL listings are approved snapshots (SnapshotTests): changes to code generation show up
// in review as a diff of these listings.
// snapshot: Program.Max
// snapshot: Program.SumArray
// snapshot: Program.Swap
// snapshot: Program.Average
// snapshot: Program.AddLong
// snapshot: Program.Length
// snapshot: Program.Fill
// snapshot: Node..ctor
// snapshot: Vec.Scale
using System;

struct Vec
{
    public int X;
    public int Y;
    public int Z;
    public void Scale(int k) { X *= k; Y *= k; Z *= k; }
}

sealed class Node
{
    public int Value;
    public Node? Next;
    public Node(int value, Node? next) { Value = value; Next = next; }
}

static class Program
{
    static int Max(int a, int b) => a > b ? a : b;

    static int SumArray(int[] a)
    {
        int sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i];
        return sum;
    }

    static void Swap(int[] a, int i, int j)
    {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    static int Average(int total, int count) => total / count;

    static long AddLong(long a, long b) => a + b;

    static int Length(Node? n)
    {
        int length = 0;
        while (n != null) { length++; n = n.Next; }
        return length;
    }

    static void Fill(Vec[] vs)
    {
        for (int i = 0; i < vs.Length; i++) vs[i].Y = i;
    }

    static void Main()
    {
        int[] a = { 3, 1, 2 };
        Swap(a, 0, 2);
        Vec[] vs = new Vec[2];
        Fill(vs);
        vs[1].Scale(3);
        Console.WriteLine(Max(a[0], a[1]) + SumArray(a) + Average(9, 2) + AddLong(1, 2) + Length(new Node(1, new Node(2, null))) + vs[1].Y);
    }
}
