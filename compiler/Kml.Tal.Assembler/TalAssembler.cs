using Iced.Intel;
using Kml.Tal.Annotations;
using Kml.Tal.Assembler.Encoding;
using Kml.Tal.Assembler.Syntax;
using Kml.Tal.Elf;
using Kml.Tal.Interface;
using Kml.Tal.Types;

namespace Kml.Tal.Assembler;

/// <summary>
/// Assembles textual TAL into a TAL object (ELF32 with .kml.tal annotations). Untrusted: the checker
/// verifies whatever it produces. Layout: .rodata, .kml.imports, .data and .text on pages of their own
/// from <see cref="TalLayout.ImageBase"/> upward, in that order, so data addresses are known before code is encoded.
/// </summary>
public static class TalAssembler
{
    /// <summary>Assembles source text; throws <see cref="AssemblyException"/> listing every error.</summary>
    /// <param name="source">The TAL source.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="stripLabelNames">Leave label names out of the annotations (they stay in .symtab for tools;
    /// checker messages then name labels by offset). Roughly halves the annotation size of large programs.</param>
    public static TalObject Assemble(string source, string fileName, bool stripLabelNames = false)
    {
        var d = new DiagnosticBag(fileName);
        var lexer = new Lexer(source, d);
        var tokens = lexer.Lex();
        var prog = new Parser(tokens, d, lexer.BadLines).Parse();
        if (d.Any) throw new AssemblyException(d.All);
        var result = new Emitter(prog, d, stripLabelNames).Emit();
        if (d.Any || result is null) throw new AssemblyException(d.All);
        return result;
    }

    /// <summary>Assembles source text to the bytes of an ELF file.</summary>
    public static byte[] AssembleToElf(string source, string fileName, bool stripLabelNames = false) =>
        ElfWriter.Write(Assemble(source, fileName, stripLabelNames));

    private sealed class Emitter(ParsedProgram prog, DiagnosticBag d, bool stripLabelNames)
    {
        private readonly Dictionary<string, uint> _dataSymbols = new(StringComparer.Ordinal);
        private readonly Dictionary<string, uint> _codeLabels = new(StringComparer.Ordinal);
        private Layouts _layouts = null!;

        public TalObject? Emit()
        {
            // The kernel's records, unless the program defines the name itself (the checker rejects that).
            var records = KernelInterface.Records.Where(r => !prog.StructPositions.ContainsKey(r.Name));
            try { _layouts = new Layouts(prog.Structs.Concat(records)); }
            catch (InvalidDataException e)
            {
                d.BadStruct(prog.Structs.Count > 0 ? prog.StructPositions[prog.Structs[0].Name] : new SourcePos(1, 1), e.Message);
                return null;
            }

            // Data sizes, then addresses.
            var ro = new List<(DataItem Item, int Size)>();
            var rw = new List<(DataItem Item, int Size)>();
            foreach (var item in prog.Data)
            {
                var size = SizeOf(item);
                if (size < 0) continue;
                (item.ReadOnly ? ro : rw).Add((item, size));
            }
            var cursor = TalLayout.ImageBase;
            var roAddress = Place(ro, ref cursor);
            var importAddress = prog.Imports.Count > 0 ? cursor : 0;
            if (prog.Imports.Count > 0) cursor = AlignPage(cursor + 4u * (uint)prog.Imports.Count);
            var rwAddress = Place(rw, ref cursor);
            var textAddress = cursor;
            for (var k = 0; k < prog.Imports.Count; k++)
                if (!_dataSymbols.TryAdd(prog.Imports[k].Alias, importAddress + 4u * (uint)k)) d.Duplicate(prog.Imports[k].Pos, prog.Imports[k].Alias);

            var roBytes = Fill(ro, roAddress);
            var rwBytes = Fill(rw, rwAddress);
            var (text, labels) = EncodeText(textAddress);
            if (d.Any || text is null) return null;

            var annotations = new TalAnnotations { ImportTable = importAddress };
            annotations.Structs.AddRange(prog.Structs);
            foreach (var l in labels.Where(l => l.Type is not null)) annotations.Labels.Add(new LabelAnnotation(l.Offset, stripLabelNames ? "" : l.Name, l.Type!));
            var symbols = new List<ElfSymbol>();
            foreach (var l in labels) symbols.Add(new ElfSymbol(l.Name, textAddress + l.Offset, 0, true));
            foreach (var (item, size) in ro.Concat(rw))
            {
                var address = _dataSymbols[item.Name];
                annotations.Data.Add(new DataObject(address, item.Name, item.Struct, item.Element));
                symbols.Add(new ElfSymbol(item.Name, address, (uint)size, false));
            }
            foreach (var i in prog.Imports) annotations.Imports.Add(new ImportEntry(i.Entry, i.TypeArgument));
            if (!_codeLabels.TryGetValue(prog.Entry, out var entry)) { d.NoEntry(prog.EntryPos, prog.Entry); return null; }

            return new TalObject
            {
                Text = new TalSection(textAddress, text),
                RoData = roBytes.Length > 0 ? new TalSection(roAddress, roBytes) : null,
                Imports = prog.Imports.Count > 0 ? new TalSection(importAddress, new byte[4 * prog.Imports.Count]) : null,
                Data = rwBytes.Length > 0 ? new TalSection(rwAddress, rwBytes) : null,
                Entry = entry,
                Annotations = AnnotationWriter.Write(annotations),
                Symbols = symbols,
            };
        }

        private static uint AlignPage(uint v) => (v + TalLayout.PageSize - 1) / TalLayout.PageSize * TalLayout.PageSize;

        private uint Place(List<(DataItem Item, int Size)> items, ref uint cursor)
        {
            var start = cursor;
            var at = cursor;
            foreach (var (item, size) in items)
            {
                at = (at + 3) & ~3u;
                if (!_dataSymbols.TryAdd(item.Name, at)) d.Duplicate(item.Pos, item.Name);
                at += (uint)size;
            }
            if (items.Count > 0) cursor = AlignPage(at);
            return start;
        }

        private int CellsPerElement(FieldType e) => _layouts.CellsOf(e, true, "").Length;

        private int SizeOf(DataItem item)
        {
            try
            {
                if (item.Struct is not null)
                {
                    var s = _layouts.Struct(item.Struct);
                    if (item.Cells is { } c && c.Count != _layouts.Cells(item.Struct).Length)
                        throw d.BadData(item.Pos, $"struct {item.Struct} has {_layouts.Cells(item.Struct).Length} cells, found {c.Count} values");
                    return s.Size;
                }
                var e = item.Element!;
                _layouts.ValidateField(e);
                var esize = _layouts.SizeOf(e);
                long count = item.Literal is { } lit ? lit.Length / esize : item.Cells is { } cells ? cells.Count / CellsPerElement(e) : item.ZeroCount;
                if (item.Cells is { } cl && cl.Count % CellsPerElement(e) != 0)
                    throw d.BadData(item.Pos, $"{cl.Count} values do not fill whole elements of {e} ({CellsPerElement(e)} cells each)");
                var total = TalLayout.ArrayHeader + count * esize;
                if (count < 0 || total > 1 << 24) throw d.BadData(item.Pos, $"array of {count} elements is too large for static data");
                return (int)total;
            }
            catch (InvalidDataException ex) { d.BadData(item.Pos, ex.Message); return -1; }
            catch (AsmException) { return -1; }
        }

        private byte[] Fill(List<(DataItem Item, int Size)> items, uint start)
        {
            if (items.Count == 0) return [];
            var last = items[^1];
            var bytes = new byte[_dataSymbols[last.Item.Name] + (uint)last.Size - start];
            foreach (var (item, size) in items)
            {
                var at = (int)(_dataSymbols[item.Name] - start);
                try
                {
                    if (item.Struct is not null)
                    {
                        if (item.Cells is { } values) WriteCells(bytes, at, _layouts.Cells(item.Struct), values, 0);
                        continue;
                    }
                    var e = item.Element!;
                    var esize = _layouts.SizeOf(e);
                    var count = (size - TalLayout.ArrayHeader) / esize;
                    BitConverter.TryWriteBytes(bytes.AsSpan(at), (uint)count);
                    if (item.Literal is { } lit) lit.CopyTo(bytes, at + TalLayout.ArrayHeader);
                    else if (item.Cells is { } cells)
                    {
                        var cellsOf = _layouts.CellsOf(e, true, "");
                        for (var i = 0; i < count; i++)
                            WriteCells(bytes, at + TalLayout.ArrayHeader + i * esize, cellsOf, cells, i * cellsOf.Length);
                    }
                }
                catch (AsmException) { }
            }
            return bytes;
        }

        private void WriteCells(byte[] bytes, int at, Cell[] cells, List<DataValue> values, int first)
        {
            for (var c = 0; c < cells.Length; c++)
            {
                var v = values[first + c].Value;
                long value = v.Constant;
                if (v.Symbol is "null") value += 0;
                else if (v.Symbol is { } s)
                {
                    if (!_dataSymbols.TryGetValue(s, out var a)) throw d.UnknownSymbol(v.Pos, s);
                    value += a;
                }
                var span = bytes.AsSpan(at + cells[c].Offset);
                switch (cells[c].Size)
                {
                    case 1: span[0] = (byte)value; break;
                    case 2: BitConverter.TryWriteBytes(span, (ushort)value); break;
                    default: BitConverter.TryWriteBytes(span, (uint)value); break;
                }
            }
        }

        private sealed class Item
        {
            public required TextItem Source;
            public Instruction Instruction;
            public int Length;
            public byte[]? Bytes;
            public bool IsBranch;
            public Code Short, Near;
            public int NearLength;
            public Expr? Target;
            public uint Offset;
        }

        private sealed record PlacedLabel(string Name, uint Offset, CodeType? Type);

        private (byte[]? Text, List<PlacedLabel> Labels) EncodeText(uint textAddress)
        {
            var items = new List<Item>();
            foreach (var t in prog.Text)
            {
                try
                {
                    switch (t)
                    {
                        case LabelItem: items.Add(new Item { Source = t }); break;
                        case BytesItem b: items.Add(new Item { Source = t, Bytes = b.Bytes, Length = b.Bytes.Length }); break;
                        case InstrItem ins: items.Add(Select(ins)); break;
                    }
                }
                catch (AsmException) { }
            }
            var labelNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var l in prog.Text.OfType<LabelItem>())
                if (!labelNames.Add(l.Name) || _dataSymbols.ContainsKey(l.Name)) d.Duplicate(l.Pos, l.Name);
            if (d.Any) return (null, []);

            // Branch relaxation: start short, lengthen what does not reach, until nothing changes.
            while (true)
            {
                uint offset = 0;
                foreach (var it in items)
                {
                    it.Offset = offset;
                    if (it.Source is LabelItem l) _codeLabels[l.Name] = textAddress + offset;
                    offset += (uint)it.Length;
                }
                var changed = false;
                foreach (var it in items.Where(i => i.IsBranch && i.Length == 2))
                {
                    var target = BranchTarget(it);
                    if (target is null) return (null, []);
                    var disp = (long)target.Value - (textAddress + it.Offset + 2);
                    if (disp is < -128 or > 127) { it.Length = it.NearLength; changed = true; }
                }
                if (!changed) break;
            }

            var writer = new BytesWriter();
            var encoder = Encoder.Create(32, writer);
            foreach (var it in items)
            {
                if (it.Bytes is not null) { writer.Write(it.Bytes); continue; }
                if (it.Source is LabelItem) continue;
                var ip = textAddress + it.Offset;
                if (it.IsBranch)
                {
                    var target = BranchTarget(it)!.Value;
                    it.Instruction = Instruction.CreateBranch(it.Length == 2 ? it.Short : it.Near, target);
                }
                var before = writer.Count;
                if (!encoder.TryEncode(it.Instruction, ip, out _, out var why))
                {
                    d.Encoding(it.Source.Pos, ((InstrItem)it.Source).Mnemonic, why);
                    return (null, []);
                }
                if (writer.Count - before != it.Length)
                {
                    d.Encoding(it.Source.Pos, ((InstrItem)it.Source).Mnemonic, $"length changed from {it.Length} to {writer.Count - before}");
                    return (null, []);
                }
            }
            var labels = items.Where(i => i.Source is LabelItem).Select(i => { var l = (LabelItem)i.Source; return new PlacedLabel(l.Name, i.Offset, l.Type); }).ToList();
            foreach (var group in labels.Where(l => l.Type is not null).GroupBy(l => l.Offset).Where(g => g.Count() > 1))
            {
                var second = group.Skip(1).First();
                var pos = prog.Text.OfType<LabelItem>().First(l => l.Name == second.Name).Pos;
                d.SameOffset(pos, group.First().Name, second.Name);
            }
            return (writer.ToArray(), labels);
        }

        private uint? BranchTarget(Item it)
        {
            var t = it.Target!;
            if (t.Symbol is null) return (uint)t.Constant;
            if (!_codeLabels.TryGetValue(t.Symbol, out var a)) { d.UnknownSymbol(t.Pos, t.Symbol); return null; }
            return (uint)(a + t.Constant);
        }

        private Item Select(InstrItem ins)
        {
            var branch = InstructionSelector.BranchCodes(ins.Mnemonic);
            if (branch is { } codes && ins.Operands is [ImmOperand target] && (target.Value.Symbol is null || !_dataSymbols.ContainsKey(target.Value.Symbol)))
            {
                var nearLength = codes.Near.ToOpCode().Code switch
                {
                    Code.Jmp_rel32_32 or Code.Call_rel32_32 => 5,
                    _ => 6,
                };
                return new Item
                {
                    Source = ins, IsBranch = true, Short = codes.Short, Near = codes.Near, NearLength = nearLength,
                    Length = codes.Short == Code.INVALID ? nearLength : 2, Target = target.Value,
                };
            }
            var resolved = new List<InstructionSelector.Resolved>();
            foreach (var op in ins.Operands)
            {
                resolved.Add(op switch
                {
                    RegOperand r => new InstructionSelector.Reg(r.Reg),
                    ImmOperand i => new InstructionSelector.Imm(Value(i.Value)),
                    MemOperand m => new InstructionSelector.Mem(m.Size, m.Base, m.Index, m.Scale, Value(m.Disp)),
                    _ => throw d.Expected(op.Pos, "an operand", "something else"),
                });
            }
            if (CodeTable.Candidates(ins.Mnemonic) is null) throw d.UnknownMnemonic(ins.Pos, ins.Mnemonic);
            var selected = InstructionSelector.Select(ins.Mnemonic, resolved, out var error);
            if (selected is null)
            {
                if (error == "size") throw d.OperandSize(ins.Pos);
                throw d.NoEncoding(ins.Pos, ins.Mnemonic, error);
            }
            var instruction = selected.Value.Instruction;
            var length = selected.Value.Length;
            if (ins.Lock) { instruction.HasLockPrefix = true; length++; }
            return new Item { Source = ins, Instruction = instruction, Length = length };
        }

        private long Value(Expr e)
        {
            if (e.Symbol is null) return e.Constant;
            if (e.Symbol == "null") return e.Constant;
            if (_dataSymbols.TryGetValue(e.Symbol, out var a)) return a + e.Constant;
            throw d.UnknownSymbol(e.Pos, e.Symbol);
        }
    }

    private sealed class BytesWriter : CodeWriter
    {
        private readonly MemoryStream _s = new();
        public int Count => (int)_s.Length;
        public override void WriteByte(byte value) => _s.WriteByte(value);
        public void Write(byte[] b) => _s.Write(b);
        public byte[] ToArray() => _s.ToArray();
    }
}
