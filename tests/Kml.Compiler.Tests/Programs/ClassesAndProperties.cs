// Classes without inheritance: constructors (chained with this(...)), field and auto-property initializers,
// init and expression-bodied properties, properties with bodies, static members and counters, object graphs.
using System;

sealed class Account
{
    private static int nextId = 100;
    public static int Opened { get; private set; }

    public int Id { get; }
    public string Owner { get; init; } = "nobody";
    public long Balance { get; private set; }
    private long limit = -500;
    public string[] History = new string[8];
    private int entries;

    public Account() : this("anonymous", 0) { }

    public Account(string owner, long balance)
    {
        Id = nextId++;
        Owner = owner;
        Balance = balance;
        Opened++;
        Record("open " + balance);
    }

    public bool CanWithdraw(long amount) => Balance - amount >= limit;

    public long Limit
    {
        get { return -limit; }
        set { limit = value < 0 ? value : -value; }
    }

    public bool Withdraw(long amount)
    {
        if (!CanWithdraw(amount)) { Record("refused " + amount); return false; }
        Balance -= amount;
        Record("withdraw " + amount);
        return true;
    }

    public void Deposit(long amount)
    {
        Balance += amount;
        Record("deposit " + amount);
    }

    private void Record(string what)
    {
        if (entries < History.Length) History[entries++] = what;
    }

    public string Describe() => "#" + Id + " " + Owner + ": " + Balance + " (limit " + Limit + ", " + entries + " entries)";
}

sealed class Bank
{
    private readonly Account?[] accounts = new Account?[4];
    public int Count { get; private set; }

    public Account Open(string owner, long balance)
    {
        Account a = new Account(owner, balance);
        accounts[Count] = a;
        Count++;
        return a;
    }

    public long Total()
    {
        long sum = 0;
        for (int i = 0; i < Count; i++) sum += accounts[i]!.Balance;
        return sum;
    }

    public Account? Find(int id)
    {
        foreach (Account? a in accounts) if (a != null && a.Id == id) return a;
        return null;
    }
}

static class Program
{
    static void Main()
    {
        Bank bank = new Bank();
        Account alice = bank.Open("alice", 1000);
        Account bob = bank.Open("bob", 50);
        Account anon = new Account();
        Console.WriteLine(alice.Describe());
        Console.WriteLine(bob.Describe());
        Console.WriteLine(anon.Describe());
        Console.WriteLine(bob.Withdraw(400) + " " + bob.Withdraw(200) + " " + bob.Withdraw(1));
        bob.Limit = 1000;
        Console.WriteLine(bob.Withdraw(500) + " " + bob.Describe());
        alice.Deposit(250);
        Console.WriteLine(bank.Total() + " " + Account.Opened + " " + bank.Count);
        Console.WriteLine((bank.Find(101) == bob) + " " + (bank.Find(999) == null) + " " + (bank.Find(100)!.Owner));
        foreach (string? h in bob.History) if (h != null) Console.Write(h + "; ");
        Console.WriteLine();
        Account custom = new Account("carol", 5);
        Console.WriteLine(custom.Describe());
    }
}
