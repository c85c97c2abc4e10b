// Deep recursion with big frames: 20000 nested calls each holding a struct of eight fields, a long and several live
// values across the call (spilled to the stack), mutual recursion through a switch, recursion over a linked list of
// 50000 nodes, and results that depend on every frame.
using System;

struct Frame8
{
    public int A, B, C, D, E, F, G, H;
}

sealed class Node
{
    public int Value;
    public Node? Next;
}

static class Program
{
    static long Deep(int n, Frame8 f, long acc)
    {
        if (n == 0) return acc + f.A + f.H;
        Frame8 g = f;
        g.A += n; g.B ^= n; g.C = f.C * 3 + 1; g.D = f.A - f.B; g.E++; g.F = n & 0xFF; g.G = f.G + g.F; g.H = f.H ^ g.G;
        int live1 = n * 7, live2 = n ^ 0x5A5A, live3 = g.C + g.D;
        long below = Deep(n - 1, g, acc + live3);
        return below + live1 - live2 + (g.E & 1) + f.B;
    }

    static int Step(int kind, int n)
    {
        if (n <= 0) return kind;
        switch (kind % 3)
        {
            case 0: return 1 + Step(kind + 1, n - 1);
            case 1: return 2 + Step(kind + 2, n - 2);
            default: return Step(kind * 2 % 1000, n - 1) - 1;
        }
    }

    static long SumList(Node? node) => node == null ? 0 : node.Value + SumList(node.Next);

    static int Length(Node? node) => node == null ? 0 : 1 + Length(node.Next);

    static void Main()
    {
        Frame8 f = new Frame8();
        f.A = 1; f.B = 2; f.C = 3; f.H = -1;
        Console.WriteLine(Deep(20000, f, 0));
        Console.WriteLine(Step(0, 30000) + " " + Step(5, 10001));
        Node? head = null;
        for (int i = 0; i < 50000; i++) { Node n = new Node(); n.Value = i % 1000 - 500; n.Next = head; head = n; }
        Console.WriteLine(SumList(head) + " " + Length(head));
    }
}
