using System.Globalization;

namespace Kml.Machine.Tests.Support;

/// <summary>
/// One differential case from <c>Cases/*.txt</c>: <c>asm; asm | assignments [| options]</c>, '#' starts a comment.
/// Assignments: <c>eax=V</c> (V: number, <c>mem+N</c>, <c>top-N</c> = the initial stack top minus N),
/// <c>flags=CF|ZF|…</c>, memory at <c>mem+N</c>: <c>b@N=</c>, <c>w@N=</c>, <c>d@N=</c>, <c>q@N=</c>, <c>f32@N=</c>, <c>f64@N=</c>.
/// Options: <c>undef=OF,AF</c> (flags not compared beyond what Iced marks undefined), <c>strict=OF</c> (compare a flag Iced marks undefined),
/// <c>patch=N:HEX</c> (the emulator runs the native code with the bytes at offset N replaced by HEX: for encodings whose
/// meaning differs between this host and the emulated CPU, such as <c>F3 0F BC</c>, tzcnt here and rep bsf there).
/// </summary>
public sealed record InstructionCase(string File, int Line, string[] Asm, IReadOnlyList<(string Target, string Value)> Init, uint Undefined, uint Strict,
    IReadOnlyList<(int Offset, byte[] Bytes)> Patches)
{
    public static readonly string[] FlagNames = ["CF", "PF", "AF", "ZF", "SF", "OF", "DF"];

    public static uint FlagBit(string name) => name.Trim().ToUpperInvariant() switch
    {
        "CF" => 0x1, "PF" => 0x4, "AF" => 0x10, "ZF" => 0x40, "SF" => 0x80, "DF" => 0x400, "OF" => 0x800,
        var n => throw new InvalidDataException($"unknown flag '{n}' (expected CF, PF, AF, ZF, SF, OF or DF)"),
    };

    public static uint Flags(string list)
    {
        uint f = 0;
        foreach (var n in list.Split(['|', ','], StringSplitOptions.RemoveEmptyEntries)) f |= FlagBit(n);
        return f;
    }

    public static List<InstructionCase> Load(string path)
    {
        var list = new List<InstructionCase>();
        var lines = System.IO.File.ReadAllLines(path);
        string name = Path.GetFileName(path);
        for (int i = 0; i < lines.Length; i++)
        {
            string text = lines[i];
            int hash = text.IndexOf('#');
            if (hash >= 0) text = text[..hash];
            if (string.IsNullOrWhiteSpace(text)) continue;
            var parts = text.Split('|');
            if (parts.Length < 2 && !text.Contains('|'))
                parts = [text, ""];
            var asm = parts[0].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var init = new List<(string, string)>();
            uint undef = 0, strict = 0;
            var patches = new List<(int, byte[])>();
            // parts[1] holds assignments; a flags list like flags=CF|ZF was split on '|': re-join the pieces that look like flag names.
            var rest = parts.Skip(1).ToList();
            string assignments = "", options = "";
            int k = 0;
            if (rest.Count > 0)
            {
                assignments = rest[0];
                k = 1;
                while (k < rest.Count && IsFlagContinuation(rest[k])) { assignments += "|" + rest[k]; k++; }
                if (k < rest.Count) options = string.Join("|", rest.Skip(k));
            }
            foreach (var tok in assignments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = tok.IndexOf('=');
                if (eq <= 0) throw new InvalidDataException($"{name}:{i + 1}: expected name=value, found '{tok}'");
                init.Add((tok[..eq].ToLowerInvariant(), tok[(eq + 1)..]));
            }
            foreach (var tok in options.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (tok.StartsWith("undef=")) undef |= Flags(tok[6..]);
                else if (tok.StartsWith("strict=")) strict |= Flags(tok[7..]);
                else if (tok.StartsWith("patch=") && tok[6..].Split(':') is [var at, var hex] && int.TryParse(at, out int offset) && hex.Length % 2 == 0)
                    patches.Add((offset, Convert.FromHexString(hex)));
                else throw new InvalidDataException($"{name}:{i + 1}: unknown option '{tok}' (expected undef=, strict= or patch=OFFSET:HEX)");
            }
            list.Add(new InstructionCase(name, i + 1, asm, init, undef, strict, patches));
        }
        return list;
    }

    private static bool IsFlagContinuation(string s)
    {
        var t = s.Trim();
        int sp = t.IndexOf(' ');
        string head = sp < 0 ? t : t[..sp];
        return FlagNames.Contains(head.ToUpperInvariant());
    }

    public static uint ParseNumber(string v)
    {
        v = v.Trim();
        bool neg = v.StartsWith('-');
        if (neg) v = v[1..];
        ulong x = v.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(v[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(v, CultureInfo.InvariantCulture);
        return neg ? (uint)(-(long)x) : (uint)x;
    }

    public static ulong ParseNumber64(string v)
    {
        v = v.Trim();
        bool neg = v.StartsWith('-');
        if (neg) v = v[1..];
        ulong x = v.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(v[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(v, CultureInfo.InvariantCulture);
        return neg ? (ulong)(-(long)x) : x;
    }

    public override string ToString() => $"{File}:{Line}: {string.Join("; ", Asm)}";
}
