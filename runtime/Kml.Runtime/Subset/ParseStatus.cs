namespace Kml;

/// <summary>How parsing a number ended; each failure is the exception CoreCLR's int.Parse throws in that case.</summary>
public enum ParseStatus
{
    /// <summary>The text is a number in range.</summary>
    Ok,
    /// <summary>The text is null (ArgumentNullException on CoreCLR).</summary>
    Null,
    /// <summary>The text is not a number (FormatException).</summary>
    Format,
    /// <summary>The text is a number outside the type's range (OverflowException).</summary>
    Overflow,
}
