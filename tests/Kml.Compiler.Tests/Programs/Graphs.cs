// Graph algorithms on a class holding adjacency lists (jagged arrays grown by doubling): breadth-first search with
// an array queue, iterative depth-first search with an explicit stack, topological sort (Kahn), Dijkstra's shortest
// paths in O(n^2) with long distances, connected components with union-find (path halving, union by size).
using System;

sealed class Graph
{
    public readonly int Count;
    private readonly int[][] adjacent;
    private readonly int[][] weights;
    private readonly int[] degree;

    public Graph(int count)
    {
        Count = count;
        adjacent = new int[count][];
        weights = new int[count][];
        degree = new int[count];
        for (int i = 0; i < count; i++) { adjacent[i] = new int[2]; weights[i] = new int[2]; }
    }

    public void Add(int from, int to, int weight)
    {
        if (degree[from] == adjacent[from].Length)
        {
            int[] a = new int[degree[from] * 2], w = new int[degree[from] * 2];
            for (int i = 0; i < degree[from]; i++) { a[i] = adjacent[from][i]; w[i] = weights[from][i]; }
            adjacent[from] = a;
            weights[from] = w;
        }
        adjacent[from][degree[from]] = to;
        weights[from][degree[from]] = weight;
        degree[from]++;
    }

    public int Degree(int v) => degree[v];
    public int Neighbour(int v, int k) => adjacent[v][k];
    public int Weight(int v, int k) => weights[v][k];
}

sealed class UnionFind
{
    private readonly int[] parent, size;
    public int Sets;

    public UnionFind(int n)
    {
        parent = new int[n];
        size = new int[n];
        for (int i = 0; i < n; i++) { parent[i] = i; size[i] = 1; }
        Sets = n;
    }

    public int Find(int x)
    {
        while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
        return x;
    }

    public bool Union(int a, int b)
    {
        a = Find(a); b = Find(b);
        if (a == b) return false;
        if (size[a] < size[b]) { int t = a; a = b; b = t; }
        parent[b] = a;
        size[a] += size[b];
        Sets--;
        return true;
    }
}

static class Program
{
    static uint seed = 12345;
    static int Next(int bound) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return (int)(seed % (uint)bound); }

    static int[] Bfs(Graph g, int start)
    {
        int[] dist = new int[g.Count];
        for (int i = 0; i < dist.Length; i++) dist[i] = -1;
        int[] queue = new int[g.Count];
        int head = 0, tail = 0;
        queue[tail++] = start;
        dist[start] = 0;
        while (head < tail)
        {
            int v = queue[head++];
            for (int k = 0; k < g.Degree(v); k++)
            {
                int w = g.Neighbour(v, k);
                if (dist[w] < 0) { dist[w] = dist[v] + 1; queue[tail++] = w; }
            }
        }
        return dist;
    }

    static string DfsOrder(Graph g, int start, int limit)
    {
        bool[] seen = new bool[g.Count];
        int[] stack = new int[g.Count * 8 + 1];
        int top = 0;
        stack[top++] = start;
        string order = "";
        int printed = 0;
        while (top > 0)
        {
            int v = stack[--top];
            if (seen[v]) continue;
            seen[v] = true;
            if (printed++ < limit) order += v + " ";
            for (int k = g.Degree(v) - 1; k >= 0; k--) if (!seen[g.Neighbour(v, k)]) stack[top++] = g.Neighbour(v, k);
        }
        return order + "(" + printed + ")";
    }

    static string Topological(Graph g)
    {
        int[] indegree = new int[g.Count];
        for (int v = 0; v < g.Count; v++) for (int k = 0; k < g.Degree(v); k++) indegree[g.Neighbour(v, k)]++;
        int[] ready = new int[g.Count];
        int n = 0;
        for (int v = 0; v < g.Count; v++) if (indegree[v] == 0) ready[n++] = v;
        string order = "";
        for (int i = 0; i < n; i++)
        {
            int v = ready[i];
            order += v + " ";
            for (int k = 0; k < g.Degree(v); k++) if (--indegree[g.Neighbour(v, k)] == 0) ready[n++] = g.Neighbour(v, k);
        }
        return n == g.Count ? order : "cycle after " + order;
    }

    static long[] Dijkstra(Graph g, int source)
    {
        long[] dist = new long[g.Count];
        bool[] done = new bool[g.Count];
        for (int i = 0; i < dist.Length; i++) dist[i] = long.MaxValue;
        dist[source] = 0;
        for (int round = 0; round < g.Count; round++)
        {
            int best = -1;
            for (int v = 0; v < g.Count; v++) if (!done[v] && dist[v] != long.MaxValue && (best < 0 || dist[v] < dist[best])) best = v;
            if (best < 0) break;
            done[best] = true;
            for (int k = 0; k < g.Degree(best); k++)
            {
                int w = g.Neighbour(best, k);
                long candidate = dist[best] + g.Weight(best, k);
                if (candidate < dist[w]) dist[w] = candidate;
            }
        }
        return dist;
    }

    static void Main()
    {
        Graph g = new Graph(300);
        for (int i = 0; i < 900; i++) { int a = Next(300), b = Next(300); g.Add(a, b, 1 + Next(1000000)); g.Add(b, a, 1 + Next(1000000)); }
        int[] dist = Bfs(g, 0);
        int reached = 0, far = 0;
        foreach (int d in dist) { if (d >= 0) reached++; if (d > far) far = d; }
        Console.WriteLine("bfs: " + reached + " reached, eccentricity " + far + ", d(299) = " + dist[299]);
        Console.WriteLine("dfs: " + DfsOrder(g, 0, 12));
        long[] sp = Dijkstra(g, 0);
        long sum = 0;
        int unreachable = 0;
        foreach (long d in sp) if (d == long.MaxValue) unreachable++; else sum += d;
        Console.WriteLine("dijkstra: sum " + sum + ", unreachable " + unreachable + ", d(1) = " + sp[1]);

        Graph dag = new Graph(8);
        int[] edges = { 0, 2, 1, 2, 2, 3, 3, 4, 1, 5, 5, 4, 6, 7, 7, 4 };
        for (int i = 0; i < edges.Length; i += 2) dag.Add(edges[i], edges[i + 1], 1);
        Console.WriteLine("topological: " + Topological(dag));
        dag.Add(4, 1, 1);
        Console.WriteLine("topological: " + Topological(dag));

        UnionFind uf = new UnionFind(1000);
        int merges = 0;
        for (int i = 0; i < 800; i++) if (uf.Union(Next(1000), Next(1000))) merges++;
        Console.WriteLine("union-find: " + merges + " merges, " + uf.Sets + " sets, same(1,2) " + (uf.Find(1) == uf.Find(2)));
    }
}
