using Iced.Intel;

namespace Kml.Tal.Assembler.Encoding;

/// <summary>
/// Mnemonic → the Iced <see cref="Code"/> values that encode it in 32-bit mode with the legacy encoding,
/// built once from Iced's own OpCodeInfo tables (data-driven, not a hand-written opcode map).
/// </summary>
internal static class CodeTable
{
    private static readonly Dictionary<string, List<Code>> ByMnemonic = Build();

    /// <summary>Common alternative spellings.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["jz"] = "je", ["jnz"] = "jne", ["jc"] = "jb", ["jnc"] = "jae", ["jnae"] = "jb", ["jnb"] = "jae", ["jna"] = "jbe", ["jnbe"] = "ja",
        ["jnge"] = "jl", ["jnl"] = "jge", ["jng"] = "jle", ["jnle"] = "jg", ["jpe"] = "jp", ["jpo"] = "jnp",
        ["setz"] = "sete", ["setnz"] = "setne", ["setc"] = "setb", ["setnc"] = "setae", ["setnae"] = "setb", ["setnb"] = "setae",
        ["setna"] = "setbe", ["setnbe"] = "seta", ["setnge"] = "setl", ["setnl"] = "setge", ["setng"] = "setle", ["setnle"] = "setg",
        ["cmovz"] = "cmove", ["cmovnz"] = "cmovne", ["cmovc"] = "cmovb", ["cmovnc"] = "cmovae", ["cmovnae"] = "cmovb", ["cmovnb"] = "cmovae",
        ["cmovna"] = "cmovbe", ["cmovnbe"] = "cmova", ["cmovnge"] = "cmovl", ["cmovnl"] = "cmovge", ["cmovng"] = "cmovle", ["cmovnle"] = "cmovg",
        ["sal"] = "shl", ["retn"] = "ret",
    };

    /// <summary>The candidate codes for a mnemonic (lower case), or null when it is unknown.</summary>
    public static List<Code>? Candidates(string mnemonic)
    {
        if (Aliases.TryGetValue(mnemonic, out var a)) mnemonic = a;
        return ByMnemonic.TryGetValue(mnemonic, out var list) ? list : null;
    }

    private static Dictionary<string, List<Code>> Build()
    {
        var d = new Dictionary<string, List<Code>>(StringComparer.Ordinal);
        foreach (Code code in Enum.GetValues<Code>())
        {
            if (code == Code.INVALID) continue;
            var info = code.ToOpCode();
            // Codes that need a special decoder option (486 cmpxchg, ...) would not decode back as written.
            if (info.Encoding != EncodingKind.Legacy || !info.Mode32 || !info.IsInstruction || info.DecoderOption != DecoderOptions.None) continue;
            var name = info.Mnemonic.ToString().ToLowerInvariant();
            if (!d.TryGetValue(name, out var list)) d[name] = list = [];
            list.Add(code);
        }
        return d;
    }
}
