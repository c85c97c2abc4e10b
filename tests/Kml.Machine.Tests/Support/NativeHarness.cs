using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kml.Machine.Tests.Support;

/// <summary>Result of running one case natively.</summary>
public sealed record NativeResult(uint Start, int Length, byte[] Code, int Signal, uint FaultEip, uint[] Registers, uint EFlags, byte[] Mem, byte[] Stack);

/// <summary>
/// Compiles every case of <c>Cases/*.txt</c> into one gcc -m32 static program (Native/harness.c plus generated snippets),
/// runs it on this host's CPU and parses its output. The binary and its output are cached by content hash in the temp dir.
/// </summary>
public static class NativeHarness
{
    private static readonly Lazy<(List<InstructionCase> Cases, Dictionary<(string, int), NativeResult> Results, uint Mem, uint Stk, uint StkTop)> State = new(Build);

    public static string CasesDirectory => Path.Combine(AppContext.BaseDirectory, "Cases");

    public static IEnumerable<InstructionCase> AllCases()
        => Directory.GetFiles(CasesDirectory, "*.txt").OrderBy(f => f, StringComparer.Ordinal).SelectMany(InstructionCase.Load);

    public static InstructionCase Case(string file, int line) => State.Value.Cases.Single(c => c.File == file && c.Line == line);
    public static NativeResult Result(string file, int line) => State.Value.Results[(file, line)];
    public static uint MemAddress => State.Value.Mem;
    public static uint StackAddress => State.Value.Stk;
    public static uint StackTop => State.Value.StkTop;

    /// <summary>Resolves an assignment value given the native addresses.</summary>
    public static uint Value(string v, uint mem, uint stkTop)
    {
        v = v.Trim();
        if (v.StartsWith("mem", StringComparison.Ordinal)) return mem + (v.Length > 3 ? InstructionCase.ParseNumber(v[4..]) * (v[3] == '-' ? uint.MaxValue : 1u) : 0u);
        if (v.StartsWith("top", StringComparison.Ordinal)) return stkTop + (v.Length > 3 ? InstructionCase.ParseNumber(v[4..]) * (v[3] == '-' ? uint.MaxValue : 1u) : 0u);
        return InstructionCase.ParseNumber(v);
    }

    private static (List<InstructionCase>, Dictionary<(string, int), NativeResult>, uint, uint, uint) Build()
    {
        var cases = AllCases().ToList();
        var src = new StringBuilder(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Native", "harness.c")));
        src.AppendLine();
        var asm = new StringBuilder(".text\n");
        var asmLines = new List<InstructionCase?> { null };
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            src.Append(CultureInfo.InvariantCulture, $"/* {c.File}:{c.Line} */\nstatic void init_{i}(void) {{\n");
            foreach (var (t, v) in c.Init) src.Append("  ").Append(InitStatement(c, t, v)).Append('\n');
            src.Append("}\n");
            src.Append(CultureInfo.InvariantCulture, $"extern unsigned char case_{i}_start[], case_{i}_end[];\n");
            void Line(string l) { asm.Append(l).Append('\n'); asmLines.Add(c); }
            Line(".p2align 4");
            Line($".globl case_{i}_start");
            Line($"case_{i}_start:");
            Line(".intel_syntax noprefix");
            foreach (var a in c.Asm) Line(a);
            Line(".att_syntax prefix");
            Line($".globl case_{i}_end");
            Line($"case_{i}_end:");
            Line("jmp snippet_exit");
        }
        src.Append("struct test_case cases[] = {\n");
        for (int i = 0; i < cases.Count; i++) src.Append(CultureInfo.InvariantCulture, $"  {{ init_{i}, case_{i}_start, case_{i}_end }},\n");
        src.Append(CultureInfo.InvariantCulture, $"}};\nint case_count = {cases.Count};\n");

        string text = src.ToString();
        string asmText = asm.ToString();
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text + asmText)))[..16].ToLowerInvariant();
        string dir = Path.Combine(Path.GetTempPath(), "kml-machine-harness", hash);
        string output = Path.Combine(dir, "output.txt");
        if (!File.Exists(output))
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "harness.c"), text);
            File.WriteAllText(Path.Combine(dir, "cases.s"), asmText);
            try
            {
                Exec("gcc", $"-m32 -O0 -static -no-pie -fno-pic -o harness harness.c cases.s", dir,
                    "gcc -m32 failed (install the prerequisites with tests/setup/prerequisites.sh)");
            }
            catch (InvalidOperationException e)
            {
                // Point at the case whose assembly text the assembler rejected.
                var m = System.Text.RegularExpressions.Regex.Match(e.Message, @"cases\.s:(\d+): (?:Error|Warning): (.*)");
                if (m.Success && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is var ln && ln < asmLines.Count && asmLines[ln] is { } bad)
                    throw new InvalidDataException($"{bad.File}:{bad.Line}: the assembler rejects the case: {m.Groups[2].Value}");
                throw;
            }
            string o = Exec(Path.Combine(dir, "harness"), "", dir, "the native harness failed");
            File.WriteAllText(output + ".tmp", o);
            File.Move(output + ".tmp", output, overwrite: true);
        }
        var lines = File.ReadAllLines(output);
        var head = lines[0].Split(' ');
        uint mem = uint.Parse(head[1], NumberStyles.HexNumber), stk = uint.Parse(head[3], NumberStyles.HexNumber), top = uint.Parse(head[5], NumberStyles.HexNumber);
        var results = new Dictionary<(string, int), NativeResult>();
        foreach (var l in lines.Skip(1))
        {
            var f = l.Split(' ');
            int idx = int.Parse(f[1], CultureInfo.InvariantCulture);
            var kv = f.Skip(2).Select(x => x.Split('=')).ToDictionary(p => p[0], p => p[1]);
            uint H(string k) => uint.Parse(kv[k], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var regs = Enumerable.Range(0, 8).Select(r => H($"r{r}")).ToArray();
            var c = cases[idx];
            results[(c.File, c.Line)] = new NativeResult(H("start"), int.Parse(kv["len"], CultureInfo.InvariantCulture), Convert.FromHexString(kv["code"]), int.Parse(kv["sig"], CultureInfo.InvariantCulture),
                H("feip"), regs, H("efl"), Convert.FromHexString(kv["mem"]), Convert.FromHexString(kv["stk"]));
        }
        if (results.Count != cases.Count) throw new InvalidOperationException($"the native harness reported {results.Count} of {cases.Count} cases (see {output})");
        return (cases, results, mem, stk, top);
    }

    private static string InitStatement(InstructionCase c, string target, string value)
    {
        string[] regs = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];
        int r = Array.IndexOf(regs, target);
        string V(string v) => v.StartsWith("mem", StringComparison.Ordinal) ? $"((uint32_t)mem{v[3..]})"
            : v.StartsWith("top", StringComparison.Ordinal) ? $"(STK_TOP{v[3..]})" : $"(uint32_t){v}u";
        if (r >= 0) return $"in_state.r[{r}] = {V(value)};";
        if (target == "flags") return $"in_state.eflags = 0x202u | 0x{InstructionCase.Flags(value):x}u;";
        int at = target.IndexOf('@');
        if (at > 0)
        {
            string kind = target[..at], off = target[(at + 1)..];
            return kind switch
            {
                "b" => $"*(uint8_t*)(mem + {off}) = (uint8_t){value};",
                "w" => $"*(uint16_t*)(mem + {off}) = (uint16_t){value};",
                "d" => $"*(uint32_t*)(mem + {off}) = {V(value)};",
                "q" => $"*(uint64_t*)(mem + {off}) = (uint64_t){value}ull;",
                "f32" => $"*(float*)(mem + {off}) = (float){value};",
                "f64" => $"*(double*)(mem + {off}) = (double){value};",
                _ => throw new InvalidDataException($"{c.File}:{c.Line}: unknown memory kind '{kind}' (expected b, w, d, q, f32, f64)"),
            };
        }
        throw new InvalidDataException($"{c.File}:{c.Line}: unknown assignment target '{target}'");
    }

    private static string Exec(string file, string args, string dir, string what)
    {
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{what}: cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(); throw new InvalidOperationException($"{what}: timed out"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{what} (exit {p.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }
}
