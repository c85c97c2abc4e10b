namespace Kml.Compiler.Ir;

/// <summary>
/// The IR's operations. Every value is 32 bits; 64-bit arithmetic uses the *Pair operations on lo/hi registers.
/// Operand conventions are given as d (definitions) and u (uses) by position.
/// </summary>
public enum Op : byte
{
    /// <summary>d0 = u0 (a register, a constant or a static object's address).</summary>
    Mov,
    /// <summary>d0 = argument leaf number Offset (only at the start of the entry block).</summary>
    Arg,
    /// <summary>d0 = (u0 Cond u1) ? u2 : u3 (cmov). Early clobber.</summary>
    Select,
    /// <summary>d0 = u0 + u1.</summary>
    Add,
    /// <summary>d0 = u0 - u1.</summary>
    Sub,
    /// <summary>d0 = u0 &amp; u1.</summary>
    And,
    /// <summary>d0 = u0 | u1.</summary>
    Or,
    /// <summary>d0 = u0 ^ u1.</summary>
    Xor,
    /// <summary>d0 = u0 * u1 (low 32 bits).</summary>
    Imul,
    /// <summary>d0 = u0 &lt;&lt; u1 (u1 a constant, or a register precolored ecx; the count is taken mod 32).</summary>
    Shl,
    /// <summary>d0 = u0 &gt;&gt;&gt; u1 (logical).</summary>
    Shr,
    /// <summary>d0 = u0 &gt;&gt; u1 (arithmetic).</summary>
    Sar,
    /// <summary>d0 = -u0.</summary>
    Neg,
    /// <summary>d0 = ~u0.</summary>
    Not,
    /// <summary>d0 = (sbyte)u0.</summary>
    SignExtend8,
    /// <summary>d0 = (byte)u0.</summary>
    ZeroExtend8,
    /// <summary>d0 = (short)u0.</summary>
    SignExtend16,
    /// <summary>d0 = (ushort)u0.</summary>
    ZeroExtend16,
    /// <summary>d0 = (u0 cond u1) ? 1 : 0. d0 is written before the operands are read (early clobber).</summary>
    SetCond,
    /// <summary>d0 = ((u1:u0) cond (u3:u2)) ? 1 : 0 on 64-bit values (lo first). Early clobber, one temporary.</summary>
    SetCond64,
    /// <summary>d0 (edx) = sign of u0 (eax): cdq.</summary>
    Cdq,
    /// <summary>d0 (eax) = quotient, d1 (edx) = remainder of unsigned (u1:u0) / u2 (u0 eax, u1 edx).</summary>
    Div,
    /// <summary>Signed <see cref="Div"/> (idiv). The divisor is checked before (zero, and MinValue / -1).</summary>
    IDiv,
    /// <summary>d0 (eax), d1 (edx) = unsigned 64-bit product of u0 (eax) and u1.</summary>
    MulWide,
    /// <summary>(d1:d0) = (u1:u0) + (u3:u2). Early clobber.</summary>
    AddPair,
    /// <summary>(d1:d0) = (u1:u0) - (u3:u2). Early clobber.</summary>
    SubPair,
    /// <summary>(d1:d0) = -(u1:u0). Early clobber.</summary>
    NegPair,
    /// <summary>(d1:d0) = (u1:u0) &lt;&lt; u2 (constant, or ecx; count mod 64). Early clobber.</summary>
    ShlPair,
    /// <summary>Logical right shift of a pair.</summary>
    ShrPair,
    /// <summary>Arithmetic right shift of a pair.</summary>
    SarPair,
    /// <summary>d0 = memory at u0 + Offset (u0 a pointer register or a static object), of <see cref="Inst.Kind"/>.</summary>
    Load,
    /// <summary>memory at u0 + Offset = u1.</summary>
    Store,
    /// <summary>d0 = length of the array u0.</summary>
    LoadLength,
    /// <summary>d0 = field at Offset of element u1 of array u0 (ElemSize bytes per element); bounds checked.</summary>
    LoadElem,
    /// <summary>field at Offset of element u1 of array u0 = u2; bounds checked.</summary>
    StoreElem,
    /// <summary>panic(PanicKind, Location) when u0 Cond u1 holds (u1 = 0 is a test).</summary>
    PanicIf,
    /// <summary>defs = Callee(uses): a function of this program.</summary>
    Call,
    /// <summary>d0? = Import(uses): a kernel entry point.</summary>
    CallImport,
    /// <summary>Terminator: goto Target.</summary>
    Jump,
    /// <summary>Terminator: if (u0 Cond u1) goto Target else goto Else.</summary>
    Branch,
    /// <summary>Terminator: if ((u1:u0) Cond (u3:u2)) goto Target else goto Else.</summary>
    Branch64,
    /// <summary>Terminator: return the uses (the function's result leaves).</summary>
    Return,
    /// <summary>Terminator of the entry function: exit(u0).</summary>
    Exit,
    /// <summary>Terminator: panic(PanicKind, Location) unconditionally.</summary>
    Panic,
}

/// <summary>Comparison conditions.</summary>
public enum Cond : byte
{
    /// <summary>==.</summary>
    Eq,
    /// <summary>!=.</summary>
    Ne,
    /// <summary>&lt; signed.</summary>
    Lt,
    /// <summary>&lt;= signed.</summary>
    Le,
    /// <summary>&gt; signed.</summary>
    Gt,
    /// <summary>&gt;= signed.</summary>
    Ge,
    /// <summary>&lt; unsigned.</summary>
    Ltu,
    /// <summary>&lt;= unsigned.</summary>
    Leu,
    /// <summary>&gt; unsigned.</summary>
    Gtu,
    /// <summary>&gt;= unsigned.</summary>
    Geu,
}

/// <summary>Memory access kinds: the width and signedness of a load, or a pointer.</summary>
public enum MemKind : byte
{
    /// <summary>Signed byte.</summary>
    I8,
    /// <summary>Unsigned byte.</summary>
    U8,
    /// <summary>Signed 16-bit.</summary>
    I16,
    /// <summary>Unsigned 16-bit.</summary>
    U16,
    /// <summary>32-bit integer.</summary>
    I32,
    /// <summary>A 4-byte pointer.</summary>
    Ptr,
}

/// <summary>Helpers for conditions and kinds.</summary>
public static class IrFacts
{
    /// <summary>The condition that holds exactly when <paramref name="c"/> does not.</summary>
    public static Cond Negate(Cond c) => c switch
    {
        Cond.Eq => Cond.Ne, Cond.Ne => Cond.Eq,
        Cond.Lt => Cond.Ge, Cond.Ge => Cond.Lt, Cond.Le => Cond.Gt, Cond.Gt => Cond.Le,
        Cond.Ltu => Cond.Geu, Cond.Geu => Cond.Ltu, Cond.Leu => Cond.Gtu, Cond.Gtu => Cond.Leu,
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    /// <summary>The condition with its operands swapped (a &lt; b ⇔ b &gt; a).</summary>
    public static Cond Swap(Cond c) => c switch
    {
        Cond.Eq => Cond.Eq, Cond.Ne => Cond.Ne,
        Cond.Lt => Cond.Gt, Cond.Gt => Cond.Lt, Cond.Le => Cond.Ge, Cond.Ge => Cond.Le,
        Cond.Ltu => Cond.Gtu, Cond.Gtu => Cond.Ltu, Cond.Leu => Cond.Geu, Cond.Geu => Cond.Leu,
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    /// <summary>Whether the condition compares unsigned.</summary>
    public static bool IsUnsigned(Cond c) => c is Cond.Ltu or Cond.Leu or Cond.Gtu or Cond.Geu;

    /// <summary>Evaluates a condition on constants.</summary>
    public static bool Evaluate(Cond c, int a, int b) => c switch
    {
        Cond.Eq => a == b, Cond.Ne => a != b,
        Cond.Lt => a < b, Cond.Le => a <= b, Cond.Gt => a > b, Cond.Ge => a >= b,
        Cond.Ltu => (uint)a < (uint)b, Cond.Leu => (uint)a <= (uint)b, Cond.Gtu => (uint)a > (uint)b, Cond.Geu => (uint)a >= (uint)b,
        _ => false,
    };

    /// <summary>The access size in bytes.</summary>
    public static int Size(MemKind k) => k switch { MemKind.I8 or MemKind.U8 => 1, MemKind.I16 or MemKind.U16 => 2, _ => 4 };

    /// <summary>Whether the operation ends a block.</summary>
    public static bool IsTerminator(Op op) => op is Op.Jump or Op.Branch or Op.Branch64 or Op.Return or Op.Exit or Op.Panic;

    /// <summary>Whether d0 and a use may not share a register (the definition is written before all uses are read).</summary>
    public static bool IsEarlyClobber(Op op) => op is Op.Select or Op.SetCond or Op.SetCond64 or Op.AddPair or Op.SubPair or Op.NegPair
        or Op.ShlPair or Op.ShrPair or Op.SarPair;
}
