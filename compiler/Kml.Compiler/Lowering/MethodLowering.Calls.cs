using Kml.Compiler.Diagnostics;
using Kml.Compiler.Ir;
using Kml.Compiler.Types;
using Kml.Tal.Lines;
using Kml.Tal.Types;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Compiler.Lowering;

// Calls, object and array creation. A struct receiver is passed by value and, unless the method is readonly,
// its updated value comes back as extra results and is stored back into the receiver's place (copy-in/copy-out).
internal sealed partial class MethodLowering
{
    private Opnd[] Invoke(IInvocationOperation inv)
    {
        if (_p.Intrinsics.Invoke(this, inv) is { } value) return value;
        var m = inv.TargetMethod;
        if (m.MethodKind == MethodKind.Constructor && m.ContainingType.SpecialType == SpecialType.System_Object) return []; // base() of a class
        if (!_p.IsCompiled(m)) throw new NotSupportedException(CompilerMessages.Unsupported($"the library method {m.ToDisplayString()}"));
        if (m.MethodKind == MethodKind.Constructor)
        {
            // this(...) chaining: the same object (a class) or this struct's value.
            var ctorArgs = Arguments(inv.Arguments, m);
            if (_structThis)
            {
                var zero = Types.ShapeOf(m.ContainingType).Leaves.Select(_ => Opnd.Const(0)).ToArray();
                var constructed = Call(_p.FunctionFor(m), [.. zero, .. ctorArgs]);
                for (var i = 0; i < _this.Length; i++) Move(_this[i], constructed[i]);
            }
            else if (!_p.IsTrivialConstructor(m)) Call(_p.FunctionFor(m), [_this[0], .. ctorArgs]);
            return [];
        }
        Place? receiver = null;
        if (!m.IsStatic) receiver = Receiver(inv.Instance!, m.ContainingType);
        return CallMethod(m, receiver, inv.Arguments);
    }

    /// <summary>The receiver of an instance call: a struct's place (copy-in/copy-out), or a class reference.</summary>
    private Place Receiver(IOperation instance, INamedTypeSymbol type)
    {
        if (type.IsValueType) return PlaceOf(instance);
        return new ValuePlace([InReg(Eval1(instance))], Types.ShapeOf(type));
    }

    private Opnd[] CallMethod(IMethodSymbol m, Place? receiver, IEnumerable<IArgumentOperation> arguments)
    {
        var thisValue = receiver?.Load(this) ?? [];
        var args = Arguments(arguments, m);
        return CallWithThis(m, receiver, thisValue, args);
    }

    private Opnd[] CallWithThis(IMethodSymbol m, Place? receiver, Opnd[] thisValue, Opnd[] args)
    {
        var callee = _p.FunctionFor(m);
        var results = Call(callee, [.. thisValue, .. args]);
        var returned = Types.ShapeOf(m.ReturnsVoid ? _p.Compilation.GetSpecialType(SpecialType.System_Void) : m.ReturnType).Count;
        if (ProgramLowering.CopiesOutThis(m) && receiver is not null && !receiver.IsReadOnlyCopy)
            receiver.Store(this, results[returned..]);
        return results[..returned];
    }

    /// <summary>Property accessors (not auto-properties): the getter with no arguments, the setter with the value.</summary>
    public Opnd[] CallAccessor(IMethodSymbol accessor, Place? receiver, Opnd[] args)
    {
        var thisValue = receiver?.Load(this) ?? [];
        return CallWithThis(accessor, receiver, thisValue, args);
    }

    /// <summary>Evaluates arguments in the order written and returns their leaves in parameter order.</summary>
    private Opnd[] Arguments(IEnumerable<IArgumentOperation> arguments, IMethodSymbol m)
    {
        var byParameter = new Opnd[m.Parameters.Length][];
        foreach (var a in arguments)
        {
            var ordinal = a.Parameter?.Ordinal ?? throw new NotSupportedException(CompilerMessages.Unsupported("an argument without a parameter"));
            var v = Eval(a.Value);
            // A local passed as an argument is read now: later arguments may assign it.
            byParameter[ordinal] = v;
        }
        return [.. byParameter.SelectMany(v => v ?? throw new InvalidOperationException("missing argument"))];
    }

    /// <summary>Evaluates the arguments of a library call (in order), one value per parameter.</summary>
    internal Opnd[][] ArgumentValues(IInvocationOperation inv)
    {
        var byParameter = new Opnd[inv.TargetMethod.Parameters.Length][];
        foreach (var a in inv.Arguments) byParameter[a.Parameter!.Ordinal] = Eval(a.Value);
        return byParameter;
    }

    private Opnd[] New(IObjectCreationOperation o)
    {
        if (o.Initializer is { Initializers.Length: > 0 }) throw new NotSupportedException(CompilerMessages.Unsupported("an object initializer"));
        if (_p.Intrinsics.New(this, o) is { } value) return value;
        var type = (INamedTypeSymbol)o.Type!;
        var ctor = o.Constructor ?? throw new NotSupportedException(CompilerMessages.Unsupported($"creating {type}"));
        if (!_p.IsCompiled(ctor) && !ctor.IsImplicitlyDeclared) throw new NotSupportedException(CompilerMessages.Unsupported($"the library constructor {ctor.ToDisplayString()}"));
        if (type.IsValueType)
        {
            var zero = Zero(type);
            if (ctor.IsImplicitlyDeclared && ctor.Parameters.Length == 0) return zero;
            var args = Arguments(o.Arguments, ctor);
            return Call(_p.FunctionFor(ctor), [.. zero, .. args]);
        }
        var pointer = CallImport("alloc", new InlineField(Types.NameOf(type)), [], Types.ClassPointer(type, false));
        var ctorArgs = Arguments(o.Arguments, ctor);
        if (!_p.IsTrivialConstructor(ctor)) Call(_p.FunctionFor(ctor), [pointer, .. ctorArgs]);
        return [pointer];
    }

    private Opnd[] NewArray(IArrayCreationOperation a)
    {
        if (a.DimensionSizes.Length != 1) throw new NotSupportedException(CompilerMessages.Unsupported("a multi-dimensional array"));
        var element = ((IArrayTypeSymbol)a.Type!).ElementType;
        var length = Eval1(a.DimensionSizes[0]);
        var array = AllocateArray(element, length);
        if (a.Initializer is { } init)
        {
            var arr = InReg(array);
            var shape = Types.ShapeOf(element);
            for (var i = 0; i < init.ElementValues.Length; i++)
            {
                var v = Eval(init.ElementValues[i]);
                new ElementPlace(arr, InReg(Opnd.Const(i)), shape.Size, 0, shape, nullCheck: false).Store(this, v);
            }
        }
        return [array];
    }

    /// <summary>A new zeroed array (alloc_array); a negative length is C#'s OverflowException.</summary>
    internal Opnd AllocateArray(ITypeSymbol element, Opnd length)
    {
        if (!length.IsImm) PanicIf(Cond.Lt, length, Opnd.Const(0), RuntimeError.Overflow);
        var storage = Types.ElementOf(element);
        return CallImport("alloc_array", storage, [length], new PtrType(new ArrayHeap(storage, false), false));
    }

    /// <summary>Calls a runtime routine (a method of the runtime compiled with the program).</summary>
    internal Opnd[] CallRuntime(string type, string name, params Opnd[] args) =>
        Call(_p.FunctionFor(_p.RuntimeMethod(type, name, -1)), args);

    internal Opnd[] CallRuntime(string type, string name, int parameters, params Opnd[] args) =>
        Call(_p.FunctionFor(_p.RuntimeMethod(type, name, parameters)), args);

    /// <summary>d = (a cond b) ? ifTrue : ifFalse, with cmov.</summary>
    internal Opnd Select(Cond cond, Opnd a, Opnd b, Opnd ifTrue, Opnd ifFalse)
    {
        if (a.IsImm && b.IsImm) return IrFacts.Evaluate(cond, a.Imm, b.Imm) ? ifTrue : ifFalse;
        if (a.IsImm) { (a, b) = (b, a); cond = IrFacts.Swap(cond); }
        var d = Temp(IntType.Instance);
        Emit(new Inst(Op.Select, [d], [a, b, InReg(ifTrue), ifFalse], _location) { Cond = cond });
        return d;
    }

    internal int Location => _location;
}
