// Classes working together: an inventory of items (a class with properties that validate, static counters and
// an id sequence), orders that reference items (arrays of references, null for "none"), a ledger with a growing
// array, enums with a switch for the order state, and a report built with string concatenation.
using System;

enum OrderState { Open, Paid, Shipped, Cancelled }

sealed class Item
{
    private static int nextId = 100;
    public static int Created { get; private set; }

    public int Id { get; }
    public string Name { get; }
    public int PriceCents { get; private set; }
    private int stock;

    public Item(string name, int priceCents, int stock)
    {
        Id = nextId++;
        Name = name;
        PriceCents = priceCents;
        this.stock = stock;
        Created++;
    }

    public int Stock => stock;

    public bool Take(int count)
    {
        if (count <= 0 || count > stock) return false;
        stock -= count;
        return true;
    }

    public void Restock(int count) => stock += count;

    public void Discount(int percent) { PriceCents = PriceCents * (100 - Math.Min(Math.Max(percent, 0), 90)) / 100; }
}

sealed class Order
{
    public readonly Item?[] Lines = new Item?[4];
    public readonly int[] Counts = new int[4];
    public OrderState State = OrderState.Open;
    public int Number;

    public bool Add(Item item, int count)
    {
        for (int i = 0; i < Lines.Length; i++)
        {
            if (Lines[i] == item) { Counts[i] += count; return true; }
            if (Lines[i] == null) { Lines[i] = item; Counts[i] = count; return true; }
        }
        return false;
    }

    public long Total()
    {
        long total = 0;
        for (int i = 0; i < Lines.Length; i++)
        {
            Item? item = Lines[i];
            if (item != null) total += (long)item.PriceCents * Counts[i];
        }
        return total;
    }
}

sealed class Ledger
{
    private string[] entries = new string[2];
    public int Count { get; private set; }

    public void Record(string entry)
    {
        if (Count == entries.Length)
        {
            string[] bigger = new string[entries.Length * 2];
            for (int i = 0; i < Count; i++) bigger[i] = entries[i];
            entries = bigger;
        }
        entries[Count++] = entry;
    }

    public string Get(int i) => entries[i];
}

static class Program
{
    static string Money(long cents) => (cents < 0 ? "-" : "") + Math.Abs(cents / 100) + "." + (Math.Abs(cents % 100) < 10 ? "0" : "") + Math.Abs(cents % 100);

    static string Advance(Order o, Ledger ledger)
    {
        switch (o.State)
        {
            case OrderState.Open:
                for (int i = 0; i < o.Lines.Length; i++)
                {
                    Item? item = o.Lines[i];
                    if (item != null && !item.Take(o.Counts[i]))
                    {
                        for (int j = 0; j < i; j++) { Item? back = o.Lines[j]; if (back != null) back.Restock(o.Counts[j]); }
                        o.State = OrderState.Cancelled;
                        ledger.Record("order " + o.Number + " cancelled: " + item.Name + " short by " + (o.Counts[i] - item.Stock));
                        return "cancelled";
                    }
                }
                o.State = OrderState.Paid;
                ledger.Record("order " + o.Number + " paid " + Money(o.Total()));
                return "paid";
            case OrderState.Paid:
                o.State = OrderState.Shipped;
                ledger.Record("order " + o.Number + " shipped");
                return "shipped";
            default:
                return "no change (" + (int)o.State + ")";
        }
    }

    static void Main()
    {
        Item[] items = { new Item("kernel", 129900, 3), new Item("checker", 4999, 10), new Item("typed asm", 250, 1000), new Item("ring", 1, 0) };
        items[1].Discount(15);
        items[2].Discount(200);
        Ledger ledger = new Ledger();
        Order[] orders = new Order[5];
        for (int i = 0; i < orders.Length; i++)
        {
            orders[i] = new Order();
            orders[i].Number = i + 1;
            orders[i].Add(items[i % items.Length], i + 1);
            orders[i].Add(items[(i + 2) % items.Length], 2 * i + 1);
            orders[i].Add(items[i % items.Length], 1);
        }
        for (int round = 0; round < 3; round++)
        {
            string line = "round " + round + ":";
            foreach (Order o in orders) line += " " + Advance(o, ledger);
            Console.WriteLine(line);
        }
        for (int i = 0; i < ledger.Count; i++) Console.WriteLine(ledger.Get(i));
        string stock = "";
        foreach (Item item in items) stock += item.Id + ":" + item.Name + "=" + item.Stock + "@" + Money(item.PriceCents) + " ";
        Console.WriteLine(stock + "created " + Item.Created + " " + Money(-5) + " " + Money(-1234));
    }
}
