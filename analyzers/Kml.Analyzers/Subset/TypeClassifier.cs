using Kml.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Kml.Analyzers.Subset;

/// <summary>
/// Decides whether a type, where the program names it, is outside the subset, and which single rule says so.
/// Only the outermost type constructor is judged: the element type of <c>double[]</c> and the type arguments of
/// <c>List&lt;double&gt;</c> are named by their own syntax and judged there. The program's own types are never
/// flagged here (their declarations are checked by the declaration rules), nor is the Kml API.
/// </summary>
public static class TypeClassifier
{
    /// <summary>The finding for a named type, or null when the type is in the subset.</summary>
    /// <param name="type">The type the syntax names.</param>
    /// <param name="compilation">The program's compilation.</param>
    /// <returns>The owning rule and the construct, or null.</returns>
    public static Finding? Classify(ITypeSymbol type, Compilation compilation)
    {
        switch (type)
        {
            case IErrorTypeSymbol or ITypeParameterSymbol:
                return null;
            case IArrayTypeSymbol array:
                return array.Rank > 1 ? new Finding(DiagnosticDescriptors.MultiDimensionalArrays, Constructs.MultiDimensionalArrayType(array)) : null;
            case IPointerTypeSymbol:
                return new Finding(DiagnosticDescriptors.Unsafe, Constructs.PointerType(type));
            case IFunctionPointerTypeSymbol:
                return new Finding(DiagnosticDescriptors.Unsafe, Constructs.FunctionPointerType(type));
            case IDynamicTypeSymbol:
                return new Finding(DiagnosticDescriptors.Reflection, Constructs.Dynamic);
            case INamedTypeSymbol named:
                return ClassifyNamed(named, compilation);
            default:
                return new Finding(DiagnosticDescriptors.OtherConstructs, Constructs.UnknownConstruct(type.TypeKind.ToString()));
        }
    }

    private static Finding? ClassifyNamed(INamedTypeSymbol type, Compilation compilation)
    {
        if (type.IsTupleType)
        {
            return new Finding(DiagnosticDescriptors.Tuples, Constructs.TupleType(type));
        }
        switch (type.OriginalDefinition.SpecialType)
        {
            case SpecialType.System_Nullable_T:
                return new Finding(DiagnosticDescriptors.NullableValueTypes, Constructs.NullableValueType(type));
            case SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal:
                return new Finding(DiagnosticDescriptors.FloatingPoint, Constructs.FloatingPointType(type));
            case SpecialType.System_Object:
                return new Finding(DiagnosticDescriptors.ObjectAndBoxing, Constructs.ObjectType);
            case SpecialType.System_IntPtr or SpecialType.System_UIntPtr:
                return new Finding(DiagnosticDescriptors.Unsafe, Constructs.NativeInteger(type));
        }
        if (SymbolFacts.IsDeclaredInProgram(type, compilation) || SymbolFacts.IsKmlApi(type))
        {
            return null;
        }
        var ns = SymbolFacts.NamespaceOf(type);
        if (ns == "System" && type.Name == "Half" && type.Arity == 0)
        {
            return new Finding(DiagnosticDescriptors.FloatingPoint, Constructs.FloatingPointType(type));
        }
        if (type.TypeKind == TypeKind.Delegate)
        {
            return new Finding(DiagnosticDescriptors.Delegates, Constructs.DelegateType(type));
        }
        if (SymbolFacts.IsException(type))
        {
            return new Finding(DiagnosticDescriptors.Exceptions, Constructs.ExceptionType(type));
        }
        if (NamespaceRule(ns, type) is { } byNamespace)
        {
            return byNamespace;
        }
        if (type.IsGenericType)
        {
            return new Finding(DiagnosticDescriptors.Generics, Constructs.GenericType(type));
        }
        return LibrarySurface.IsAllowedType(type) ? null : new Finding(DiagnosticDescriptors.LibrarySurface, Constructs.LibraryType(type));
    }

    /// <summary>The rule that owns a whole library namespace (LINQ, reflection, tasks, threading), if any.</summary>
    private static Finding? NamespaceRule(string ns, INamedTypeSymbol type)
    {
        if (SymbolFacts.IsWithin(ns, "System.Linq"))
        {
            return new Finding(DiagnosticDescriptors.Linq, Constructs.LinqType(type));
        }
        if (SymbolFacts.IsWithin(ns, "System.Reflection") || (ns == "System" && type.Name is "Type" or "Activator"))
        {
            return new Finding(DiagnosticDescriptors.Reflection, Constructs.ReflectionType(type));
        }
        if (SymbolFacts.IsWithin(ns, "System.Threading.Tasks") || (ns == "System.Runtime.CompilerServices" && type.Name.Contains("Awaiter")))
        {
            return new Finding(DiagnosticDescriptors.AsyncAndIterators, Constructs.TaskType(type));
        }
        if (SymbolFacts.IsWithin(ns, "System.Threading"))
        {
            return new Finding(DiagnosticDescriptors.Threads, Constructs.ThreadingType(type));
        }
        return null;
    }
}
