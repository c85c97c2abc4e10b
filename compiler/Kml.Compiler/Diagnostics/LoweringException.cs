using Microsoft.CodeAnalysis;

namespace Kml.Compiler.Diagnostics;

/// <summary>A construct the compiler cannot lower, at the place in the program where it was met.</summary>
public sealed class LoweringException(string message, Location? location, Exception? inner = null) : NotSupportedException(message, inner)
{
    /// <summary>Where the construct is.</summary>
    public Location? Location { get; } = location;
}
