using System.Globalization;
using System.Reflection;
using Iced.Intel;
using Kml.Machine.Translation.Native;
using Shouldly;
using Xunit;
using static Kml.Machine.Translation.Native.X64Registers;
using Label = Kml.Machine.Translation.Native.Label;

namespace Kml.Machine.Tests.Translation;

/// <summary>The native translator's x86-64 encoder against Iced's decoder: every form it emits (Translation/x64-encodings.txt)
/// must decode to exactly the instruction written, and label references must land where the labels were placed.</summary>
public class X64EncoderTests
{
    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        string path = Path.Combine(AppContext.BaseDirectory, "Translation", "x64-encodings.txt");
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            data.Add("x64-encodings.txt", i + 1, line);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encoder_EmitsExactlyTheInstructionWritten(string file, int line, string text)
    {
        var a = new X64Assembler();
        Assemble(a, text, $"{file}:{line}");
        var bytes = a.ToArray();
        var decoder = Iced.Intel.Decoder.Create(64, bytes);
        decoder.Decode(out var ins);
        ins.IsInvalid.ShouldBeFalse($"{file}:{line}: {Convert.ToHexString(bytes)} does not decode");
        ((int)decoder.IP).ShouldBe(bytes.Length, $"{file}:{line}: {Convert.ToHexString(bytes)} is more than one instruction");
        Format(ins).ShouldBe(text, $"{file}:{line}: {Convert.ToHexString(bytes)}");
    }

    [Fact]
    public void Encoder_ResolvesForwardAndBackwardLabels_AndRipRelativeLea()
    {
        var a = new X64Assembler();
        var back = a.CreateLabel();
        var forward = a.CreateLabel();
        a.Label(ref back);
        a.jne(forward);              // 0: 6 bytes
        a.lea(rax, forward);         // 6: 7 bytes
        a.jmp(back);                 // 13: 5 bytes
        a.Label(ref forward);        // 18
        a.ret();
        var bytes = a.ToArray();
        var decoder = Iced.Intel.Decoder.Create(64, bytes, 0x1000);
        var list = new List<Instruction>();
        while (decoder.IP < 0x1000 + (ulong)bytes.Length) list.Add(decoder.Decode());
        list.Select(Format).ShouldBe(["jne 0000000000001012h", "lea rax,[1012h]", "jmp 0000000000001000h", "ret"]);
    }

    [Fact]
    public void Encoder_Rejects_ALabelNeverPlaced()
    {
        var a = new X64Assembler();
        a.jmp(a.CreateLabel());
        Should.Throw<InvalidOperationException>(() => a.ToArray()).Message.ShouldContain("never placed");
    }

    private static string Format(Instruction ins)
    {
        var formatter = new IntelFormatter();
        formatter.Options.MemorySizeOptions = MemorySizeOptions.Always;
        formatter.Options.RipRelativeAddresses = false;
        var output = new StringOutput();
        formatter.Format(ins, output);
        string s = output.ToStringAndReset();
        // lea's memory operand has no size: Iced prints none for it even with MemorySizeOptions.Always.
        return s;
    }

    /// <summary>Calls the encoder method named by the line's mnemonic with its parsed operands.</summary>
    private static void Assemble(X64Assembler a, string text, string where)
    {
        int space = text.IndexOf(' ');
        string mnemonic = space < 0 ? text : text[..space];
        string[] operands = space < 0 ? [] : SplitOperands(text[(space + 1)..]);
        var parsed = operands.Select(o => ParseOperand(o, where)).ToArray();
        foreach (var method in typeof(X64Assembler).GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == mnemonic))
        {
            var ps = method.GetParameters();
            if (ps.Length != parsed.Length) continue;
            var args = new object?[ps.Length];
            bool ok = true;
            for (int i = 0; i < ps.Length && ok; i++) ok = TryConvert(parsed[i], ps[i].ParameterType, out args[i]);
            if (!ok) continue;
            method.Invoke(a, args);
            return;
        }
        throw new InvalidDataException($"{where}: the encoder has no '{mnemonic}' taking ({string.Join(", ", parsed.Select(p => p.GetType().Name))})");
    }

    private static string[] SplitOperands(string s)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '[') depth++;
            else if (s[i] == ']') depth--;
            else if (s[i] == ',' && depth == 0) { parts.Add(s[start..i]); start = i + 1; }
        }
        parts.Add(s[start..]);
        return [.. parts];
    }

    private static object ParseOperand(string o, string where)
    {
        var field = typeof(X64Registers).GetField(o, BindingFlags.Public | BindingFlags.Static);
        if (field != null && o != "__") return field.GetValue(null)!;
        int bracket = o.IndexOf('[');
        if (bracket >= 0)
        {
            string prefix = o[..bracket].Trim();
            var factory = prefix switch
            {
                "byte ptr" => __byte_ptr, "word ptr" => __word_ptr, "dword ptr" => __dword_ptr, "qword ptr" => __qword_ptr, "" => __,
                _ => throw new InvalidDataException($"{where}: unknown memory size '{prefix}'"),
            };
            return factory[ParseAddress(o[(bracket + 1)..o.IndexOf(']')], where)];
        }
        return ParseNumber(o, where);
    }

    private static MemoryExpression ParseAddress(string s, string where)
    {
        int @base = -1, index = -1, scale = 1;
        long disp = 0;
        foreach (var (term, negative) in Terms(s))
        {
            if (term.Contains('*'))
            {
                var parts = term.Split('*');
                index = ((Reg64)typeof(X64Registers).GetField(parts[0])!.GetValue(null)!).Number;
                scale = int.Parse(parts[1], CultureInfo.InvariantCulture);
            }
            else if (typeof(X64Registers).GetField(term) is { } f && f.GetValue(null) is Reg64 r)
            {
                if (@base < 0) @base = r.Number; else { index = r.Number; }
            }
            else disp += (negative ? -1 : 1) * (long)ParseNumber(term, where);
        }
        return new MemoryExpression(@base, index, scale, checked((int)disp));
    }

    private static IEnumerable<(string Term, bool Negative)> Terms(string s)
    {
        int start = 0;
        bool negative = false;
        for (int i = 1; i <= s.Length; i++)
        {
            if (i < s.Length && s[i] is not ('+' or '-')) continue;
            yield return (s[start..i], negative);
            if (i < s.Length) { negative = s[i] == '-'; start = i + 1; }
        }
    }

    private static ulong ParseNumber(string s, string where)
    {
        if (s.EndsWith('h')) return ulong.Parse(s[..^1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)) return v;
        throw new InvalidDataException($"{where}: '{s}' is not a register, memory operand or number");
    }

    private static bool TryConvert(object operand, Type type, out object? value)
    {
        value = null;
        if (operand is ulong n)
        {
            if (type == typeof(ulong)) { value = n; return true; }
            if (type == typeof(int) && (n <= uint.MaxValue || (long)n >= int.MinValue)) { value = unchecked((int)n); return true; }
            if (type == typeof(byte) && n <= byte.MaxValue) { value = (byte)n; return true; }
            return false;
        }
        if (operand.GetType() != type) return false;
        value = operand;
        return true;
    }
}
