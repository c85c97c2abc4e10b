using System.Diagnostics;
using Iced.Intel;
using Kml.Tal.Assembler;
using Shouldly;

namespace Kml.Tal.Tests.Assembler;

/// <summary>
/// Differential test of the assembler against GNU as: every line of Cases/instructions.txt must decode to
/// the same instruction (Iced's Intel formatting) from both encoders. Skipped where binutils is absent.
/// </summary>
public sealed class AssemblerDifferentialTests
{
    private static string? Tool(string name) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static void Run(string tool, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, err);
    }

    private static List<string> Decode(byte[] code)
    {
        var decoder = Iced.Intel.Decoder.Create(32, new ByteArrayCodeReader(code), 0);
        var formatter = new IntelFormatter();
        var output = new StringOutput();
        var list = new List<string>();
        while (decoder.IP < (ulong)code.Length)
        {
            decoder.Decode(out var ins);
            formatter.Format(ins, output);
            list.Add(output.ToStringAndReset());
        }
        return list;
    }

    // xchg is symmetric: gas prefers the short eax form (xchg ecx,eax), which is the same instruction.
    private static string Normalize(string instruction)
    {
        if (!instruction.StartsWith("xchg ", StringComparison.Ordinal)) return instruction;
        var ops = instruction[5..].Split(',').Order(StringComparer.Ordinal);
        return "xchg " + string.Join(",", ops);
    }

    [Fact]
    public void Assembler_Encodes_EachInstruction_AsGnuAsDoes()
    {
        var gas = Tool("as");
        var objcopy = Tool("objcopy");
        if (gas is null || objcopy is null) return; // binutils not installed: no reference to compare with
        var lines = File.ReadAllLines(Path.Combine(Corpus.CorpusFile.Directory(), "instructions.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        // Absolute addresses name fixed values so that both assemblers see the same numbers.
        var gasLines = lines.Select(l => l.Replace("[globals]", "[0x8049000]", StringComparison.Ordinal));
        var dir = Directory.CreateTempSubdirectory("kml-gas-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "t.s"), ".intel_syntax noprefix\n.code32\n" + string.Join("\n", gasLines) + "\n");
            Run(gas, $"--32 -o {dir}/t.o {dir}/t.s");
            Run(objcopy, $"-O binary --only-section=.text {dir}/t.o {dir}/t.bin");
            var expected = Decode(File.ReadAllBytes(Path.Combine(dir, "t.bin")));

            var source = ".data\nglobals: .object G [0]\n.struct G { x: mut i32 }\n.text\n_start:\n" +
                string.Join("\n", lines.Select(l => "    " + l.Replace("[globals]", "[0x8049000]", StringComparison.Ordinal))) + "\n";
            var actual = Decode(TalAssembler.Assemble(source, "instructions.tal").Text.Bytes);

            actual.Count.ShouldBe(expected.Count);
            var mismatches = Enumerable.Range(0, lines.Count)
                .Where(i => Normalize(actual[i]) != Normalize(expected[i]))
                .Select(i => $"{lines[i]}: ours {actual[i]}, gas {expected[i]}").ToList();
            mismatches.ShouldBeEmpty();
        }
        finally { Directory.Delete(dir, true); }
    }
}
