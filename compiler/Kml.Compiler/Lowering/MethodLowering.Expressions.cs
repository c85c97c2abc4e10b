using Kml.Compiler.Diagnostics;
using Kml.Compiler.Ir;
using Kml.Compiler.Types;
using Kml.Tal.Lines;
using Kml.Tal.Types;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Compiler.Lowering;

// Expressions: values (Eval), places (PlaceOf), conditions (Condition), assignments.
internal sealed partial class MethodLowering
{
    /// <summary>Lowers an expression to the leaves of its value.</summary>
    public Opnd[] Eval(IOperation op)
    {
        var saved = _location;
        At(op);
        try { return EvalCore(op); }
        finally { _location = saved; }
    }

    /// <summary>A single-leaf value (an integer, a bool, a char or a reference).</summary>
    public Opnd Eval1(IOperation op)
    {
        var v = Eval(op);
        if (v.Length != 1) throw new InvalidOperationException($"expected one leaf for {op.Syntax}, found {v.Length}");
        return v[0];
    }

    private Opnd[] EvalCore(IOperation op)
    {
        if (op.ConstantValue is { HasValue: true } constant && op.Type is not null) return Constant(constant.Value, op.Type);
        switch (op)
        {
            case ILiteralOperation { ConstantValue.HasValue: true } nullLiteral when nullLiteral.ConstantValue.Value is null:
                return [Opnd.Const(0)];
            case ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation or IFieldReferenceOperation
                or IArrayElementReferenceOperation or IFlowCaptureReferenceOperation:
                return ReadPlace(op);
            case IPropertyReferenceOperation p: return Property(p);
            case IConversionOperation c: return Convert(c);
            case IBinaryOperation b: return Binary(b);
            case IUnaryOperation u: return Unary(u);
            case ISimpleAssignmentOperation a: return Assign(a);
            case ICompoundAssignmentOperation c: return CompoundAssign(c);
            case IIncrementOrDecrementOperation i: return IncrementOrDecrement(i);
            case IInvocationOperation i: return Invoke(i);
            case IObjectCreationOperation o: return New(o);
            case IArrayCreationOperation a: return NewArray(a);
            case IDefaultValueOperation d: return Zero(d.Type!);
            case IArgumentOperation a: return Eval(a.Value);
            case IIsNullOperation n:
            {
                var v = Eval1(n.Operand);
                var d = Temp(IntType.Instance);
                Emit(new Inst(Op.SetCond, [d], [v, Opnd.Const(0)], _location) { Cond = Cond.Eq });
                return [d];
            }
            case IDiscardOperation: return [];
        }
        throw new NotSupportedException(CompilerMessages.Unsupported($"the operation {op.Kind} ({op.Syntax})"));
    }

    private Opnd[] Constant(object? value, ITypeSymbol type)
    {
        switch (value)
        {
            case null: return [Opnd.Const(0)];
            case string s: return [Opnd.Address(_p.StringLiteral(s))];
            case bool b: return [Opnd.Const(b ? 1 : 0)];
            case char c: return [Opnd.Const(c)];
            case long l: return [Opnd.Const((int)l), Opnd.Const((int)(l >> 32))];
            case ulong u: return [Opnd.Const((int)u), Opnd.Const((int)(u >> 32))];
        }
        var t = type.TypeKind == TypeKind.Enum ? ((INamedTypeSymbol)type).EnumUnderlyingType! : type;
        var i = System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        return t.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64
            ? [Opnd.Const((int)i), Opnd.Const((int)(i >> 32))]
            : [Opnd.Const((int)i)];
    }

    /// <summary>Zero leaves of a type (default(T)).</summary>
    public Opnd[] Zero(ITypeSymbol type) => [.. Types.ShapeOf(type).Leaves.Select(_ => Opnd.Const(0))];

    private Opnd[] ReadPlace(IOperation op)
    {
        switch (op)
        {
            case IFlowCaptureReferenceOperation r when _captureValues.TryGetValue(r.Id, out var regs):
                return [.. regs.Select(x => (Opnd)x)];
            case IFlowCaptureReferenceOperation r when _captureSnapshots.TryGetValue(r.Id, out var snapshot):
                return snapshot;
            case IInstanceReferenceOperation when !_structThis:
                return [_this[0]];
        }
        return PlaceOf(op).Load(this);
    }

    /// <summary>The place an lvalue expression denotes, with its base parts evaluated now.</summary>
    internal Place PlaceOf(IOperation op)
    {
        switch (op)
        {
            case ILocalReferenceOperation l:
                return new RegisterPlace(Local(l.Local), 0, Types.ShapeOf(l.Local.Type));
            case IParameterReferenceOperation p:
                return new RegisterPlace(_parameters[p.Parameter], 0, Types.ShapeOf(p.Parameter.Type));
            case IInstanceReferenceOperation i:
                if (_structThis) return new RegisterPlace(_this, 0, Types.ShapeOf(i.Type!));
                return new ValuePlace([_this[0]], Types.ShapeOf(i.Type!));
            case IFlowCaptureReferenceOperation r:
                if (_capturePlaces.TryGetValue(r.Id, out var captured)) return captured;
                if (_captureValues.TryGetValue(r.Id, out var regs)) return new RegisterPlace(regs, 0, Types.ShapeOf(r.Type!));
                throw new InvalidOperationException($"capture {r.Syntax} used before it is defined");
            case IFieldReferenceOperation f:
                return FieldPlace(f);
            case IArrayElementReferenceOperation e:
            {
                if (e.Indices.Length != 1) throw new NotSupportedException(CompilerMessages.Unsupported("a multi-dimensional array"));
                var array = InReg(Eval1(e.ArrayReference));
                var index = InReg(Eval1(e.Indices[0]));
                var shape = Types.ShapeOf(e.Type!);
                return new ElementPlace(array, index, shape.Size, 0, shape, nullCheck: true);
            }
            case IPropertyReferenceOperation p:
                return PropertyPlaceOf(p);
            case IConversionOperation { Conversion.IsIdentity: true } c:
                return PlaceOf(c.Operand);
        }
        // An rvalue used where a place is needed (a struct method called on a call's result).
        var value = Eval(op);
        return new ValuePlace(value, Types.ShapeOf(op.Type!));
    }

    private VReg[] Local(ILocalSymbol local)
    {
        if (_locals.TryGetValue(local, out var regs)) return regs;
        var shape = Types.ShapeOf(local.Type);
        regs = [.. shape.Leaves.Select(l => Temp(l.RegisterType, local.Name))];
        _locals[local] = regs;
        return regs;
    }

    private Place FieldPlace(IFieldReferenceOperation f)
    {
        var field = f.Field;
        if (field.IsConst) return new ValuePlace(Constant(field.ConstantValue, field.Type), Types.ShapeOf(field.Type));
        if (field.IsStatic)
        {
            var offset = Types.StaticOffset(field);
            return new MemoryPlace(Opnd.Address(_p.Statics), offset, Types.ShapeOf(field.Type), nullCheck: false, ReadOnlyCopy(f));
        }
        var slot = Types.FieldOf(field);
        var instance = f.Instance!;
        if (instance.Type!.IsValueType)
        {
            var outer = PlaceOf(instance);
            var inner = outer.Field(this, slot);
            return ReadOnlyCopy(f) && !inner.IsReadOnlyCopy ? new ValuePlace(inner.Load(this), inner.Shape) : inner;
        }
        var obj = Eval1(instance);
        return new MemoryPlace(InReg(obj), slot.Offset, slot.Shape, nullCheck: !IsThis(instance), ReadOnlyCopy(f));
    }

    private static bool IsThis(IOperation op) => op is IInstanceReferenceOperation;

    /// <summary>A readonly field read outside its type's constructors: a struct method called on it works on a copy.</summary>
    private bool ReadOnlyCopy(IFieldReferenceOperation f) =>
        f.Field.IsReadOnly && _method is not null && !(_method is { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } m
            && SymbolEqualityComparer.Default.Equals(m.ContainingType, f.Field.ContainingType));

    private Place PropertyPlaceOf(IPropertyReferenceOperation p)
    {
        var property = p.Property;
        if (_p.BackingField(property) is { } backing)
        {
            var shape = Types.ShapeOf(property.Type);
            if (property.IsStatic) return new MemoryPlace(Opnd.Address(_p.Statics), Types.StaticOffset(backing), shape, nullCheck: false);
            var slot = Types.FieldOf(backing);
            if (p.Instance!.Type!.IsValueType) return PlaceOf(p.Instance).Field(this, slot);
            return new MemoryPlace(InReg(Eval1(p.Instance)), slot.Offset, slot.Shape, nullCheck: !IsThis(p.Instance));
        }
        if (p.Arguments.Length > 0) throw new NotSupportedException(CompilerMessages.Unsupported($"the indexer {property}"));
        Place? receiver = null;
        if (!property.IsStatic) receiver = p.Instance!.Type!.IsValueType ? PlaceOf(p.Instance) : new ValuePlace([InReg(Eval1(p.Instance))], Types.ShapeOf(p.Instance.Type));
        return new PropertyPlace(property, receiver, Types.ShapeOf(property.Type));
    }

    private Opnd[] Property(IPropertyReferenceOperation p)
    {
        if (IsEnumerationCurrent(p, out var e)) return new ElementPlace(e.Array, e.Index, e.ElementSize, 0, e.Element, nullCheck: false).Load(this);
        if (_p.Intrinsics.Property(this, p) is { } value) return value;
        return PlaceOf(p).Load(this);
    }

    // ---- assignments ----------------------------------------------------------------------------------------

    private Opnd[] Assign(ISimpleAssignmentOperation a)
    {
        if (a.Target is IDiscardOperation) return Eval(a.Value);
        var place = PlaceOf(a.Target);
        var value = Eval(a.Value);
        // A value kept in registers that the store could change later is copied (x = y = z reads the stored value).
        place.Store(this, value);
        return value;
    }

    private Opnd[] CompoundAssign(ICompoundAssignmentOperation c)
    {
        var (place, old) = TargetAndValue(c.Target);
        var targetType = c.Target.Type!;
        if (IsString(targetType))
        {
            Opnd[] text = [ConcatAll([old[0], StringPiece(c.Value)])];
            place.Store(this, text);
            return text;
        }
        var opType = CompoundOperatorType(c);
        var left = ConvertNumeric(old, targetType, opType);
        var right = Eval(c.Value);
        var result = BinaryValue(c.OperatorKind, left, right, opType, c.Value.Type!, opType);
        var stored = ConvertNumeric(result, opType, targetType);
        place.Store(this, stored);
        return stored;
    }

    /// <summary>The type a compound assignment's operator works in: int for byte += 1, the target's for shifts, string for +=.</summary>
    private ITypeSymbol CompoundOperatorType(ICompoundAssignmentOperation c)
    {
        var target = c.Target.Type!;
        if (IsString(target)) return target;
        var promoted = PromoteUnary(target);
        if (c.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift) return promoted;
        var value = Underlying(c.Value.Type!);
        return Rank(value) > Rank(promoted) ? value : promoted;
    }

    private ITypeSymbol PromoteUnary(ITypeSymbol t)
    {
        t = Underlying(t);
        return t.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_UInt32 or SpecialType.System_Boolean
            ? t : _p.Compilation.GetSpecialType(SpecialType.System_Int32);
    }

    internal static ITypeSymbol Underlying(ITypeSymbol t) => t.TypeKind == TypeKind.Enum ? ((INamedTypeSymbol)t).EnumUnderlyingType! : t;

    private static int Rank(ITypeSymbol t) => Underlying(t).SpecialType switch
    {
        SpecialType.System_UInt64 => 4,
        SpecialType.System_Int64 => 3,
        SpecialType.System_UInt32 => 2,
        _ => 1,
    };

    private Opnd[] IncrementOrDecrement(IIncrementOrDecrementOperation i)
    {
        var (place, old) = TargetAndValue(i.Target);
        var type = i.Target.Type!;
        var shape = Types.ShapeOf(type);
        var increment = i.Kind == OperationKind.Increment;
        Opnd[] updated;
        if (shape.Count == 2)
        {
            updated = Pair(increment ? Op.AddPair : Op.SubPair, old, [Opnd.Const(1), Opnd.Const(0)]);
        }
        else
        {
            var sum = Binary(increment ? Op.Add : Op.Sub, old[0], Opnd.Const(1));
            updated = [Narrow(sum, type)];
        }
        place.Store(this, updated);
        return i.IsPostfix ? old : updated;
    }

    /// <summary>The target's place and its current value (read once: C# evaluates the target, then reads it).</summary>
    private (Place Place, Opnd[] Old) TargetAndValue(IOperation target)
    {
        if (target is IFlowCaptureReferenceOperation r && _captureSnapshots.TryGetValue(r.Id, out var snapshot))
            return (_capturePlaces[r.Id], snapshot);
        var place = PlaceOf(target);
        return (place, place.Load(this));
    }

    // ---- conditions -----------------------------------------------------------------------------------------

    /// <summary>Branches on a boolean expression, fusing comparisons with the branch.</summary>
    private void Condition(IOperation cond, IrBlock ifTrue, IrBlock ifFalse)
    {
        var saved = _location;
        At(cond);
        try { ConditionCore(cond, ifTrue, ifFalse); }
        finally { _location = saved; }
    }

    private void ConditionCore(IOperation cond, IrBlock ifTrue, IrBlock ifFalse)
    {
        if (cond.ConstantValue is { HasValue: true, Value: bool b }) { Jump(b ? ifTrue : ifFalse); return; }
        switch (cond)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                Condition(not.Operand, ifFalse, ifTrue);
                return;
            case IBinaryOperation bin when Comparison(bin.OperatorKind) is { } c && bin.OperatorMethod is null:
                CompareAndBranch(bin, c, ifTrue, ifFalse);
                return;
            case IIsNullOperation n:
                Branch(Cond.Eq, Eval1(n.Operand), Opnd.Const(0), ifTrue, ifFalse);
                return;
            case IInvocationOperation inv when IsEnumerationMoveNext(inv, out var e):
            {
                var next = Binary(Op.Add, e.Index, Opnd.Const(1));
                Move(e.Index, next);
                Branch(Cond.Lt, e.Index, e.Length, ifTrue, ifFalse);
                return;
            }
        }
        var v = Eval1(cond);
        Branch(Cond.Ne, v, Opnd.Const(0), ifTrue, ifFalse);
    }

    private static Cond? Comparison(BinaryOperatorKind k) => k switch
    {
        BinaryOperatorKind.Equals => Cond.Eq,
        BinaryOperatorKind.NotEquals => Cond.Ne,
        BinaryOperatorKind.LessThan => Cond.Lt,
        BinaryOperatorKind.LessThanOrEqual => Cond.Le,
        BinaryOperatorKind.GreaterThan => Cond.Gt,
        BinaryOperatorKind.GreaterThanOrEqual => Cond.Ge,
        _ => null,
    };

    private void CompareAndBranch(IBinaryOperation bin, Cond cond, IrBlock ifTrue, IrBlock ifFalse)
    {
        var lt = bin.LeftOperand.Type;
        var rt = bin.RightOperand.Type;
        if (IsString(lt) && IsString(rt) && !IsNullLiteral(bin.LeftOperand) && !IsNullLiteral(bin.RightOperand))
        {
            var eq = StringEquals(Eval1(bin.LeftOperand), Eval1(bin.RightOperand));
            Branch(cond == Cond.Eq ? Cond.Ne : Cond.Eq, eq, Opnd.Const(0), ifTrue, ifFalse);
            return;
        }
        var left = Eval(bin.LeftOperand);
        var right = Eval(bin.RightOperand);
        if (left.Length == 2)
        {
            var c = Unsigned(lt) ? ToUnsigned(cond) : cond;
            if (left[0].IsImm && left[1].IsImm && !(right[0].IsImm && right[1].IsImm)) { (left, right) = (right, left); c = IrFacts.Swap(c); }
            Terminate(new Inst(Op.Branch64, [], [left[0], left[1], right[0], right[1]], _location) { Cond = c, Target = ifTrue, Else = ifFalse });
            return;
        }
        Branch(Unsigned(lt) ? ToUnsigned(cond) : cond, left[0], right[0], ifTrue, ifFalse);
    }

    internal static Cond ToUnsigned(Cond c) => c switch
    {
        Cond.Lt => Cond.Ltu, Cond.Le => Cond.Leu, Cond.Gt => Cond.Gtu, Cond.Ge => Cond.Geu, _ => c,
    };

    internal static bool IsString(ITypeSymbol? t) => t?.SpecialType == SpecialType.System_String;

    private static bool IsNullLiteral(IOperation op) =>
        op.ConstantValue is { HasValue: true, Value: null } || (op is IConversionOperation c && IsNullLiteral(c.Operand));

    /// <summary>Whether values of the type compare and divide unsigned.</summary>
    internal static bool Unsigned(ITypeSymbol? t)
    {
        if (t is null) return false;
        if (t.TypeKind == TypeKind.Enum) t = ((INamedTypeSymbol)t).EnumUnderlyingType!;
        return t.SpecialType is SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Byte
            or SpecialType.System_UInt16 or SpecialType.System_Char;
    }

    // ---- foreach over arrays and strings ----------------------------------------------------------------------

    private bool EnumerationStart(IFlowCaptureOperation c)
    {
        if (c.Value is not IInvocationOperation { TargetMethod.Name: "GetEnumerator" } get) return false;
        var source = get.Instance;
        while (source is IConversionOperation { Conversion.IsImplicit: true } conv && conv.Operand.Type is IArrayTypeSymbol or { SpecialType: SpecialType.System_String })
            source = conv.Operand;
        ITypeSymbol element;
        if (source?.Type is IArrayTypeSymbol array) element = array.ElementType;
        else if (source?.Type?.SpecialType == SpecialType.System_String) element = _p.Compilation.GetSpecialType(SpecialType.System_Char);
        else throw new NotSupportedException(CompilerMessages.Unsupported($"foreach over {get.Instance?.Type}"));
        var arr = Copy(Eval1(source));
        // foreach over null throws NullReferenceException before the first element.
        PanicIf(Cond.Eq, arr, Opnd.Const(0), RuntimeError.NullReference);
        var length = LoadLength(arr, nullCheck: false);
        var index = Temp(IntType.Instance, "i");
        Move(index, Opnd.Const(-1));
        var shape = Types.ShapeOf(element);
        _enumerations[c.Id] = new Enumeration(arr, index, length, shape, shape.Size);
        return true;
    }

    private bool IsEnumerationMoveNext(IInvocationOperation inv, out Enumeration e)
    {
        e = null!;
        return inv.TargetMethod.Name == "MoveNext" && inv.Instance is IFlowCaptureReferenceOperation r && _enumerations.TryGetValue(r.Id, out e!);
    }

    private bool IsEnumerationCurrent(IPropertyReferenceOperation p, out Enumeration e)
    {
        e = null!;
        return p.Property.Name == "Current" && p.Instance is IFlowCaptureReferenceOperation r && _enumerations.TryGetValue(r.Id, out e!);
    }
}
