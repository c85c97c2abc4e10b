using Kml.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Kml.Analyzers.Subset;

/// <summary>
/// Decides whether a use of a member (a call, a property or field access, a constructor) is outside the subset,
/// and which single rule says so. The program's own members and the Kml API are always in; library members are in
/// only when <see cref="LibrarySurface"/> lists them.
/// </summary>
public static class MemberClassifier
{
    /// <summary>The finding for a member use, or null when the member is in the subset.</summary>
    /// <param name="member">The method, property, field or constructor used.</param>
    /// <param name="compilation">The program's compilation.</param>
    /// <returns>The owning rule and the construct, or null.</returns>
    public static Finding? Classify(ISymbol member, Compilation compilation)
    {
        if (member is IMethodSymbol { MethodKind: MethodKind.DelegateInvoke } || member.ContainingType is { TypeKind: TypeKind.Delegate })
        {
            // A delegate's own members: the delegate type (KML0005) is reported where the value comes from.
            return null;
        }
        if (member.ContainingType is { IsTupleType: true } || member.ContainingType?.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            // t.Item1, n.Value, n.HasValue: part of the tuple (KML0013) or nullable value (KML0014) the value comes from.
            return null;
        }
        if (SymbolFacts.IsDeclaredInProgram(member, compilation) || SymbolFacts.IsKmlApi(member) || LibrarySurface.IsAllowedMember(member))
        {
            return null;
        }
        var type = member.ContainingType;
        var ns = type is null ? "" : SymbolFacts.NamespaceOf(type);
        if (SymbolFacts.IsWithin(ns, "System.Linq"))
        {
            return new Finding(DiagnosticDescriptors.Linq, Constructs.LinqMember(member));
        }
        if (SymbolFacts.IsWithin(ns, "System.Reflection") || (ns == "System" && type!.Name is "Type" or "Activator") || member.Name == "GetType")
        {
            return new Finding(DiagnosticDescriptors.Reflection, Constructs.ReflectionMember(member));
        }
        if (SymbolFacts.IsWithin(ns, "System.Threading.Tasks"))
        {
            return new Finding(DiagnosticDescriptors.AsyncAndIterators, Constructs.TaskMember(member));
        }
        if (SymbolFacts.IsWithin(ns, "System.Threading"))
        {
            return new Finding(DiagnosticDescriptors.Threads, Constructs.ThreadingMember(member));
        }
        if (member is IMethodSymbol { IsGenericMethod: true })
        {
            return new Finding(DiagnosticDescriptors.Generics, Constructs.GenericMethod(member));
        }
        return new Finding(DiagnosticDescriptors.LibrarySurface, Constructs.LibraryMember(member));
    }
}
