// A run-time error: a null dereference (a field of a null object) ends the program with exit code 134.
using System;

sealed class Node
{
    public int Value;
    public Node? Next;
}

static class Program
{
    static void Main()
    {
        Node head = new Node();
        head.Value = 1;
        head.Next = new Node();
        head.Next.Value = 2;
        Node? n = head;
        while (true)
        {
            Console.WriteLine(n!.Value); // panics here
            n = n.Next;
        }
    }
}
