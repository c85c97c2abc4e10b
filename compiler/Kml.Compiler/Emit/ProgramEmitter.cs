using Iced.Intel;
using Kml.Compiler.CodeGen;
using Kml.Compiler.Ir;
using Kml.Compiler.Lowering;
using Kml.Compiler.Optimization;
using Kml.Compiler.Tal;
using Kml.Compiler.Types;
using Kml.Tal;
using Kml.Tal.Annotations;
using Kml.Tal.Elf;
using Kml.Tal.Interface;
using Kml.Tal.Lines;
using Kml.Tal.Types;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Compiler.CodeGen;

/// <summary>
/// Turns the lowered program into a TAL object: lays out .rodata (string literals), the import table (allocators
/// first) and .data (the statics object), compiles every function (optimisation, register allocation, code),
/// adds the shared panic stubs, assembles .text with Iced at its address, and writes the annotations, the
/// symbols and the line map.
/// </summary>
internal sealed class ProgramEmitter
{
    private readonly ProgramLowering _p;
    private readonly Assembler _a = new(32);
    private readonly Dictionary<IrFunction, Label> _functionLabels = [];
    private readonly Dictionary<(int Kind, int Location), Label> _stubs = [];
    private readonly List<(Label Label, string Name, CodeType Type, bool Function)> _annotations = [];
    private readonly List<(int Instruction, int Location)> _lines = [];
    private readonly Dictionary<ImportSlot, uint> _importAddresses = [];
    private int _lastLabelAt = -1;
    private int _lastLocation = int.MinValue;
    private Label _panicCommon;

    public ProgramEmitter(ProgramLowering program) => _p = program;

    /// <summary>Per function: the IR after optimisation and the allocation (for listings and tests).</summary>
    public List<(IrFunction Function, LinearScan Allocation)> Compiled { get; } = [];

    public TalObject Emit(CompilerOptions options)
    {
        // Data: string literals in .rodata, the import table, the statics object in .data; code after them.
        var cursor = TalLayout.ImageBase;
        var rodata = new MemoryStream();
        var dataObjects = new List<DataObject>();
        var symbols = new List<ElfSymbol>();
        var roStart = cursor;
        foreach (var (literal, data) in _p.Strings)
        {
            while (rodata.Length % 4 != 0) rodata.WriteByte(0);
            data.Address = roStart + (uint)rodata.Length;
            var bytes = new byte[4 + 2 * literal.Length];
            BitConverter.TryWriteBytes(bytes.AsSpan(0), literal.Length);
            for (var i = 0; i < literal.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(4 + 2 * i), literal[i]);
            rodata.Write(bytes);
            dataObjects.Add(new DataObject(data.Address, data.Name, null, new ScalarField(ScalarKind.U16)));
            symbols.Add(new ElfSymbol(data.Name, data.Address, (uint)bytes.Length, false));
        }
        if (rodata.Length > 0) cursor = AlignPage(roStart + (uint)rodata.Length);

        // The native test runner gives each allocator slot its own stub, numbered from the table's start: allocators first.
        var imports = _p.Imports.OrderBy(i => i.TypeArgument is null ? 1 : 0).ThenBy(i => i.ToString(), StringComparer.Ordinal).ToList();
        if (!imports.Any(i => i.Entry == "exit")) imports.Add(_p.Import("exit", null));
        if (!imports.Any(i => i.Entry == "panic")) imports.Add(_p.Import("panic", null));
        var importTable = cursor;
        for (var k = 0; k < imports.Count; k++)
        {
            imports[k].Index = k;
            _importAddresses[imports[k]] = importTable + 4u * (uint)k;
        }
        cursor = AlignPage(importTable + 4u * (uint)imports.Count);

        // Statics: laid out while lowering; the object is zero (initializers run at the start of the program).
        var statics = _p.Types.StaticsStruct;
        _p.Statics.Address = cursor;
        dataObjects.Add(new DataObject(cursor, TypeLayouts.StaticsName, TypeLayouts.StaticsName, null));
        symbols.Add(new ElfSymbol(TypeLayouts.StaticsName, cursor, (uint)statics.Size, false));
        var dataBytes = new byte[statics.Size];
        cursor = AlignPage(cursor + (uint)statics.Size);
        var textAddress = cursor;

        foreach (var f in _p.Functions) _functionLabels[f] = _a.CreateLabel(f.Name);
        _panicCommon = _a.CreateLabel("$panic");
        foreach (var f in _p.Functions)
        {
            Passes.Run(f, options);
            var live = new Liveness(f);
            var alloc = new LinearScan(f, live);
            alloc.Run();
            if (options.Optimize)
            {
                NullFacts.Run(f, alloc);
                Cleanup.ThreadEmptyBlocks(f, v => alloc.Intervals[v.Id].Register);
            }
            Compiled.Add((f, alloc));
            var outgoing = 0;
            foreach (var inst in f.Blocks.SelectMany(b => b.Instructions))
            {
                if (inst.Op == Op.Call) outgoing = Math.Max(outgoing, inst.Uses.Length + (inst.Callee!.ResultsInRegisters ? 0 : inst.Callee.ResultTypes.Length));
                else if (inst.Op == Op.CallImport) outgoing = Math.Max(outgoing, inst.Uses.Length);
                else if (inst.Op == Op.Exit) outgoing = Math.Max(outgoing, 1);
            }
            new FunctionEmitter(this, _a, f, alloc, outgoing).Emit();
        }
        EmitStubs();

        var writer = new CodeBytes();
        var result = _a.Assemble(writer, textAddress, BlockEncoderOptions.ReturnNewInstructionOffsets);
        var offsets = result.Result[0].NewInstructionOffsets;
        var text = writer.ToArray();

        var annotations = new TalAnnotations { ImportTable = imports.Count > 0 ? importTable : 0 };
        annotations.Structs.AddRange(_p.Types.Structs);
        annotations.Structs.Add(statics);
        foreach (var (label, name, type, function) in _annotations)
        {
            var offset = (uint)(result.GetLabelRIP(label) - textAddress);
            annotations.Labels.Add(new LabelAnnotation(offset, name, type));
            if (function) symbols.Add(new ElfSymbol(name, textAddress + offset, 0, true));
        }
        annotations.Labels.Sort((x, y) => x.Offset.CompareTo(y.Offset));
        annotations.Data.AddRange(dataObjects);
        annotations.Imports.AddRange(imports.Select(i => new ImportEntry(i.Entry, i.TypeArgument)));

        foreach (var (instruction, location) in _lines)
        {
            if (instruction >= offsets.Length) continue;
            var offset = offsets[instruction];
            if (_p.Lines.Entries.Count > 0 && _p.Lines.Entries[^1].Offset == offset) _p.Lines.Entries[^1] = new LineEntry(offset, location);
            else _p.Lines.Entries.Add(new LineEntry(offset, location));
        }

        var start = _annotations.First(a => a.Name == _p.Functions[0].Name).Label;
        var entry = (uint)result.GetLabelRIP(start);
        return new TalObject
        {
            Text = new TalSection(textAddress, text),
            RoData = rodata.Length > 0 ? new TalSection(roStart, rodata.ToArray()) : null,
            Imports = imports.Count > 0 ? new TalSection(importTable, new byte[4 * imports.Count]) : null,
            Data = new TalSection(_p.Statics.Address, dataBytes),
            Entry = entry,
            Annotations = AnnotationWriter.Write(annotations),
            Symbols = symbols,
            Notes = options.LineMap ? [new NoteSection(LineMap.SectionName, _p.Lines.Write())] : [],
        };
    }

    private static uint AlignPage(uint v) => (v + TalLayout.PageSize - 1) / TalLayout.PageSize * TalLayout.PageSize;

    public Label LabelOf(IrFunction f) => _functionLabels[f];

    public uint ImportAddress(ImportSlot slot) => _importAddresses[slot];

    public ImportSlot Import(string entry) => _importAddresses.Keys.First(k => k.Entry == entry);

    /// <summary>Places a label at the next instruction with its code type.</summary>
    public void PlaceLabel(ref Label label, string name, CodeType type, bool function = false)
    {
        // Two labels may not share an offset (the annotations need strictly increasing offsets).
        if (_lastLabelAt == _a.Instructions.Count) _a.nop();
        _a.Label(ref label);
        _lastLabelAt = _a.Instructions.Count;
        _annotations.Add((label, name, type, function));
    }

    /// <summary>Records the source location of the instructions that follow.</summary>
    public void MarkLocation(int location)
    {
        if (location == _lastLocation) return;
        _lastLocation = location;
        _lines.Add((_a.Instructions.Count, location));
    }

    /// <summary>The shared stub that reports run-time error <paramref name="kind"/> at a location.</summary>
    public Label Stub(int kind, int location)
    {
        if (!_stubs.TryGetValue((kind, location), out var l)) _stubs[(kind, location)] = l = _a.CreateLabel();
        return l;
    }

    private void EmitStubs()
    {
        // Any state may jump to a stub: it needs nothing (and may be up to a page below probed stack).
        var anything = new CodeType(Junk(), [], TalLayout.MaxUnprobed);
        foreach (var ((kind, location), label) in _stubs.ToList())
        {
            var l = label;
            MarkLocation(location);
            PlaceLabel(ref l, $"$panic.{kind}.{location}", anything);
            _a.push(location);
            _a.push(kind);
            _a.jmp(_panicCommon);
        }
        // Flush the console, then panic(kind, location): the runner prints the message and exits with 134.
        var common = new CodeType(Junk(), [IntType.Instance, IntType.Instance]);
        MarkLocation(-1);
        PlaceLabel(ref _panicCommon, "$panic", common);
        var flush = _p.Functions.First(f => f.Name == "Kml.ConsoleOut.Flush");
        _a.call(_functionLabels[flush]);
        _a.call(__dword_ptr[ImportAddress(Import("panic"))]);
    }

    private static ValType[] Junk()
    {
        var regs = new ValType[Gpr.Count];
        Array.Fill(regs, JunkType.Instance);
        return regs;
    }

    private sealed class CodeBytes : CodeWriter
    {
        private readonly MemoryStream _s = new();
        public override void WriteByte(byte value) => _s.WriteByte(value);
        public byte[] ToArray() => _s.ToArray();
    }
}
