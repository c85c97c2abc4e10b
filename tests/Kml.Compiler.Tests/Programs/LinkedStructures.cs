// Object graphs: a singly linked list (insert, reverse, remove), a stack and a queue built from nodes, and a
// binary search tree with deletion and an in-order walk.
using System;

sealed class ListNode
{
    public int Value;
    public ListNode? Next;
    public ListNode(int value, ListNode? next) { Value = value; Next = next; }
}

sealed class IntQueue
{
    private ListNode? head, tail;
    public int Count { get; private set; }

    public void Enqueue(int v)
    {
        ListNode n = new ListNode(v, null);
        if (tail == null) head = tail = n;
        else { tail.Next = n; tail = n; }
        Count++;
    }

    public int Dequeue()
    {
        ListNode n = head!;
        head = n.Next;
        if (head == null) tail = null;
        Count--;
        return n.Value;
    }
}

sealed class Tree
{
    public int Key;
    public Tree? Left, Right;
    public Tree(int key) { Key = key; }

    public static Tree Insert(Tree? t, int key)
    {
        if (t == null) return new Tree(key);
        if (key < t.Key) t.Left = Insert(t.Left, key);
        else if (key > t.Key) t.Right = Insert(t.Right, key);
        return t;
    }

    public static Tree? Remove(Tree? t, int key)
    {
        if (t == null) return null;
        if (key < t.Key) t.Left = Remove(t.Left, key);
        else if (key > t.Key) t.Right = Remove(t.Right, key);
        else
        {
            if (t.Left == null) return t.Right;
            if (t.Right == null) return t.Left;
            Tree m = t.Right;
            while (m.Left != null) m = m.Left;
            t.Key = m.Key;
            t.Right = Remove(t.Right, m.Key);
        }
        return t;
    }

    public static string Walk(Tree? t) => t == null ? "" : Walk(t.Left) + t.Key + " " + Walk(t.Right);

    public static int Height(Tree? t) => t == null ? 0 : 1 + Math.Max(Height(t.Left), Height(t.Right));
}

static class Program
{
    static string Show(ListNode? n)
    {
        string s = "[";
        while (n != null) { s += n.Value; if (n.Next != null) s += ","; n = n.Next; }
        return s + "]";
    }

    static ListNode? Reverse(ListNode? n)
    {
        ListNode? prev = null;
        while (n != null) { ListNode? next = n.Next; n.Next = prev; prev = n; n = next; }
        return prev;
    }

    static ListNode? RemoveAll(ListNode? n, int v)
    {
        while (n != null && n.Value == v) n = n.Next;
        ListNode? cur = n;
        while (cur != null && cur.Next != null)
        {
            if (cur.Next.Value == v) cur.Next = cur.Next.Next;
            else cur = cur.Next;
        }
        return n;
    }

    static void Main()
    {
        ListNode? list = null;
        for (int i = 0; i < 10; i++) list = new ListNode(i % 4, list);
        Console.WriteLine(Show(list));
        list = Reverse(list);
        Console.WriteLine(Show(list));
        list = RemoveAll(list, 0);
        list = RemoveAll(list, 3);
        Console.WriteLine(Show(list));

        IntQueue q = new IntQueue();
        for (int i = 1; i <= 5; i++) q.Enqueue(i * i);
        int a = q.Dequeue(), b = q.Dequeue();
        q.Enqueue(100);
        string rest = "";
        while (q.Count > 0) rest += q.Dequeue() + " ";
        Console.WriteLine(a + " " + b + " | " + rest);

        Tree? t = null;
        int[] keys = { 50, 30, 70, 20, 40, 60, 80, 35, 45, 65, 30 };
        foreach (int k in keys) t = Tree.Insert(t, k);
        Console.WriteLine(Tree.Walk(t) + "h=" + Tree.Height(t));
        t = Tree.Remove(t, 30);
        t = Tree.Remove(t, 50);
        t = Tree.Remove(t, 99);
        Console.WriteLine(Tree.Walk(t) + "h=" + Tree.Height(t) + " root=" + t!.Key);
    }
}
