using Kml.Compiler.Diagnostics;
using Kml.Compiler.Ir;
using Kml.Compiler.Tal;
using Kml.Compiler.Types;
using Kml.Tal.Lines;
using Kml.Tal.Types;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Compiler.Lowering;

/// <summary>
/// Lowers one method (its Roslyn control flow graph, plus field initializers for constructors) to an
/// <see cref="IrFunction"/>: locals and parameters become virtual registers (one per leaf), Roslyn's blocks
/// become IR blocks, flow captures become registers (or places, when a capture is assigned to), and every
/// expression is lowered to 32-bit operations with the run-time checks C# requires.
/// </summary>
internal sealed partial class MethodLowering
{
    private readonly ProgramLowering _p;
    private readonly IrFunction _f;
    private readonly IMethodSymbol? _method;
    private IrBlock _block = null!;
    private int _location = -1;
    private readonly Dictionary<ILocalSymbol, VReg[]> _locals = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IParameterSymbol, VReg[]> _parameters = new(SymbolEqualityComparer.Default);
    private VReg[] _this = [];
    private bool _structThis;
    private bool _copyOutThis;

    // Per control flow graph being lowered.
    private readonly Dictionary<CaptureId, VReg[]> _captureValues = [];
    private readonly Dictionary<CaptureId, Place> _capturePlaces = [];
    private readonly Dictionary<CaptureId, Opnd[]> _captureSnapshots = [];
    private readonly Dictionary<CaptureId, Enumeration> _enumerations = [];
    private HashSet<CaptureId> _assignedCaptures = [];
    private HashSet<CaptureId> _compoundCaptures = [];
    private readonly Dictionary<CaptureId, ITypeSymbol> _captureTypes = [];
    // Captures of a value boxed for string concatenation ("" + (x ? a : b) splits the expression into captures):
    // the capture holds the unboxed value, and this is its type (for formatting it).
    private readonly Dictionary<CaptureId, ITypeSymbol> _boxedCaptures = [];

    /// <summary>A foreach over an array or a string, as Roslyn's graph expresses it (GetEnumerator, MoveNext, Current).</summary>
    private sealed record Enumeration(VReg Array, VReg Index, VReg Length, Shape Element, int ElementSize);

    public MethodLowering(ProgramLowering program, IrFunction function, IMethodSymbol? method)
    {
        _p = program;
        _f = function;
        _method = method;
    }

    public ProgramLowering Program => _p;

    public TypeLayouts Types => _p.Types;

    /// <summary>Lowers a method: parameters, (for constructors) field initializers, then the body.</summary>
    public void LowerMethod()
    {
        var m = _method!;
        _block = NewBlock("entry");
        var argument = 0;
        if (!m.IsStatic)
        {
            var type = m.ContainingType;
            _structThis = type.IsValueType;
            if (_structThis)
            {
                var shape = Types.ShapeOf(type);
                _this = [.. shape.Leaves.Select(l => Param(l.RegisterType, "this", argument++))];
                _copyOutThis = ProgramLowering.CopiesOutThis(m);
            }
            else
            {
                _this = [Param(Types.ClassPointer(type, false), "this", argument++)];
            }
        }
        foreach (var p in m.Parameters)
        {
            var shape = Types.ShapeOf(p.Type);
            _parameters[p] = [.. shape.Leaves.Select(l => Param(l.RegisterType, p.Name, argument++))];
        }

        if (m.MethodKind == MethodKind.Constructor && !ChainsToThis(m))
        {
            foreach (var init in _p.InstanceInitializers(m.ContainingType))
                LowerGraph(init, NewBlock("init"));
        }
        var body = _p.BodyOf(m);
        if (body is not null) LowerGraph(body, null);
        else Return([]);
    }

    private static bool ChainsToThis(IMethodSymbol ctor)
    {
        foreach (var r in ctor.DeclaringSyntaxReferences)
            if (r.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.ConstructorDeclarationSyntax { Initializer: { } i }
                && i.ThisOrBaseKeyword.Text == "this") return true;
        return false;
    }

    /// <summary>Lowers the entry function's body: static initializers, Main, flush, exit.</summary>
    public void LowerEntry(IEnumerable<ControlFlowGraph> staticInitializers, IMethodSymbol main)
    {
        _block = NewBlock("entry");
        foreach (var g in staticInitializers) LowerGraph(g, NewBlock("init"));
        _location = _p.LocationOf(main.Locations.FirstOrDefault());
        var args = new List<Opnd>();
        if (main.Parameters.Length == 1)
        {
            // string[] args: built in the subset from the kernel's argc/arg entries (Runtime/Arguments.cs).
            args.AddRange(CallRuntime("Kml.Arguments", "Get", 0));
        }
        var results = Call(_p.FunctionFor(main), [.. args]);
        var flush = _p.RuntimeMethod("Kml.ConsoleOut", "Flush");
        Call(_p.FunctionFor(flush), []);
        Terminate(new Inst(Op.Exit, [], [results.Length == 1 ? results[0] : Opnd.Const(0)], _location));
    }

    /// <summary>Lowers one graph; its exit goes to <paramref name="continuation"/> (initializers) or returns (a body).</summary>
    private void LowerGraph(ControlFlowGraph graph, IrBlock? continuation)
    {
        ScanCaptures(graph);
        var map = new Dictionary<BasicBlock, IrBlock>();
        IrBlock Target(BasicBlock b)
        {
            if (b.Kind == BasicBlockKind.Exit && continuation is not null) return continuation;
            if (!map.TryGetValue(b, out var ir)) map[b] = ir = _f.NewBlock();
            return ir;
        }

        var entry = graph.Blocks[0];
        Jump(Target(entry.FallThroughSuccessor!.Destination!));
        foreach (var b in graph.Blocks)
        {
            if (b.Kind == BasicBlockKind.Entry || !b.IsReachable || InFinally(b)) continue;
            if (b.Kind == BasicBlockKind.Exit)
            {
                if (continuation is not null || !map.ContainsKey(b)) continue;
                StartBlock(map[b]);
                Return([]);
                continue;
            }
            StartBlock(Target(b));
            foreach (var op in b.Operations) Statement(op);

            var fall = b.FallThroughSuccessor;
            if (b.BranchValue is { } value && b.ConditionKind == ControlFlowConditionKind.None)
            {
                // Return with a value (fall-through semantics Return).
                At(value);
                Return(Eval(value));
                continue;
            }
            if (b.BranchValue is { } cond && b.ConditionalSuccessor is { } taken)
            {
                At(cond);
                var whenTaken = Successor(taken, Target, continuation);
                var whenFall = Successor(fall!, Target, continuation);
                if (b.ConditionKind == ControlFlowConditionKind.WhenTrue) Condition(cond, whenTaken, whenFall);
                else Condition(cond, whenFall, whenTaken);
                continue;
            }
            Jump(Successor(fall!, Target, continuation));
        }
        if (continuation is not null) StartBlock(continuation);
    }

    private IrBlock Successor(ControlFlowBranch branch, Func<BasicBlock, IrBlock> target, IrBlock? continuation)
    {
        if (branch.Semantics == ControlFlowBranchSemantics.Return && continuation is null)
        {
            // A return without a value: a block of its own that returns.
            var ret = _f.NewBlock("ret");
            var saved = _block;
            StartBlock(ret);
            Return([]);
            _block = saved;
            return ret;
        }
        if (branch.Destination is null)
            throw new NotSupportedException(CompilerMessages.Unsupported($"control flow of kind {branch.Semantics}"));
        return target(branch.Destination);
    }

    private static bool InFinally(BasicBlock b)
    {
        // foreach over arrays and strings is the only source of try/finally in the subset; its finally only
        // disposes the enumerator, which arrays and strings do not need.
        for (var r = b.EnclosingRegion; r is not null; r = r.EnclosingRegion)
            if (r.Kind is ControlFlowRegionKind.Finally or ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter) return true;
        return false;
    }

    /// <summary>Records which captures are assigned to (lvalue captures) and which are compound-assigned.</summary>
    private void ScanCaptures(ControlFlowGraph graph)
    {
        _assignedCaptures = [];
        _compoundCaptures = [];
        foreach (var b in graph.Blocks)
        {
            var ops = b.Operations.AsEnumerable();
            if (b.BranchValue is not null) ops = ops.Append(b.BranchValue);
            foreach (var op in ops)
                foreach (var d in op.DescendantsAndSelf())
                {
                    var target = d switch
                    {
                        ISimpleAssignmentOperation a => a.Target,
                        ICompoundAssignmentOperation c => c.Target,
                        IIncrementOrDecrementOperation i => i.Target,
                        _ => null,
                    };
                    if (d is IFlowCaptureReferenceOperation typed && typed.Type is not null) _captureTypes.TryAdd(typed.Id, typed.Type);
                    if (d is IFlowCaptureOperation capture && capture.Value.Type is not null) _captureTypes.TryAdd(capture.Id, capture.Value.Type);
                    if (d is IFlowCaptureOperation { Value: IConversionOperation { Type.SpecialType: SpecialType.System_Object, Operand.Type: { } boxed } } boxing)
                        _boxedCaptures[boxing.Id] = boxed;
                    if (target is IFlowCaptureReferenceOperation r)
                    {
                        _assignedCaptures.Add(r.Id);
                        if (d is not ISimpleAssignmentOperation) _compoundCaptures.Add(r.Id);
                    }
                    // A captured struct receiving a method call is written back (copy-out).
                    if (d is IInvocationOperation { Instance: IFlowCaptureReferenceOperation recv } && recv.Type?.IsValueType == true)
                        _assignedCaptures.Add(recv.Id);
                }
        }
    }

    // ---- statements -----------------------------------------------------------------------------------------

    private void Statement(IOperation op)
    {
        At(op);
        switch (op)
        {
            case IExpressionStatementOperation e: Statement(e.Operation); return;
            case IFlowCaptureOperation c: Capture(c); return;
            case IFlowCaptureReferenceOperation: return;
            case ILocalFunctionOperation: throw new NotSupportedException(CompilerMessages.Unsupported("a local function"));
            default: Eval(op); return;
        }
    }

    private void Capture(IFlowCaptureOperation c)
    {
        if (EnumerationStart(c)) return;
        if (_assignedCaptures.Contains(c.Id))
        {
            var place = PlaceOf(c.Value);
            _capturePlaces[c.Id] = place;
            // Compound assignment reads the old value before the right-hand side runs (C#'s order).
            if (_compoundCaptures.Contains(c.Id)) _captureSnapshots[c.Id] = place.Load(this);
            return;
        }
        var value = Eval(_boxedCaptures.ContainsKey(c.Id) ? ((IConversionOperation)c.Value).Operand : c.Value);
        if (!_captureValues.TryGetValue(c.Id, out var regs))
        {
            var type = _boxedCaptures.TryGetValue(c.Id, out var unboxed) ? unboxed : _captureTypes.TryGetValue(c.Id, out var t) ? t : c.Value.Type
                ?? throw new NotSupportedException(CompilerMessages.Unsupported($"an untyped value ({c.Value.Syntax})"));
            var shape = Types.ShapeOf(type);
            regs = [.. shape.Leaves.Select(l => _f.NewVReg(l.RegisterType, "cap"))];
            _captureValues[c.Id] = regs;
        }
        for (var i = 0; i < regs.Length; i++) Move(regs[i], value[i]);
    }

    // ---- blocks and terminators --------------------------------------------------------------------------------

    public IrBlock NewBlock(string? hint = null) => _f.NewBlock(hint);

    public void StartBlock(IrBlock b)
    {
        if (_block is not null && _block.Terminator is null && _block != b) Jump(b);
        if (!_f.Blocks.Contains(b)) _f.Blocks.Add(b);
        _block = b;
    }

    private void Terminate(Inst t)
    {
        if (!_f.Blocks.Contains(_block)) _f.Blocks.Add(_block);
        if (_block.Terminator is not null)
        {
            // Code after a terminator (after a return inside an expression, say) is unreachable: a fresh block.
            _block = _f.NewBlock("dead");
            _f.Blocks.Add(_block);
        }
        _block.Instructions.Add(t);
    }

    public void Jump(IrBlock target) => Terminate(new Inst(Op.Jump, [], [], _location) { Target = target });

    public void Branch(Cond cond, Opnd a, Opnd b, IrBlock ifTrue, IrBlock ifFalse)
    {
        if (a.IsImm && b.IsImm) { Jump(IrFacts.Evaluate(cond, a.Imm, b.Imm) ? ifTrue : ifFalse); return; }
        if (a.IsImm) { (a, b) = (b, a); cond = IrFacts.Swap(cond); }
        Terminate(new Inst(Op.Branch, [], [a, b], _location) { Cond = cond, Target = ifTrue, Else = ifFalse });
    }

    private void Return(Opnd[] value)
    {
        var results = new List<Opnd>(value);
        if (_copyOutThis) results.AddRange(_this.Select(t => (Opnd)t));
        Terminate(new Inst(Op.Return, [], [.. results], _location));
    }

    // ---- emission helpers --------------------------------------------------------------------------------------

    public void Emit(Inst i)
    {
        if (_block.Terminator is not null)
        {
            _block = _f.NewBlock("dead");
            _f.Blocks.Add(_block);
        }
        if (!_f.Blocks.Contains(_block)) _f.Blocks.Add(_block);
        _block.Instructions.Add(i);
    }

    public VReg Temp(ValType type, string? name = null) => _f.NewVReg(type, name);

    private VReg Param(ValType type, string name, int index)
    {
        var r = _f.NewVReg(type, name);
        _f.Parameters.Add(r);
        Emit(new Inst(Op.Arg, [r], [], -1) { Offset = index });
        return r;
    }

    /// <summary>A fresh register holding a copy of <paramref name="v"/>.</summary>
    public VReg Copy(Opnd v)
    {
        var t = Temp(v.Type is NullType ? IntType.Instance : v.Type);
        Emit(new Inst(Op.Mov, [t], [v], _location));
        return t;
    }

    /// <summary>A register holding the operand (itself when it is one).</summary>
    public VReg InReg(Opnd v) => v.IsReg ? v.Reg! : Copy(v);

    public void Move(VReg dst, Opnd src) => Emit(new Inst(Op.Mov, [dst], [src], _location));

    public VReg Binary(Op op, Opnd a, Opnd b)
    {
        var d = Temp(IntType.Instance);
        Emit(new Inst(op, [d], [a, b], _location));
        return d;
    }

    public VReg Unary(Op op, Opnd a)
    {
        var d = Temp(IntType.Instance);
        Emit(new Inst(op, [d], [a], _location));
        return d;
    }

    public void PanicIf(Cond cond, Opnd a, Opnd b, int kind)
    {
        if (a.IsImm && b.IsImm)
        {
            if (IrFacts.Evaluate(cond, a.Imm, b.Imm)) Terminate(new Inst(Op.Panic, [], [], _location) { PanicKind = kind });
            return;
        }
        if (a.IsImm) { (a, b) = (b, a); cond = IrFacts.Swap(cond); }
        Emit(new Inst(Op.PanicIf, [], [a, b], _location) { Cond = cond, PanicKind = kind });
    }

    public Opnd Load(Opnd baseAddress, int offset, Leaf leaf, bool nullCheck)
    {
        var d = Temp(leaf.RegisterType);
        Emit(new Inst(Op.Load, [d], [baseAddress], _location) { Offset = offset, Kind = leaf.Kind, NullCheck = nullCheck && baseAddress.IsReg });
        return d;
    }

    public void Store(Opnd baseAddress, int offset, MemKind kind, Opnd value, bool nullCheck) =>
        Emit(new Inst(Op.Store, [], [baseAddress, ByteValue(kind, value)], _location) { Offset = offset, Kind = kind, NullCheck = nullCheck && baseAddress.IsReg });

    // A byte store needs the value in al, cl, dl or bl.
    private Opnd ByteValue(MemKind kind, Opnd value)
    {
        if (kind is not (MemKind.I8 or MemKind.U8) || !value.IsReg) return value;
        var t = Temp(IntType.Instance);
        t.Mask = RegisterMasks.Byte;
        Move(t, value);
        return t;
    }

    // Element sizes other than 1, 2, 4 and 8 need a register for the scaled index (imul t, i, size).
    private static bool NeedsScaledIndex(int elemSize) => elemSize is not (1 or 2 or 4 or 8);

    public Opnd LoadElement(VReg array, VReg index, int elemSize, int offset, Leaf leaf, bool nullCheck)
    {
        var d = Temp(leaf.RegisterType);
        VReg[] defs = NeedsScaledIndex(elemSize) ? [d, Temp(IntType.Instance, "eoff")] : [d];
        Emit(new Inst(Op.LoadElem, defs, [array, index], _location) { ElemSize = elemSize, Offset = offset, Kind = leaf.Kind, NullCheck = nullCheck, ScratchDef = defs.Length == 2 });
        return d;
    }

    public void StoreElement(VReg array, VReg index, int elemSize, int offset, MemKind kind, Opnd value, bool nullCheck)
    {
        VReg[] defs = NeedsScaledIndex(elemSize) ? [Temp(IntType.Instance, "eoff")] : [];
        Emit(new Inst(Op.StoreElem, defs, [array, index, ByteValue(kind, value)], _location)
            { ElemSize = elemSize, Offset = offset, Kind = kind, NullCheck = nullCheck, ScratchDef = defs.Length == 1 });
    }

    public VReg LoadLength(Opnd array, bool nullCheck = true)
    {
        var d = Temp(IntType.Instance);
        Emit(new Inst(Op.LoadLength, [d], [InReg(array)], _location) { NullCheck = nullCheck });
        return d;
    }

    public Opnd[] Call(IrFunction callee, Opnd[] args)
    {
        var defs = callee.ResultTypes.Select((t, i) =>
        {
            var r = Temp(t);
            if (callee.ResultsInRegisters) r.Fixed = i == 0 ? Gpr.Eax : Gpr.Edx;
            return r;
        }).ToArray();
        Emit(new Inst(Op.Call, defs, args, _location) { Callee = callee });
        // Results leave their fixed registers at once, so nothing else is pinned to eax/edx for long.
        return [.. defs.Select(d => d.Fixed >= 0 ? (Opnd)Copy(d) : d)];
    }

    public Opnd CallImport(string entry, FieldType? typeArgument, Opnd[] args, ValType? result)
    {
        var slot = _p.Import(entry, typeArgument);
        VReg[] defs = [];
        if (result is not null)
        {
            var r = Temp(result);
            r.Fixed = Gpr.Eax;
            defs = [r];
        }
        Emit(new Inst(Op.CallImport, defs, args, _location) { Import = slot });
        return defs.Length == 1 ? Copy(defs[0]) : Opnd.Const(0);
    }

    /// <summary>Sets the current source location from an operation's syntax.</summary>
    /// <summary>The syntax of the operation being lowered (for messages about unsupported constructs).</summary>
    public SyntaxNode? CurrentSyntax { get; private set; }

    private void At(IOperation op)
    {
        if (op.Syntax is { } syntax) CurrentSyntax = syntax;
        if (op.Syntax is { } s && !op.IsImplicit) _location = _p.LocationOf(s.GetLocation());
        else if (op.Syntax is { } t && _location < 0) _location = _p.LocationOf(t.GetLocation());
    }

    private static int PanicKindOfStatus(int status) => status switch
    {
        1 => RuntimeError.ArgumentNull,
        2 => RuntimeError.Format,
        _ => RuntimeError.Overflow,
    };
}
