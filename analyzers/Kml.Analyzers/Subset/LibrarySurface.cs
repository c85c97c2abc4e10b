using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using Microsoft.CodeAnalysis;

namespace Kml.Analyzers.Subset;

/// <summary>
/// The part of the .NET library a subset program may use: the keys listed in <c>LibrarySurface.txt</c> (an
/// embedded resource; one <see cref="SymbolKeys"/> key per line; '#' at the start of a line or after a space starts a comment). "T:" lines are types that may be
/// named in code (and used as attributes); the other lines are members. The Kml API is allowed besides.
/// </summary>
public static class LibrarySurface
{
    private const string ResourceName = "Kml.Analyzers.Subset.LibrarySurface.txt";

    /// <summary>Every key of the surface, as listed.</summary>
    public static ImmutableHashSet<string> Keys { get; } = Load();

    /// <summary>Whether a library member (method, property, field, constructor) is on the surface.</summary>
    /// <param name="member">The member (its original definition is looked up).</param>
    /// <returns>True when its key is listed.</returns>
    public static bool IsAllowedMember(ISymbol member) => SymbolKeys.For(member) is { } key && Keys.Contains(key);

    /// <summary>Whether a library type may be named in code: the integer types, bool, char, string, void, and the listed types.</summary>
    /// <param name="type">The type.</param>
    /// <returns>True when the type is allowed.</returns>
    public static bool IsAllowedType(INamedTypeSymbol type) =>
        type.SpecialType is SpecialType.System_Void or SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_String
            or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
        || Keys.Contains("T:" + SymbolKeys.TypeName(type.OriginalDefinition));

    private static ImmutableHashSet<string> Load()
    {
        using var stream = typeof(LibrarySurface).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("the embedded resource " + ResourceName + " is missing");
        using var reader = new StreamReader(stream);
        var keys = new List<string>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            // '#' starts a comment at the start of a line or after a space ("#ctor" is part of a key).
            var trimmed = line.Trim();
            var hash = trimmed.StartsWith("#", StringComparison.Ordinal) ? 0 : trimmed.IndexOf(" #", StringComparison.Ordinal);
            var key = (hash >= 0 ? trimmed.Substring(0, hash) : trimmed).Trim();
            if (key.Length > 0)
            {
                keys.Add(key);
            }
        }
        return keys.ToImmutableHashSet(StringComparer.Ordinal);
    }
}
