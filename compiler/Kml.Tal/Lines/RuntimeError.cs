namespace Kml.Tal.Lines;

/// <summary>
/// The kinds of run-time error a compiled program reports through <c>panic(kind, location)</c>, and the first line
/// CoreCLR prints for the matching unhandled exception. Kinds 1–7 are those of the kernel interface; 8–10 are the
/// errors the C# subset's library surface raises (the kernel interface types the kind as any <c>int</c>).
/// The location is an index into the program's line map (<see cref="LineMap.Locations"/>), or -1.
/// </summary>
public static class RuntimeError
{
    /// <summary>Array or string index out of range (IndexOutOfRangeException).</summary>
    public const int IndexOutOfRange = 1;
    /// <summary>Null dereference (NullReferenceException).</summary>
    public const int NullReference = 2;
    /// <summary>Integer division by zero (DivideByZeroException).</summary>
    public const int DivideByZero = 3;
    /// <summary>Arithmetic overflow: <c>int.MinValue / -1</c>, <c>Math.Abs(int.MinValue)</c>, a negative array size, int.Parse out of range (OverflowException).</summary>
    public const int Overflow = 4;
    /// <summary>The heap is exhausted (OutOfMemoryException).</summary>
    public const int OutOfMemory = 5;
    /// <summary>Invalid cast (InvalidCastException).</summary>
    public const int InvalidCast = 6;
    /// <summary>An assertion failed.</summary>
    public const int Assertion = 7;
    /// <summary>An argument out of range, e.g. <c>Substring</c> (ArgumentOutOfRangeException).</summary>
    public const int ArgumentOutOfRange = 8;
    /// <summary>Malformed text for int.Parse (FormatException).</summary>
    public const int Format = 9;
    /// <summary>A null argument, e.g. <c>int.Parse(null)</c> (ArgumentNullException).</summary>
    public const int ArgumentNull = 10;
    /// <summary>The stack guard was hit: not a panic kind (the kernel sees a fault), listed for its message.</summary>
    public const int StackOverflow = 11;

    /// <summary>The exit status CoreCLR gives an unhandled exception on Linux (SIGABRT), and a KML program too.</summary>
    public const int ExitStatus = 134;

    /// <summary>CoreCLR's first line for the error (stack overflow prints "Stack overflow." without the prefix).</summary>
    public static string Message(int kind) => kind switch
    {
        IndexOutOfRange => "Unhandled exception. System.IndexOutOfRangeException: Index was outside the bounds of the array.",
        NullReference => "Unhandled exception. System.NullReferenceException: Object reference not set to an instance of an object.",
        DivideByZero => "Unhandled exception. System.DivideByZeroException: Attempted to divide by zero.",
        Overflow => "Unhandled exception. System.OverflowException: Arithmetic operation resulted in an overflow.",
        OutOfMemory => "Unhandled exception. System.OutOfMemoryException: Insufficient memory to continue the execution of the program.",
        InvalidCast => "Unhandled exception. System.InvalidCastException: Specified cast is not valid.",
        Assertion => "Unhandled exception. System.Exception: Assertion failed.",
        ArgumentOutOfRange => "Unhandled exception. System.ArgumentOutOfRangeException: Specified argument was out of the range of valid values.",
        Format => "Unhandled exception. System.FormatException: The input string was not in a correct format.",
        ArgumentNull => "Unhandled exception. System.ArgumentNullException: Value cannot be null.",
        StackOverflow => "Stack overflow.",
        _ => $"Unhandled exception. System.Exception: run-time error {kind}.",
    };

    /// <summary>
    /// The full text a runner prints on stderr for <c>panic(kind, location)</c>: the message, and
    /// <c>   at File.cs:line N</c> when the line map names the location.
    /// </summary>
    public static string Describe(int kind, int location, LineMap? lines)
    {
        var message = Message(kind);
        if (lines is not null && location >= 0 && location < lines.Locations.Count)
        {
            var l = lines.Locations[location];
            return message + "\n   at " + lines.Files[l.File] + ":line " + l.Line;
        }
        return message;
    }
}
