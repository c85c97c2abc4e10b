namespace Kml;

/// <summary>The result of <see cref="NumberText.ParseInt32"/>: a value, valid when the status is Ok.</summary>
public struct ParsedInt32
{
    /// <summary>The parsed value (0 unless <see cref="Status"/> is Ok).</summary>
    public int Value;

    /// <summary>Whether the text was a number, and if not, why.</summary>
    public ParseStatus Status;
}
