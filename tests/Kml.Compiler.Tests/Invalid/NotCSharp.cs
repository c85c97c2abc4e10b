// Not valid C#: the C# compiler's errors, in the same format.
// expect: NotCSharp.cs(8,17): error CS0029: Cannot implicitly convert type 'string' to 'int'
// expect: NotCSharp.cs(9,9): error CS0103: The name 'Undefined' does not exist in the current context
static class Program
{
    static void Main()
    {
        int x = "text";
        Undefined();
    }
}
