using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Kml.Analyzers.Subset;

/// <summary>
/// Stable keys for library symbols, in the shape of documentation comment IDs ("M:System.Console.WriteLine(System.String)").
/// Our own code rather than Roslyn's <c>DocumentationCommentId</c>, whose output differs between compiler versions,
/// and the analyzers run under both Roslyn 4.14 (tests, the KML compiler) and the SDK's newer compiler (builds).
/// </summary>
public static class SymbolKeys
{
    /// <summary>The key of a type, method, property or field (of its original definition); null for other symbols.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <returns>"T:", "M:", "P:" or "F:" followed by the qualified name and, for members with parameters, the parameter types.</returns>
    public static string? For(ISymbol symbol)
    {
        symbol = symbol.OriginalDefinition;
        switch (symbol)
        {
            case INamedTypeSymbol type:
                return "T:" + TypeName(type);
            case IMethodSymbol method when method.ContainingType is not null:
                var name = method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor ? "#ctor" : method.MetadataName;
                return "M:" + TypeName(method.ContainingType) + "." + name + Parameters(method.Parameters);
            case IPropertySymbol property when property.ContainingType is not null:
                return "P:" + TypeName(property.ContainingType) + "." + property.MetadataName + Parameters(property.Parameters);
            case IFieldSymbol field when field.ContainingType is not null:
                return "F:" + TypeName(field.ContainingType) + "." + field.MetadataName;
            default:
                return null;
        }
    }

    private static string Parameters(System.Collections.Immutable.ImmutableArray<IParameterSymbol> parameters) =>
        parameters.IsEmpty ? "" : "(" + string.Join(",", parameters.Select(p => TypeName(p.Type) + (p.RefKind == RefKind.None ? "" : "@"))) + ")";

    /// <summary>The qualified metadata name of a type as the keys spell it ("System.Collections.Generic.List`1", "System.Char[]").</summary>
    /// <param name="type">The type.</param>
    /// <returns>The name.</returns>
    public static string TypeName(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return TypeName(array.ElementType) + (array.Rank == 1 ? "[]" : "[" + new string(',', array.Rank - 1) + "]");
            case IPointerTypeSymbol pointer:
                return TypeName(pointer.PointedAtType) + "*";
            case ITypeParameterSymbol parameter:
                return parameter.Name;
            case INamedTypeSymbol named:
                var builder = new StringBuilder();
                AppendContainers(builder, named);
                builder.Append(named.MetadataName);
                return builder.ToString();
            default:
                return type.ToDisplayString();
        }
    }

    private static void AppendContainers(StringBuilder builder, INamedTypeSymbol type)
    {
        if (type.ContainingType is { } outer)
        {
            AppendContainers(builder, outer);
            builder.Append(outer.MetadataName).Append('.');
        }
        else if (type.ContainingNamespace is { IsGlobalNamespace: false } ns)
        {
            builder.Append(ns.ToDisplayString()).Append('.');
        }
    }
}
