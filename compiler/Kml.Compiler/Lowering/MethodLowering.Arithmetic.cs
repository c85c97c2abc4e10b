using System.Globalization;
using Kml.Compiler.Diagnostics;
using Kml.Compiler.Ir;
using Kml.Tal.Lines;
using Kml.Tal.Types;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Compiler.Lowering;

// Conversions, unary and binary operators with C#'s unchecked semantics: values narrower than 32 bits are kept
// normalised (a byte register holds 0..255, an sbyte -128..127), longs are lo/hi pairs.
internal sealed partial class MethodLowering
{
    private Opnd[] Convert(IConversionOperation c)
    {
        if (c.OperatorMethod is not null) throw new NotSupportedException(CompilerMessages.Unsupported($"the user-defined conversion {c.OperatorMethod}"));
        var operand = c.Operand;
        var from = operand.Type;
        var to = c.Type!;
        if (from is null) return Eval(operand);
        if (operand is IPropertyReferenceOperation p && IsEnumerationCurrent(p, out _)) return Eval(operand); // foreach's unboxing
        if (!from.IsValueType || !to.IsValueType) return Eval(operand); // reference conversions (to object for ==) keep the pointer
        return ConvertNumeric(Eval(operand), from, to);
    }

    /// <summary>Converts between integer types (and enums, char, bool), unchecked.</summary>
    internal Opnd[] ConvertNumeric(Opnd[] v, ITypeSymbol from, ITypeSymbol to)
    {
        from = Underlying(from);
        to = Underlying(to);
        if (SymbolEqualityComparer.Default.Equals(from, to) || from.SpecialType == SpecialType.System_Boolean || to.SpecialType == SpecialType.System_Boolean) return v;
        if (!IsInteger(from) || !IsInteger(to)) return v; // struct identity and the like
        var fromWide = IsWide(from);
        var toWide = IsWide(to);
        if (fromWide && toWide) return v;
        if (fromWide) return [Narrow(v[0], to)];
        if (toWide)
        {
            if (Unsigned(from)) return [v[0], Opnd.Const(0)];
            if (v[0].IsImm) return [v[0], Opnd.Const(v[0].Imm < 0 ? -1 : 0)];
            return [v[0], Binary(Op.Sar, v[0], Opnd.Const(31))];
        }
        return [Fits(from, to) ? v[0] : Narrow(v[0], to)];
    }

    private static bool IsInteger(ITypeSymbol t) => t.SpecialType is SpecialType.System_SByte or SpecialType.System_Byte
        or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char or SpecialType.System_Int32
        or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64;

    internal static bool IsWide(ITypeSymbol t) => Underlying(t).SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64;

    // Whether every value of 'from' is a value of 'to' with the same 32-bit pattern in a register.
    private static bool Fits(ITypeSymbol from, ITypeSymbol to) => to.SpecialType switch
    {
        SpecialType.System_Int32 or SpecialType.System_UInt32 => true,
        SpecialType.System_Int16 => from.SpecialType is SpecialType.System_SByte or SpecialType.System_Byte,
        SpecialType.System_UInt16 or SpecialType.System_Char => from.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_Char,
        _ => false,
    };

    /// <summary>Truncates a 32-bit value to a narrower type and normalises it (sign or zero extension).</summary>
    internal Opnd Narrow(Opnd v, ITypeSymbol to)
    {
        to = Underlying(to);
        var (op, fold) = to.SpecialType switch
        {
            SpecialType.System_SByte => (Op.SignExtend8, (Func<int, int>)(x => (sbyte)x)),
            SpecialType.System_Byte => (Op.ZeroExtend8, x => (byte)x),
            SpecialType.System_Int16 => (Op.SignExtend16, x => (short)x),
            SpecialType.System_UInt16 or SpecialType.System_Char => (Op.ZeroExtend16, x => (ushort)x),
            _ => (Op.Mov, x => x),
        };
        if (op == Op.Mov) return v;
        if (v.IsImm) return Opnd.Const(fold(v.Imm));
        return Unary(op, v);
    }

    // ---- unary --------------------------------------------------------------------------------------------

    private Opnd[] Unary(IUnaryOperation u)
    {
        if (u.OperatorMethod is not null) throw new NotSupportedException(CompilerMessages.Unsupported($"the user-defined operator {u.OperatorMethod}"));
        var v = Eval(u.Operand);
        switch (u.OperatorKind)
        {
            case UnaryOperatorKind.Plus: return v;
            case UnaryOperatorKind.Not: return [v[0].IsImm ? Opnd.Const(v[0].Imm ^ 1) : Binary(Op.Xor, v[0], Opnd.Const(1))];
            case UnaryOperatorKind.Minus:
                if (v.Length == 2) return Pair(Op.NegPair, v, []);
                return [v[0].IsImm ? Opnd.Const(unchecked(-v[0].Imm)) : Unary(Op.Neg, v[0])];
            case UnaryOperatorKind.BitwiseNegation:
                var r = v.Select(x => x.IsImm ? Opnd.Const(~x.Imm) : (Opnd)Unary(Op.Not, x)).ToArray();
                // ~ of an enum with a narrow underlying type stays within that type.
                return u.Type is { } t && !IsWide(t) ? [Narrow(r[0], t)] : r;
        }
        throw new NotSupportedException(CompilerMessages.Unsupported($"the operator {u.OperatorKind}"));
    }

    // ---- binary -------------------------------------------------------------------------------------------

    private Opnd[] Binary(IBinaryOperation b)
    {
        if (b.OperatorMethod is not null && !IsString(b.LeftOperand.Type) && !IsString(b.RightOperand.Type))
            throw new NotSupportedException(CompilerMessages.Unsupported($"the user-defined operator {b.OperatorMethod}"));
        var kind = b.OperatorKind;
        if (kind == BinaryOperatorKind.Add && IsString(b.Type)) return [StringConcat(b)];
        if (kind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr)
            throw new NotSupportedException(CompilerMessages.Unsupported("a short-circuit operator outside a control flow graph"));
        if (Comparison(kind) is { } cond)
        {
            var lt = b.LeftOperand.Type;
            if (IsString(lt) && IsString(b.RightOperand.Type) && !IsNullLiteral(b.LeftOperand) && !IsNullLiteral(b.RightOperand))
            {
                var eq = StringEquals(Eval1(b.LeftOperand), Eval1(b.RightOperand));
                return [cond == Cond.Eq ? eq : Binary(Op.Xor, eq, Opnd.Const(1))];
            }
            return [Compare(cond, Eval(b.LeftOperand), Eval(b.RightOperand), Unsigned(lt))];
        }
        var left = Eval(b.LeftOperand);
        var right = Eval(b.RightOperand);
        return BinaryValue(kind, left, right, b.LeftOperand.Type!, b.RightOperand.Type!, b.Type!);
    }

    /// <summary>0 or 1: the comparison of two values of one leaf or two (a pair).</summary>
    private Opnd Compare(Cond cond, Opnd[] left, Opnd[] right, bool unsigned)
    {
        if (unsigned) cond = ToUnsigned(cond);
        var d = Temp(IntType.Instance);
        d.Mask = RegisterMasks.Byte;
        if (left.Length == 2)
        {
            var t = Temp(IntType.Instance);
            Emit(new Inst(Op.SetCond64, [d, t], [left[0], left[1], right[0], right[1]], _location) { Cond = cond });
            return d;
        }
        if (left[0].IsImm && right[0].IsImm) return Opnd.Const(IrFacts.Evaluate(cond, left[0].Imm, right[0].Imm) ? 1 : 0);
        if (left[0].IsImm) { (left, right) = (right, left); cond = IrFacts.Swap(cond); }
        Emit(new Inst(Op.SetCond, [d], [left[0], right[0]], _location) { Cond = cond });
        return d;
    }

    /// <summary>0 or 1: a 64-bit comparison (the condition already signed or unsigned).</summary>
    internal Opnd SetCond64(Cond cond, Opnd[] left, Opnd[] right) => Compare(cond, left, right, unsigned: false);

    /// <summary>An arithmetic or bitwise operator on values of the operator's type.</summary>
    private Opnd[] BinaryValue(BinaryOperatorKind kind, Opnd[] left, Opnd[] right, ITypeSymbol leftType, ITypeSymbol rightType, ITypeSymbol resultType)
    {
        if (IsString(resultType) && kind == BinaryOperatorKind.Add)
            throw new InvalidOperationException("string concatenation goes through StringConcat");
        var unsigned = Unsigned(leftType);
        if (Comparison(kind) is { } cond) return [Compare(cond, left, right, unsigned)];
        var wide = left.Length == 2;
        if (!wide)
        {
            Opnd r = kind switch
            {
                BinaryOperatorKind.Add => Fold(Op.Add, left[0], right[0]),
                BinaryOperatorKind.Subtract => Fold(Op.Sub, left[0], right[0]),
                BinaryOperatorKind.Multiply => Fold(Op.Imul, left[0], right[0]),
                BinaryOperatorKind.And => Fold(Op.And, left[0], right[0]),
                BinaryOperatorKind.Or => Fold(Op.Or, left[0], right[0]),
                BinaryOperatorKind.ExclusiveOr => Fold(Op.Xor, left[0], right[0]),
                BinaryOperatorKind.Divide => Divide(left[0], right[0], !unsigned, remainder: false),
                BinaryOperatorKind.Remainder => Divide(left[0], right[0], !unsigned, remainder: true),
                BinaryOperatorKind.LeftShift => Shift(Op.Shl, left[0], right[0]),
                BinaryOperatorKind.RightShift => Shift(unsigned ? Op.Shr : Op.Sar, left[0], right[0]),
                BinaryOperatorKind.UnsignedRightShift => Shift(Op.Shr, left[0], right[0]),
                _ => throw new NotSupportedException(CompilerMessages.Unsupported($"the operator {kind}")),
            };
            // Operators on enums (and bitwise operators on narrow enums) stay within the underlying type.
            if (resultType is { } t && !IsWide(t) && Underlying(t).SpecialType is not (SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Boolean))
                r = Narrow(r, t);
            return [r];
        }
        switch (kind)
        {
            case BinaryOperatorKind.Add: return Pair(Op.AddPair, left, right);
            case BinaryOperatorKind.Subtract: return Pair(Op.SubPair, left, right);
            case BinaryOperatorKind.And: return [Fold(Op.And, left[0], right[0]), Fold(Op.And, left[1], right[1])];
            case BinaryOperatorKind.Or: return [Fold(Op.Or, left[0], right[0]), Fold(Op.Or, left[1], right[1])];
            case BinaryOperatorKind.ExclusiveOr: return [Fold(Op.Xor, left[0], right[0]), Fold(Op.Xor, left[1], right[1])];
            case BinaryOperatorKind.Multiply: return Multiply64(left, right);
            case BinaryOperatorKind.Divide: return Divide64(left, right, !unsigned, remainder: false);
            case BinaryOperatorKind.Remainder: return Divide64(left, right, !unsigned, remainder: true);
            case BinaryOperatorKind.LeftShift: return Shift64(Op.ShlPair, left, right[0]);
            case BinaryOperatorKind.RightShift: return Shift64(unsigned ? Op.ShrPair : Op.SarPair, left, right[0]);
            case BinaryOperatorKind.UnsignedRightShift: return Shift64(Op.ShrPair, left, right[0]);
        }
        throw new NotSupportedException(CompilerMessages.Unsupported($"the operator {kind} on 64-bit values"));
    }

    /// <summary>A 32-bit operation, folded when both operands are constants.</summary>
    private Opnd Fold(Op op, Opnd a, Opnd b)
    {
        if (a.IsImm && b.IsImm)
        {
            int x = a.Imm, y = b.Imm;
            return Opnd.Const(op switch
            {
                Op.Add => unchecked(x + y), Op.Sub => unchecked(x - y), Op.Imul => unchecked(x * y),
                Op.And => x & y, Op.Or => x | y, Op.Xor => x ^ y,
                Op.Shl => x << y, Op.Shr => (int)((uint)x >> y), Op.Sar => x >> y,
                _ => throw new InvalidOperationException(op.ToString()),
            });
        }
        // Commutative operations keep the constant on the right (x86 encodes reg op imm).
        if (a.IsImm && op is Op.Add or Op.Imul or Op.And or Op.Or or Op.Xor) (a, b) = (b, a);
        if (b.IsImm)
        {
            if (op is Op.Add or Op.Sub or Op.Or or Op.Xor && b.Imm == 0) return a;
            if (op == Op.Imul && b.Imm == 1) return a;
            if (op == Op.Imul && b.Imm > 0 && (b.Imm & (b.Imm - 1)) == 0) return Binary(Op.Shl, a, Opnd.Const(Log2(b.Imm)));
        }
        return Binary(op, a, b);
    }

    private static int Log2(int v) => System.Numerics.BitOperations.Log2((uint)v);

    private Opnd Shift(Op op, Opnd a, Opnd count)
    {
        if (count.IsImm) return Fold(op, a, Opnd.Const(count.Imm & 31));
        var cx = Temp(IntType.Instance);
        cx.Fixed = Gpr.Ecx;
        Move(cx, count);
        var d = Temp(IntType.Instance);
        d.Mask &= ~RegisterMasks.Of(Gpr.Ecx);
        Emit(new Inst(op, [d], [InReg(a), cx], _location));
        return d;
    }

    /// <summary>Integer division or remainder with C#'s checks: divide by zero, and MinValue / -1 (OverflowException).</summary>
    private Opnd Divide(Opnd a, Opnd b, bool signed, bool remainder)
    {
        if (b.IsImm)
        {
            var d = b.Imm;
            if (d == 0) { PanicIf(Cond.Eq, Opnd.Const(0), Opnd.Const(0), RuntimeError.DivideByZero); return Opnd.Const(0); }
            if (a.IsImm && !(signed && a.Imm == int.MinValue && d == -1))
                return Opnd.Const(signed ? (remainder ? a.Imm % d : a.Imm / d) : (int)(remainder ? (uint)a.Imm % (uint)d : (uint)a.Imm / (uint)d));
            if (signed && d == -1)
            {
                PanicIf(Cond.Eq, a, Opnd.Const(int.MinValue), RuntimeError.Overflow);
                return remainder ? Opnd.Const(0) : Unary(Op.Neg, a);
            }
            if (d == 1 || (!signed && (uint)d == 1)) return remainder ? Opnd.Const(0) : a;
            if ((signed ? d > 0 : true) && ((uint)d & ((uint)d - 1)) == 0)
            {
                var k = System.Numerics.BitOperations.Log2((uint)d);
                if (!signed) return remainder ? Binary(Op.And, a, Opnd.Const(d - 1)) : Binary(Op.Shr, a, Opnd.Const(k));
                // Signed: round towards zero by adding d - 1 to negative dividends.
                var sign = Binary(Op.Sar, a, Opnd.Const(31));
                var bias = Binary(Op.Shr, sign, Opnd.Const(32 - k));
                var biased = Binary(Op.Add, a, bias);
                var q = Binary(Op.Sar, biased, Opnd.Const(k));
                if (!remainder) return q;
                return Binary(Op.Sub, a, Binary(Op.Shl, q, Opnd.Const(k)));
            }
        }
        else
        {
            PanicIf(Cond.Eq, b, Opnd.Const(0), RuntimeError.DivideByZero);
            if (signed && !(a.IsImm && a.Imm != int.MinValue))
            {
                // (a ^ MinValue) | (b + 1) is zero exactly when a == MinValue and b == -1.
                var t = Binary(Op.Add, b, Opnd.Const(1));
                var u = Binary(Op.Xor, a, Opnd.Const(int.MinValue));
                var both = Binary(Op.Or, u, t);
                PanicIf(Cond.Eq, both, Opnd.Const(0), RuntimeError.Overflow);
            }
        }
        var divisor = Temp(IntType.Instance);
        divisor.Mask &= ~(RegisterMasks.Of(Gpr.Eax) | RegisterMasks.Of(Gpr.Edx));
        Move(divisor, b);
        var eax = Temp(IntType.Instance);
        eax.Fixed = Gpr.Eax;
        Move(eax, a);
        var edx = Temp(IntType.Instance);
        edx.Fixed = Gpr.Edx;
        if (signed) Emit(new Inst(Op.Cdq, [edx], [eax], _location));
        else Move(edx, Opnd.Const(0));
        var quotient = Temp(IntType.Instance);
        quotient.Fixed = Gpr.Eax;
        var rest = Temp(IntType.Instance);
        rest.Fixed = Gpr.Edx;
        Emit(new Inst(signed ? Op.IDiv : Op.Div, [quotient, rest], [eax, edx, divisor], _location));
        return Copy(remainder ? rest : quotient);
    }

    // ---- 64-bit -------------------------------------------------------------------------------------------

    /// <summary>A pair operation (AddPair, SubPair, NegPair) with early-clobber results.</summary>
    internal Opnd[] Pair(Op op, Opnd[] a, Opnd[] b)
    {
        if (a.All(x => x.IsImm) && b.All(x => x.IsImm))
        {
            var x = Long(a);
            var y = b.Length == 2 ? Long(b) : 0;
            var r = op switch { Op.AddPair => unchecked(x + y), Op.SubPair => unchecked(x - y), Op.NegPair => unchecked(-x), _ => throw new InvalidOperationException() };
            return [Opnd.Const((int)r), Opnd.Const((int)(r >> 32))];
        }
        var lo = Temp(IntType.Instance);
        var hi = Temp(IntType.Instance);
        Emit(new Inst(op, [lo, hi], [.. a, .. b], _location));
        return [lo, hi];
    }

    private static long Long(Opnd[] v) => (long)(uint)v[0].Imm | ((long)v[1].Imm << 32);

    private Opnd[] Multiply64(Opnd[] a, Opnd[] b)
    {
        if (a.All(x => x.IsImm) && b.All(x => x.IsImm))
        {
            var r = unchecked(Long(a) * Long(b));
            return [Opnd.Const((int)r), Opnd.Const((int)(r >> 32))];
        }
        if (a[0].IsImm && a[1].IsImm) (a, b) = (b, a);
        // lo(a.lo × b.lo) and hi(a.lo × b.lo) + a.hi × b.lo + a.lo × b.hi.
        var eax = Temp(IntType.Instance);
        eax.Fixed = Gpr.Eax;
        Move(eax, a[0]);
        var factor = Temp(IntType.Instance);
        factor.Mask &= ~(RegisterMasks.Of(Gpr.Eax) | RegisterMasks.Of(Gpr.Edx));
        Move(factor, b[0]);
        var lo = Temp(IntType.Instance);
        lo.Fixed = Gpr.Eax;
        var hi = Temp(IntType.Instance);
        hi.Fixed = Gpr.Edx;
        Emit(new Inst(Op.MulWide, [lo, hi], [eax, factor], _location));
        Opnd high = Copy(hi);
        var low = Copy(lo);
        if (!(a[1].IsImm && a[1].Imm == 0) && !(b[0].IsImm && b[0].Imm == 0)) high = Fold(Op.Add, high, Fold(Op.Imul, a[1], b[0]));
        if (!(b[1].IsImm && b[1].Imm == 0) && !(a[0].IsImm && a[0].Imm == 0)) high = Fold(Op.Add, high, Fold(Op.Imul, a[0], b[1]));
        return [low, high];
    }

    private Opnd[] Divide64(Opnd[] a, Opnd[] b, bool signed, bool remainder)
    {
        var either = Fold(Op.Or, b[0], b[1]);
        PanicIf(Cond.Eq, either, Opnd.Const(0), RuntimeError.DivideByZero);
        if (signed)
        {
            // a == long.MinValue (lo 0, hi 0x80000000) and b == -1 (both halves all ones).
            var ha = Fold(Op.Or, Fold(Op.Xor, a[1], Opnd.Const(int.MinValue)), a[0]);
            var hb = Fold(Op.Add, Fold(Op.And, b[0], b[1]), Opnd.Const(1));
            PanicIf(Cond.Eq, Fold(Op.Or, ha, hb), Opnd.Const(0), RuntimeError.Overflow);
        }
        var routine = (signed, remainder) switch
        {
            (true, false) => "DivideSigned",
            (true, true) => "RemainderSigned",
            (false, false) => "DivideUnsigned",
            _ => "RemainderUnsigned",
        };
        return Call(_p.FunctionFor(_p.RuntimeMethod("Kml.Int64Math", routine)), [.. a, .. b]);
    }

    private Opnd[] Shift64(Op op, Opnd[] a, Opnd count)
    {
        if (count.IsImm)
        {
            var c = count.Imm & 63;
            if (c == 0) return a;
            if (c >= 32)
            {
                return op switch
                {
                    Op.ShlPair => [Opnd.Const(0), Fold(Op.Shl, a[0], Opnd.Const(c - 32))],
                    Op.ShrPair => [Fold(Op.Shr, a[1], Opnd.Const(c - 32)), Opnd.Const(0)],
                    _ => [Fold(Op.Sar, a[1], Opnd.Const(c - 32)), Fold(Op.Sar, a[1], Opnd.Const(31))],
                };
            }
            var lo = Temp(IntType.Instance);
            var hi = Temp(IntType.Instance);
            Emit(new Inst(op, [lo, hi], [InReg(a[0]), InReg(a[1]), Opnd.Const(c)], _location));
            return [lo, hi];
        }
        var cx = Temp(IntType.Instance);
        cx.Fixed = Gpr.Ecx;
        Move(cx, count);
        var noEcx = RegisterMasks.Allocatable & ~RegisterMasks.Of(Gpr.Ecx);
        var dlo = Temp(IntType.Instance);
        var dhi = Temp(IntType.Instance);
        var tmp = Temp(IntType.Instance);
        dlo.Mask = dhi.Mask = tmp.Mask = noEcx;
        Emit(new Inst(op, [dlo, dhi, tmp], [InReg(a[0]), InReg(a[1]), cx], _location));
        return [dlo, dhi];
    }

    // ---- strings ------------------------------------------------------------------------------------------

    private Opnd StringConcat(IBinaryOperation b)
    {
        var parts = new List<IOperation>();
        void Flatten(IOperation op)
        {
            if (op is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } inner && IsString(inner.Type)) { Flatten(inner.LeftOperand); Flatten(inner.RightOperand); }
            else parts.Add(op);
        }
        Flatten(b);
        return ConcatAll([.. parts.Select(StringPiece)]);
    }

    /// <summary>One operand of a string concatenation, as a string (numbers, chars and bools formatted).</summary>
    internal Opnd StringPiece(IOperation op)
    {
        var source = op is IConversionOperation { Type.SpecialType: SpecialType.System_Object } box ? box.Operand : op;
        if (source is Microsoft.CodeAnalysis.FlowAnalysis.IFlowCaptureReferenceOperation r && _boxedCaptures.TryGetValue(r.Id, out var boxed)) return ToStringOf(Eval(source), boxed);
        if (IsString(source.Type) || source.Type is null) return Eval1(source);
        if (source.ConstantValue is { HasValue: true } c && source.Type is not null)
        {
            var text = c.Value switch
            {
                bool flag => flag ? "True" : "False",
                char ch => ch.ToString(),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is not null) return Opnd.Address(_p.StringLiteral(text));
        }
        return ToStringOf(Eval(source), source.Type!);
    }

    /// <summary>The text of an integer, char or bool value (NumberText's routines).</summary>
    internal Opnd ToStringOf(Opnd[] v, ITypeSymbol type)
    {
        var t = Underlying(type);
        if (IsString(t)) return v[0];
        var (routine, args) = t.SpecialType switch
        {
            SpecialType.System_Char => ("FromChar", v),
            SpecialType.System_Boolean => ("FromBoolean", v),
            SpecialType.System_Int64 => ("FromInt64", v),
            SpecialType.System_UInt64 => ("FromUInt64", v),
            _ when Unsigned(t) => ("FromUInt64", ConvertNumeric(v, t, _p.Compilation.GetSpecialType(SpecialType.System_UInt64))),
            _ when IsInteger(t) => ("FromInt64", ConvertNumeric(v, t, _p.Compilation.GetSpecialType(SpecialType.System_Int64))),
            _ => throw new NotSupportedException(CompilerMessages.Unsupported($"converting {type} to a string")),
        };
        return Call(_p.FunctionFor(_p.RuntimeMethod("Kml.NumberText", routine)), args)[0];
    }

    /// <summary>Concatenates strings (null counts as empty), four at a time.</summary>
    internal Opnd ConcatAll(List<Opnd> parts)
    {
        while (parts.Count > 1)
        {
            var n = Math.Min(parts.Count, 4);
            var routine = _p.RuntimeMethod("Kml.StringOps", "Concat", n);
            var joined = Call(_p.FunctionFor(routine), [.. parts.Take(n)])[0];
            parts = [joined, .. parts.Skip(n)];
        }
        if (parts.Count == 1 && !(parts[0].Kind == OperandKind.Data))
        {
            // A single operand still goes through Concat so that null becomes "".
            return Call(_p.FunctionFor(_p.RuntimeMethod("Kml.StringOps", "Concat", 2)), [parts[0], Opnd.Address(_p.StringLiteral(""))])[0];
        }
        return parts.Count == 0 ? Opnd.Address(_p.StringLiteral("")) : parts[0];
    }

    internal Opnd StringEquals(Opnd a, Opnd b) =>
        Call(_p.FunctionFor(_p.RuntimeMethod("Kml.StringOps", "AreEqual", 2)), [a, b])[0];
}
