// Classes with references and null: a binary search tree with recursion, a linked stack, jagged arrays.
using System;

sealed class Node
{
    public int Key;
    public Node? Left;
    public Node? Right;

    public Node(int key)
    {
        Key = key;
    }
}

sealed class Tree
{
    Node? root;
    int size;

    public int Size => size;

    public void Insert(int key)
    {
        if (root == null)
        {
            root = new Node(key);
            size++;
            return;
        }
        Node current = root;
        while (true)
        {
            if (key == current.Key)
            {
                return;
            }
            if (key < current.Key)
            {
                if (current.Left == null)
                {
                    current.Left = new Node(key);
                    size++;
                    return;
                }
                current = current.Left;
            }
            else
            {
                if (current.Right == null)
                {
                    current.Right = new Node(key);
                    size++;
                    return;
                }
                current = current.Right;
            }
        }
    }

    public int Height() => Height(root);

    static int Height(Node? n) => n == null ? 0 : 1 + Math.Max(Height(n.Left), Height(n.Right));

    public string InOrder() => Collect(root, "");

    public int Count()
    {
        Counter counter = new Counter();
        Walk(counter: counter, n: root);
        return counter.Count;
    }

    static string Collect(Node? n, string acc)
    {
        if (n == null)
        {
            return acc;
        }
        acc = Collect(n.Left, acc);
        acc = acc + n.Key + " ";
        return Collect(n.Right, acc);
    }

    static void Walk(Node? n, Counter counter)
    {
        if (n == null)
        {
            return;
        }
        Walk(n.Left, counter);
        counter.Count++;
        Walk(n.Right, counter);
    }
}

sealed class Counter
{
    public int Count;
}

sealed class Stack
{
    sealed class Cell
    {
        public int Value;
        public Cell? Below;
    }

    Cell? top;

    public bool IsEmpty => top == null;

    public void Push(int value)
    {
        Cell cell = new Cell();
        cell.Value = value;
        cell.Below = top;
        top = cell;
    }

    public int Pop()
    {
        Cell cell = top!;
        top = cell.Below;
        return cell.Value;
    }
}

static class Program
{
    static void Main()
    {
        Tree tree = new Tree();
        int seed = 12345;
        for (int i = 0; i < 20; i++)
        {
            seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF;
            tree.Insert(seed % 100);
        }
        Console.WriteLine("size " + tree.Size + ", counted " + tree.Count() + ", height " + tree.Height());
        Console.WriteLine(tree.InOrder());

        Stack stack = new Stack();
        for (int i = 1; i <= 5; i++)
        {
            stack.Push(i * i);
        }
        string popped = "";
        while (!stack.IsEmpty)
        {
            popped += stack.Pop() + ";";
        }
        Console.WriteLine(popped);

        int[][] triangle = new int[6][];
        for (int row = 0; row < triangle.Length; row++)
        {
            triangle[row] = new int[row + 1];
            triangle[row][0] = 1;
            triangle[row][row] = 1;
            for (int k = 1; k < row; k++)
            {
                triangle[row][k] = triangle[row - 1][k - 1] + triangle[row - 1][k];
            }
        }
        foreach (int[] row in triangle)
        {
            string line = "";
            foreach (int v in row)
            {
                line += v + " ";
            }
            Console.WriteLine(line);
        }
    }
}
