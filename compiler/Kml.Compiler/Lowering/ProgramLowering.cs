using Kml.Compiler.Diagnostics;
using Kml.Compiler.Ir;
using Kml.Compiler.Tal;
using Kml.Compiler.Types;
using Kml.Tal.Lines;
using Kml.Tal.Types;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Kml.Compiler.Lowering;

/// <summary>
/// Lowers a whole program: starting from the entry point (and the static initializers), every method that is
/// reached is lowered once; string literals, the statics object, import slots and source locations are
/// collected on the way.
/// </summary>
internal sealed class ProgramLowering
{
    private readonly Dictionary<IMethodSymbol, IrFunction> _functions = new(SymbolEqualityComparer.Default);
    private readonly Queue<(IMethodSymbol Method, IrFunction Function)> _pending = new();
    private readonly Dictionary<string, DataRef> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<ImportSlot, ImportSlot> _imports = [];
    private readonly Dictionary<(string File, int Line), int> _locationIndex = [];
    private readonly Dictionary<string, int> _fileIndex = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<SyntaxTree, SemanticModel> _models = [];

    public ProgramLowering(CSharpCompilation compilation)
    {
        Compilation = compilation;
        Types = new TypeLayouts();
        Intrinsics = new Intrinsics(this);
        Statics = new DataRef(TypeLayouts.StaticsName, false, new PtrType(new StructHeap(TypeLayouts.StaticsName), false));
    }

    public CSharpCompilation Compilation { get; }

    public TypeLayouts Types { get; }

    public Intrinsics Intrinsics { get; }

    /// <summary>The object holding every static field.</summary>
    public DataRef Statics { get; }

    /// <summary>Functions in the order they were created (the entry first).</summary>
    public List<IrFunction> Functions { get; } = [];

    /// <summary>String literals.</summary>
    public IEnumerable<(string Text, DataRef Data)> Strings => _strings.Select(kv => (kv.Key, kv.Value));

    /// <summary>Import slots.</summary>
    public IEnumerable<ImportSlot> Imports => _imports.Keys;

    /// <summary>The line map's files and locations (code runs are added by the code generator).</summary>
    public LineMap Lines { get; } = new();

    /// <summary>Lowers the program from its entry point.</summary>
    public void LowerProgram(IMethodSymbol main)
    {
        var entry = new IrFunction("_start", [], [], isEntry: true) { Description = "program entry: static initializers, Main, exit" };
        _names.Add(entry.Name);
        Functions.Add(entry);
        Guarded(new MethodLowering(this, entry, null), m => m.LowerEntry(StaticInitializers(), main), main);
        while (_pending.Count > 0)
        {
            var (method, function) = _pending.Dequeue();
            Guarded(new MethodLowering(this, function, method), m => m.LowerMethod(), method);
        }
    }

    // An unsupported construct becomes a diagnostic at the construct (or at the method when nothing better is known).
    private static void Guarded(MethodLowering m, Action<MethodLowering> lower, IMethodSymbol method)
    {
        try { lower(m); }
        catch (LoweringException) { throw; }
        catch (NotSupportedException e)
        {
            throw new LoweringException(e.Message, m.CurrentSyntax?.GetLocation() ?? method.Locations.FirstOrDefault(), e);
        }
    }

    /// <summary>The function for a method, created (and queued for lowering) on first use.</summary>
    public IrFunction FunctionFor(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (_functions.TryGetValue(method, out var f)) return f;
        var parameters = new List<ValType>();
        var results = new List<ValType>();
        if (!method.IsStatic)
        {
            var type = method.ContainingType;
            if (type.IsValueType) parameters.AddRange(Types.ShapeOf(type).RegisterTypes);
            else parameters.Add(Types.ClassPointer(type, false));
        }
        foreach (var p in method.Parameters)
        {
            if (p.RefKind != RefKind.None) throw new NotSupportedException(CompilerMessages.Unsupported($"the {p.RefKind} parameter {p.Name}"));
            parameters.AddRange(Types.ShapeOf(p.Type).RegisterTypes);
        }
        if (!method.ReturnsVoid) results.AddRange(Types.ShapeOf(method.ReturnType).RegisterTypes);
        if (CopiesOutThis(method)) results.AddRange(Types.ShapeOf(method.ContainingType).RegisterTypes);
        f = new IrFunction(UniqueName(method), [.. parameters], [.. results])
        {
            Description = method.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat),
        };
        _functions[method] = f;
        Functions.Add(f);
        _pending.Enqueue((method, f));
        return f;
    }

    private string UniqueName(IMethodSymbol m)
    {
        var type = m.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        var name = m.MethodKind switch
        {
            MethodKind.Constructor => type + "..ctor",
            _ => type + "." + m.Name,
        };
        var unique = name;
        for (var k = 2; !_names.Add(unique); k++) unique = name + "#" + k;
        return unique;
    }

    /// <summary>Whether a struct instance method hands its (possibly changed) this back as extra results.</summary>
    public static bool CopiesOutThis(IMethodSymbol m)
    {
        if (m.IsStatic || !m.ContainingType.IsValueType) return false;
        if (m.MethodKind == MethodKind.Constructor) return true;
        return !m.IsReadOnly && !m.ContainingType.IsReadOnly;
    }

    /// <summary>Whether the method's body is C# source this compiler compiles (the program's or the runtime's).</summary>
    public bool IsCompiled(IMethodSymbol m) => m.DeclaringSyntaxReferences.Length > 0 || m.IsImplicitlyDeclared && m.ContainingType.DeclaringSyntaxReferences.Length > 0;

    /// <summary>An implicit parameterless constructor with no field initializers: nothing to run.</summary>
    public bool IsTrivialConstructor(IMethodSymbol ctor) =>
        ctor.IsImplicitlyDeclared && ctor.Parameters.Length == 0 && !InstanceInitializers(ctor.ContainingType).Any();

    public SemanticModel Model(SyntaxTree tree)
    {
        if (!_models.TryGetValue(tree, out var m)) _models[tree] = m = Compilation.GetSemanticModel(tree);
        return m;
    }

    /// <summary>The control flow graph of a method's body, or null when it has none (an implicit constructor).</summary>
    public ControlFlowGraph? BodyOf(IMethodSymbol m)
    {
        var reference = m.DeclaringSyntaxReferences.FirstOrDefault();
        if (reference is null) return null;
        var syntax = reference.GetSyntax();
        if (syntax is PropertyDeclarationSyntax { ExpressionBody: { } arrow }) syntax = arrow;
        if (syntax is ConstructorDeclarationSyntax { Body: null, ExpressionBody: null, Initializer: null }) return null;
        if (syntax is AccessorDeclarationSyntax { Body: null, ExpressionBody: null }) return null;
        return ControlFlowGraph.Create(syntax, Model(syntax.SyntaxTree)) ?? throw new NotSupportedException(CompilerMessages.Unsupported($"the body of {m}"));
    }

    /// <summary>The backing field of an auto-property (reads and writes go straight to it), or null.</summary>
    public IFieldSymbol? BackingField(IPropertySymbol p) =>
        p.ContainingType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, p));

    /// <summary>Instance field and auto-property initializers of a type, in declaration order.</summary>
    public IEnumerable<ControlFlowGraph> InstanceInitializers(INamedTypeSymbol type) => Initializers(type, isStatic: false);

    private IEnumerable<ControlFlowGraph> Initializers(INamedTypeSymbol type, bool isStatic)
    {
        var found = new List<(SyntaxNode Node, int Order)>();
        foreach (var member in type.GetMembers())
        {
            if (member.IsStatic != isStatic) continue;
            if (member is IFieldSymbol { IsConst: false, AssociatedSymbol: null } f)
                foreach (var r in f.DeclaringSyntaxReferences)
                    if (r.GetSyntax() is VariableDeclaratorSyntax { Initializer: { } init }) found.Add((init, r.Span.Start));
            if (member is IPropertySymbol p)
                foreach (var r in p.DeclaringSyntaxReferences)
                    if (r.GetSyntax() is PropertyDeclarationSyntax { Initializer: { } init }) found.Add((init, r.Span.Start));
        }
        foreach (var (node, _) in found.OrderBy(x => x.Node.SyntaxTree.FilePath, StringComparer.Ordinal).ThenBy(x => x.Order))
            yield return ControlFlowGraph.Create(node, Model(node.SyntaxTree)) ?? throw new InvalidOperationException($"no graph for {node}");
    }

    /// <summary>Static field initializers of every type: the runtime's first, then the program's, in declaration order.</summary>
    private IEnumerable<ControlFlowGraph> StaticInitializers()
    {
        var types = new List<INamedTypeSymbol>();
        void Collect(INamespaceOrTypeSymbol ns)
        {
            foreach (var t in ns.GetTypeMembers()) { types.Add(t); Collect(t); }
            if (ns is INamespaceSymbol n) foreach (var child in n.GetNamespaceMembers()) Collect(child);
        }
        Collect(Compilation.Assembly.GlobalNamespace);
        var ordered = types.Where(t => t.DeclaringSyntaxReferences.Length > 0)
            .OrderBy(t => IsRuntime(t.DeclaringSyntaxReferences[0].SyntaxTree) ? 0 : 1)
            .ThenBy(t => t.DeclaringSyntaxReferences[0].SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(t => t.DeclaringSyntaxReferences[0].Span.Start);
        foreach (var t in ordered)
            foreach (var g in Initializers(t, isStatic: true)) yield return g;
    }

    public static bool IsRuntime(SyntaxTree tree) => tree.FilePath.StartsWith(RuntimeSources.PathPrefix, StringComparison.Ordinal);

    /// <summary>A method of the runtime by type, name and (when ≥ 0) number of parameters.</summary>
    public IMethodSymbol RuntimeMethod(string type, string name, int parameters = -1)
    {
        var t = Compilation.GetTypeByMetadataName(type) ?? throw new InvalidOperationException($"runtime type {type} is missing");
        return t.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m => parameters < 0 || m.Parameters.Length == parameters)
            ?? throw new InvalidOperationException($"runtime method {type}.{name}/{parameters} is missing");
    }

    /// <summary>The static object of a string literal.</summary>
    public DataRef StringLiteral(string text)
    {
        if (_strings.TryGetValue(text, out var d)) return d;
        d = new DataRef("str" + _strings.Count, true, new PtrType(new ArrayHeap(new ScalarField(ScalarKind.U16), true), false));
        _strings[text] = d;
        return d;
    }

    /// <summary>The import slot of an entry point (interned).</summary>
    public ImportSlot Import(string entry, FieldType? typeArgument)
    {
        var slot = new ImportSlot(entry, typeArgument);
        if (_imports.TryGetValue(slot, out var known)) return known;
        _imports[slot] = slot;
        return slot;
    }

    /// <summary>The index of a source location (file and line) in the line map.</summary>
    public int LocationOf(Location? location)
    {
        if (location is null || !location.IsInSource) return -1;
        var span = location.GetLineSpan();
        var key = (span.Path, span.StartLinePosition.Line + 1);
        if (_locationIndex.TryGetValue(key, out var index)) return index;
        if (!_fileIndex.TryGetValue(span.Path, out var file))
        {
            file = Lines.Files.Count;
            Lines.Files.Add(span.Path);
            _fileIndex[span.Path] = file;
        }
        index = Lines.Locations.Count;
        Lines.Locations.Add(new SourceLine(file, key.Item2));
        _locationIndex[key] = index;
        return index;
    }
}
