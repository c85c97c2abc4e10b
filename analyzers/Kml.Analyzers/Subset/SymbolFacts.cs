using Microsoft.CodeAnalysis;

namespace Kml.Analyzers.Subset;

/// <summary>Where a symbol comes from, as the rules need to know it.</summary>
public static class SymbolFacts
{
    /// <summary>The assembly whose <c>Kml</c> namespace subset programs may use freely.</summary>
    public const string RuntimeAssemblyName = "Kml.Runtime";

    /// <summary>Whether the symbol is declared by the program being analysed (its own source).</summary>
    /// <param name="symbol">A symbol.</param>
    /// <param name="compilation">The program's compilation.</param>
    /// <returns>True for the program's own types and members, including implicitly declared ones.</returns>
    public static bool IsDeclaredInProgram(ISymbol symbol, Compilation compilation) =>
        SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition.ContainingAssembly, compilation.Assembly);

    /// <summary>Whether the symbol is part of the Kml API: in namespace <c>Kml</c> (or below) of Kml.Runtime.</summary>
    /// <param name="symbol">A symbol.</param>
    /// <returns>True for the runtime's public API.</returns>
    public static bool IsKmlApi(ISymbol symbol)
    {
        symbol = symbol.OriginalDefinition;
        if (symbol.ContainingAssembly?.Name != RuntimeAssemblyName)
        {
            return false;
        }
        var ns = symbol as INamespaceSymbol ?? symbol.ContainingNamespace;
        while (ns is { IsGlobalNamespace: false, ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }
        return ns is { IsGlobalNamespace: false, Name: "Kml" };
    }

    /// <summary>The dotted namespace of a symbol ("" in the global namespace).</summary>
    /// <param name="symbol">A symbol.</param>
    /// <returns>The namespace name.</returns>
    public static string NamespaceOf(ISymbol symbol)
    {
        var ns = symbol.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? "" : ns.ToDisplayString();
    }

    /// <summary>Whether a namespace is <paramref name="root"/> or inside it.</summary>
    /// <param name="ns">A dotted namespace.</param>
    /// <param name="root">The namespace to test against.</param>
    /// <returns>True when <paramref name="ns"/> equals or starts with <paramref name="root"/> and a dot.</returns>
    public static bool IsWithin(string ns, string root) =>
        ns == root || ns.StartsWith(root + ".", System.StringComparison.Ordinal);

    /// <summary>Whether a type is System.Exception or derives from it.</summary>
    /// <param name="type">A type.</param>
    /// <returns>True for exception types.</returns>
    public static bool IsException(ITypeSymbol type)
    {
        for (var t = type as INamedTypeSymbol; t is not null; t = t.BaseType)
        {
            if (t.Name == "Exception" && NamespaceOf(t) == "System")
            {
                return true;
            }
        }
        return false;
    }
}
