namespace Kml.Tal.Types;

/// <summary>
/// The type of a 32-bit value in a register or a stack slot. See docs/tal.md, "Value types".
/// </summary>
public abstract record ValType
{
    /// <summary>Whether the value is an integer (int, null, or a refinement of int).</summary>
    public virtual bool IsInt => false;

    /// <summary>The register this refinement names, or -1 (len, index and eoff name an array register).</summary>
    public virtual int RefersTo => -1;
}

/// <summary>Nothing is known: an uninitialised register or slot, or one whose value may not be used.</summary>
public sealed record JunkType : ValType
{
    /// <summary>The one instance.</summary>
    public static readonly JunkType Instance = new();
    /// <inheritdoc/>
    public override string ToString() => "uninit";
}

/// <summary>Any 32-bit integer.</summary>
public sealed record IntType : ValType
{
    /// <summary>The one instance.</summary>
    public static readonly IntType Instance = new();
    /// <inheritdoc/>
    public override bool IsInt => true;
    /// <inheritdoc/>
    public override string ToString() => "int";
}

/// <summary>The integer 0: an int, and the null value of every nullable pointer type.</summary>
public sealed record NullType : ValType
{
    /// <summary>The one instance.</summary>
    public static readonly NullType Instance = new();
    /// <inheritdoc/>
    public override bool IsInt => true;
    /// <inheritdoc/>
    public override string ToString() => "null";
}

/// <summary>A pointer to a struct object or an array. Nullable pointers may be 0.</summary>
/// <param name="Target">What it points to.</param>
/// <param name="Nullable">Whether it may be null.</param>
public sealed record PtrType(HeapType Target, bool Nullable) : ValType
{
    /// <inheritdoc/>
    public override string ToString() => (Nullable ? "ptr? " : "ptr ") + Target;
}

/// <summary>An abstract type (a type variable), e.g. the caller's value of a callee-saved register.</summary>
/// <param name="Name">The variable's name, spelled with a leading quote ('ebx).</param>
public sealed record VarType(string Name) : ValType
{
    /// <inheritdoc/>
    public override string ToString() => "'" + Name;
}

/// <summary>A return address: code that expects <paramref name="Continuation"/> once it is returned to.</summary>
/// <param name="Continuation">The state after the return (esp past the return address and any `ret n` bytes).</param>
public sealed record RetType(CodeType Continuation) : ValType
{
    /// <inheritdoc/>
    public override string ToString() => "ret " + Continuation;
}

/// <summary>Shared instances of the refinements, one per register (they are immutable), so checking allocates none.</summary>
public static class Refinements
{
    private static readonly LenType[] Lens = [.. Enumerable.Range(0, Gpr.Count).Select(r => new LenType(r))];
    private static readonly IndexType[] Indexes = [.. Enumerable.Range(0, Gpr.Count).Select(r => new IndexType(r))];
    private static readonly ElemOffsetType[] Offsets = [.. Enumerable.Range(0, Gpr.Count).Select(r => new ElemOffsetType(r))];

    /// <summary>len(r).</summary>
    public static LenType Len(int r) => Lens[r];
    /// <summary>index(r).</summary>
    public static IndexType Index(int r) => Indexes[r];
    /// <summary>eoff(r).</summary>
    public static ElemOffsetType ElemOffset(int r) => Offsets[r];
}

/// <summary>An int equal to the length of the array that register <paramref name="Array"/> points to.</summary>
/// <param name="Array">The array register.</param>
public sealed record LenType(int Array) : ValType
{
    /// <inheritdoc/>
    public override bool IsInt => true;
    /// <inheritdoc/>
    public override int RefersTo => Array;
    /// <inheritdoc/>
    public override string ToString() => $"len({Gpr.Name(Array)})";
}

/// <summary>An int i with i &lt;u length of the array that register <paramref name="Array"/> points to.</summary>
/// <param name="Array">The array register.</param>
public sealed record IndexType(int Array) : ValType
{
    /// <inheritdoc/>
    public override bool IsInt => true;
    /// <inheritdoc/>
    public override int RefersTo => Array;
    /// <inheritdoc/>
    public override string ToString() => $"index({Gpr.Name(Array)})";
}

/// <summary>
/// A scaled index: an int equal to i × elementSize for some i &lt;u length of the array in register
/// <paramref name="Array"/>; it addresses an element with scale 1 (<c>[arr + t + 4]</c>).
/// </summary>
/// <param name="Array">The array register.</param>
public sealed record ElemOffsetType(int Array) : ValType
{
    /// <inheritdoc/>
    public override bool IsInt => true;
    /// <inheritdoc/>
    public override int RefersTo => Array;
    /// <inheritdoc/>
    public override string ToString() => $"eoff({Gpr.Name(Array)})";
}
