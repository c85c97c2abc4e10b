using Kml.Tal.Types;

namespace Kml.Tal.Interface;

/// <summary>How an import's type depends on the type argument of its slot.</summary>
public enum ImportGeneric
{
    /// <summary>A fixed signature; the slot has no type argument.</summary>
    None,
    /// <summary>alloc&lt;S&gt;(): returns a fresh, zeroed <c>ptr S</c>.</summary>
    Alloc,
    /// <summary>alloc_array&lt;E&gt;(count): returns a fresh, zeroed <c>ptr E[]</c> of that length.</summary>
    AllocArray,
}

/// <summary>
/// The type of a kernel entry point. Arguments are passed on the stack, the first at [esp] when the call
/// executes (pushed last), and the caller pops them. The result is in eax; ecx, edx and the flags are
/// clobbered; ebx, esi, edi, ebp and the stack above the return address are preserved.
/// </summary>
/// <param name="Name">Entry point name.</param>
/// <param name="Parameters">Argument types, first argument first.</param>
/// <param name="Result">The type of eax after the call (null: uninit).</param>
/// <param name="NoReturn">Whether the call never returns.</param>
/// <param name="Generic">How the slot's type argument shapes the signature.</param>
/// <param name="Summary">What it does and what the kernel checks at run time.</param>
public sealed record ImportSignature(string Name, ValType[] Parameters, ValType? Result, bool NoReturn, ImportGeneric Generic, string Summary);
