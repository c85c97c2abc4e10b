using Microsoft.CodeAnalysis;

namespace Kml.Compiler.Diagnostics;

/// <summary>A compiler diagnostic (KML1xxx) at a source location, printed in MSBuild's format.</summary>
/// <param name="Id">The ID.</param>
/// <param name="Message">The message.</param>
/// <param name="Location">Where, or null.</param>
public sealed record CompileError(string Id, string Message, Location? Location)
{
    /// <summary><c>file(line,col): error KML1001: message</c>.</summary>
    public override string ToString()
    {
        var text = "error " + Id + ": " + Message;
        if (Location is null || !Location.IsInSource) return text;
        var span = Location.GetLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {text}";
    }
}
