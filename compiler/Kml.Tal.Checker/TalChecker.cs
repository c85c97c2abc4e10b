using Iced.Intel;
using Kml.Tal.Annotations;
using Kml.Tal.Elf;
using Kml.Tal.Types;

namespace Kml.Tal.Checker;

/// <summary>
/// The TAL checker: the security boundary. It decodes .text itself (Iced, 32-bit mode) in one linear
/// pass, requires every annotated label to be an instruction start of that decode, applies the allow-list
/// to every instruction, and types each reachable instruction against the current state, which comes from
/// the label annotations (never inferred): every jump, call, return and fall-through is checked against its
/// target's annotation. It never throws on hostile input: malformed files and annotations are diagnostics.
/// </summary>
public sealed partial class TalChecker
{
    /// <summary>The most diagnostics reported for one program.</summary>
    public const int MaxDiagnostics = 100;

    private readonly ProgramContext _ctx;
    private readonly List<CheckerDiagnostic> _diagnostics;
    private readonly uint _textBase;
    private MachineState? _s;                      // the current state, or null where code is unreachable
    private readonly MachineState _state = MachineState.FromCode(CodeType.Empty()); // reused for every label
    private readonly ValType[] _taken = new ValType[Gpr.Count];                    // jcc's taken-side registers
    private Instruction _ins;

    private TalChecker(ProgramContext ctx, List<CheckerDiagnostic> diagnostics)
    {
        _ctx = ctx;
        _diagnostics = diagnostics;
        _textBase = ctx.Object.Text.Address;
    }

    /// <summary>Checks the bytes of an object file.</summary>
    public static CheckResult Check(byte[] file)
    {
        TalObject obj;
        try { obj = ElfReader.Read(file); }
        catch (InvalidDataException e) { return new CheckResult([new CheckerDiagnostic("object", Rules.MalformedObject, e.Message)], 0, 0, 0, 0); }
        return Check(obj);
    }

    /// <summary>Checks a read object.</summary>
    public static CheckResult Check(TalObject obj)
    {
        var diagnostics = new List<CheckerDiagnostic>();
        TalAnnotations annotations;
        try { annotations = AnnotationReader.Read(obj.Annotations); }
        catch (InvalidDataException e)
        {
            return new CheckResult([new CheckerDiagnostic("annotations", Rules.BadAnnotation, e.Message)], 0, 0, obj.Text.Bytes.Length, obj.Annotations.Length);
        }
        var ctx = ProgramContext.Build(obj, annotations, diagnostics);
        var instructions = 0;
        var starts = new System.Collections.BitArray(obj.Text.Bytes.Length);
        if (ctx is not null)
        {
            var checker = new TalChecker(ctx, diagnostics);
            checker.CheckEntry();
            instructions = checker.CheckCode(starts);
        }
        if (diagnostics.Count > MaxDiagnostics) diagnostics.RemoveRange(MaxDiagnostics, diagnostics.Count - MaxDiagnostics);
        return new CheckResult(diagnostics, instructions, annotations.Labels.Count, obj.Text.Bytes.Length, obj.Annotations.Length) { InstructionStarts = starts };
    }

    private void CheckEntry()
    {
        var offset = _ctx.Object.Entry - _textBase;
        if (!_ctx.Labels.TryGetValue(offset, out var label))
        {
            _diagnostics.Add(new($"entry 0x{_ctx.Object.Entry:x8}", Rules.BadEntry, "expected an annotated label"));
            return;
        }
        // The kernel starts a program with nothing typed: all registers uninit, no known stack slots.
        var initial = MachineState.FromCode(CodeType.Empty());
        var problem = Instantiation.Match(initial.Regs, initial, label.Type, false, out _);
        if (problem is not null) _diagnostics.Add(new($"entry 0x{_ctx.Object.Entry:x8}", Rules.BadEntry, problem));
    }

    private int CheckCode(System.Collections.BitArray starts)
    {
        var text = _ctx.Object.Text.Bytes;
        var labelOffsets = _ctx.Annotations.Labels.Select(l => l.Offset).Where(_ctx.Labels.ContainsKey).ToArray();
        var nextLabel = 0;
        var decoder = Decoder.Create(32, new ByteArrayCodeReader(text), _textBase, DecoderOptions.None);
        var count = 0;
        uint offset = 0;
        _s = null;
        while (offset < (uint)text.Length && _diagnostics.Count <= MaxDiagnostics)
        {
            decoder.Decode(out _ins);
            count++;
            if (_ins.IsInvalid)
            {
                // Without a decode, instruction boundaries after this point are unknown: stop here.
                var rule = decoder.LastError == DecoderError.NoMoreBytes ? Rules.Truncated : Rules.Undecodable;
                _diagnostics.Add(new($"0x{offset:x4}: (bytes {Hex(text, offset)})", rule, ""));
                return count;
            }
            var length = (uint)_ins.Length;
            starts[(int)offset] = true;
            if (nextLabel < labelOffsets.Length && labelOffsets[nextLabel] == offset)
            {
                var label = _ctx.Labels[offset];
                if (_s is not null) Transfer(_s.Regs, label, "fall-through", Rules.TransferMismatch, offset);
                _state.Reset(label.Type);
                _s = _state;
                nextLabel++;
            }
            while (nextLabel < labelOffsets.Length && labelOffsets[nextLabel] < offset + length)
            {
                var inside = _ctx.Labels[labelOffsets[nextLabel]];
                _diagnostics.Add(new($"label {inside.Name}@0x{inside.Offset:x4}", Rules.LabelNotInstructionStart,
                    $"expected a label at 0x{offset:x4} or 0x{offset + length:x4}, found it inside {Format()}"));
                nextLabel++;
            }
            var banned = AllowList.Check(_ins, text.AsSpan((int)offset, (int)length));
            if (banned is not null)
            {
                Report(offset, banned.Value.Rule, banned.Value.Detail);
                _s = null;
            }
            else if (_s is not null)
            {
                try { Step(); }
                catch (Reject r)
                {
                    Report(offset, r.Rule, r.Detail);
                    _s = null; // unreachable until the next label restores a state: no cascades
                }
            }
            offset += length;
        }
        if (_s is not null) Report(offset - (uint)_ins.Length, Rules.FallOffEnd, "");
        return count;
    }

    private void Report(uint offset, string rule, string detail) =>
        _diagnostics.Add(new($"0x{offset:x4}: {Format()}", rule, detail));

    private string Format()
    {
        var output = new StringOutput();
        (_formatter ??= new IntelFormatter()).Format(_ins, output);
        return output.ToStringAndReset();
    }

    // One per checker: Iced's formatters keep working buffers, so a formatter shared by checkers on several threads
    // garbled messages ("jo short h08049020h").
    private IntelFormatter? _formatter;

    private static string Hex(byte[] text, uint offset) =>
        Convert.ToHexString(text, (int)offset, Math.Min(15, text.Length - (int)offset)).ToLowerInvariant();

    /// <summary>Checks a jump or fall-through from <paramref name="regs"/> (and the current stack) to a label.</summary>
    private void Transfer(ValType[] regs, LabelAnnotation label, string how, string rule, uint offset)
    {
        var problem = Instantiation.Match(regs, _s!, label.Type, false, out _);
        if (problem is null) return;
        var detail = $"{how} to {LabelName(label)}: {problem}";
        if (how == "fall-through") Report(offset, rule, detail);
        else throw new Reject(rule, detail);
    }

    private static string LabelName(LabelAnnotation l) => l.Name.Length > 0 ? l.Name : $"0x{l.Offset:x4}";

    /// <summary>A rule broken by the current instruction.</summary>
    private sealed class Reject(string rule, string detail) : Exception(rule)
    {
        public string Rule { get; } = rule;
        public string Detail { get; } = detail;
    }
}
