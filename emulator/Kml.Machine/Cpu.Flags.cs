using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kml.Machine;

/// <summary>What produced the current arithmetic flags: an operation (high bits) and an operand size (low 2 bits: 0 = 8, 1 = 16, 2 = 32).</summary>
internal static class FlagKind
{
    public const int Add = 0 << 2, Adc = 1 << 2, Sub = 2 << 2, Sbb = 3 << 2, Logic = 4 << 2, Inc = 5 << 2, Dec = 6 << 2, Neg = 7 << 2;
    /// <summary>SF/ZF/PF from the result; CF (bit 0), AF (bit 4) and OF (bit 11) taken from FlagAux (shifts, multiplies).</summary>
    public const int Aux = 8 << 2;
    /// <summary>FlagRes holds the six arithmetic flags themselves.</summary>
    public const int Materialized = 9 << 2;
    public const int Sub32 = Sub | 2, Logic32 = Logic | 2, Add32 = Add | 2;
}

// Lazy flags: the last flag-setting operation keeps its operands and result; flags are computed when read.
public sealed unsafe partial class Cpu
{
    internal int FlagOp;
    internal uint FlagRes, FlagA, FlagB, FlagAux;
    /// <summary>Every EFLAGS bit except the six arithmetic ones (bit 1 is always set).</summary>
    internal uint EflagsRest;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetFlags(int kind, uint res, uint a, uint b) { FlagOp = kind; FlagRes = res; FlagA = a; FlagB = b; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetFlagsAux(int size, uint res, uint aux) { FlagOp = FlagKind.Aux | size; FlagRes = res; FlagAux = aux; }

    internal void SetArith(uint flags) { FlagOp = FlagKind.Materialized; FlagRes = flags & ArithMask; }

    internal static uint Parity(uint v) => (uint)((~BitOperations.PopCount(v & 0xFF) & 1) << 2);

    /// <summary>The six arithmetic flags.</summary>
    internal uint Arith() => ComputeArith(FlagOp, FlagRes, FlagA, FlagB, FlagAux);

    internal static uint ComputeArith(int k, uint res, uint a, uint b, uint aux)
    {
        if (k == FlagKind.Materialized) return res;
        int sh = (8 << (k & 3)) - 1;
        uint f = Parity(res) | (res == 0 ? ZF : 0) | (((res >> sh) & 1) << 7);
        switch (k >> 2)
        {
            case 0: // add
                f |= (res < a ? CF : 0) | ((((a ^ res) & (b ^ res)) >> sh) & 1) << 11 | ((a ^ b ^ res) & AF);
                break;
            case 1: // adc
                f |= ((aux != 0 ? res <= a : res < a) ? CF : 0) | ((((a ^ res) & (b ^ res)) >> sh) & 1) << 11 | ((a ^ b ^ res) & AF);
                break;
            case 2: // sub
                f |= (a < b ? CF : 0) | ((((a ^ b) & (a ^ res)) >> sh) & 1) << 11 | ((a ^ b ^ res) & AF);
                break;
            case 3: // sbb
                f |= ((aux != 0 ? a <= b : a < b) ? CF : 0) | ((((a ^ b) & (a ^ res)) >> sh) & 1) << 11 | ((a ^ b ^ res) & AF);
                break;
            case 4: // logic
                break;
            case 5: // inc
                f |= (aux & CF) | (res == 1u << sh ? OF : 0) | ((res & 0xF) == 0 ? AF : 0);
                break;
            case 6: // dec
                f |= (aux & CF) | (res == (1u << sh) - 1 ? OF : 0) | ((res & 0xF) == 0xF ? AF : 0);
                break;
            case 7: // neg
                f |= (res != 0 ? CF : 0) | (res == 1u << sh ? OF : 0) | ((b ^ res) & AF);
                break;
            default: // aux
                f |= aux & (CF | AF | OF);
                break;
        }
        return f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool GetCF()
    {
        // The common producers first, without a jump table.
        int k = FlagOp >> 2;
        if (k == 4) return false;                          // logic
        if (k == 2) return FlagA < FlagB;                  // sub/cmp
        if (k is 5 or 6 or 8) return (FlagAux & CF) != 0;  // inc/dec/shift
        return GetCFSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool GetCFSlow()
    {
        switch (FlagOp >> 2)
        {
            case 0: return FlagRes < FlagA;
            case 1: return FlagAux != 0 ? FlagRes <= FlagA : FlagRes < FlagA;
            case 2: return FlagA < FlagB;
            case 3: return FlagAux != 0 ? FlagA <= FlagB : FlagA < FlagB;
            case 4: return false;
            case 5: case 6: return (FlagAux & CF) != 0;
            case 7: return FlagRes != 0;
            case 8: return (FlagAux & CF) != 0;
            default: return (FlagRes & CF) != 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool GetZF() => FlagOp != FlagKind.Materialized ? FlagRes == 0 : (FlagRes & ZF) != 0;

    internal bool GetSF() => FlagOp != FlagKind.Materialized ? ((FlagRes >> ((8 << (FlagOp & 3)) - 1)) & 1) != 0 : (FlagRes & SF) != 0;

    internal bool GetOF() => (Arith() & OF) != 0;

    internal bool GetPF() => (Arith() & PF) != 0;

    internal uint GetEflags() => EflagsRest | Arith();

    /// <summary>Writes all of EFLAGS without privilege checks.</summary>
    internal void SetEflagsRaw(uint value)
    {
        SetArith(value);
        EflagsRest = (value & ~ArithMask & (WritableFlags | VM)) | 2;
    }

    /// <summary>Evaluates condition code <paramref name="cc"/> (Intel encoding 0 = O … 15 = G); inlined with a constant
    /// <paramref name="cc"/> by the per-condition handlers, so only that condition's code remains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Condition(int cc)
    {
        // Fast paths for the overwhelmingly common producers: cmp/sub and test/and/or/xor on 32-bit values.
        if (FlagOp == FlagKind.Sub32)
        {
            uint a = FlagA, b = FlagB;
            switch (cc)
            {
                case 2: return a < b;
                case 3: return a >= b;
                case 4: return a == b;
                case 5: return a != b;
                case 6: return a <= b;
                case 7: return a > b;
                case 12: return (int)a < (int)b;
                case 13: return (int)a >= (int)b;
                case 14: return (int)a <= (int)b;
                case 15: return (int)a > (int)b;
            }
        }
        else if (FlagOp == FlagKind.Logic32)
        {
            int r = (int)FlagRes;
            switch (cc)
            {
                case 4: return r == 0;
                case 5: return r != 0;
                case 8: return r < 0;
                case 9: return r >= 0;
                case 12: return r < 0;
                case 13: return r >= 0;
                case 14: return r <= 0;
                case 15: return r > 0;
            }
        }
        return ConditionSlow(cc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal bool ConditionSlow(int cc)
    {
        bool v;
        switch (cc >> 1)
        {
            case 0: v = GetOF(); break;
            case 1: v = GetCF(); break;
            case 2: v = GetZF(); break;
            case 3: v = GetCF() || GetZF(); break;
            case 4: v = GetSF(); break;
            case 5: v = GetPF(); break;
            case 6: { uint f = Arith(); v = ((f & SF) != 0) != ((f & OF) != 0); break; }
            default: { uint f = Arith(); v = (f & ZF) != 0 || (((f & SF) != 0) != ((f & OF) != 0)); break; }
        }
        return v ^ ((cc & 1) != 0);
    }
}
