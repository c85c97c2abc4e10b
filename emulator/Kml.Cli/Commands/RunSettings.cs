using System.Globalization;

namespace Kml.Cli.Commands;

/// <summary>
/// The options of <c>kml run</c>, as parsed values. <see cref="RunCommand"/> fills them from System.CommandLine's parse
/// result; <see cref="TryParseSimple"/> fills them directly for a plain command line, so a short run does not pay for
/// System.CommandLine at start-up (building the command tree and JIT-compiling its generic option types cost ≈ 14 ms
/// of a 100 ms <c>kml run busybox true</c>; docs/machine.md, "Start-up").
/// </summary>
internal sealed class RunSettings
{
    public const string DefaultCpuModel = "pentium4";
    public const int DefaultMemoryMiB = 512;

    public static readonly string[] Modes = ["user", "kernel"];
    public static readonly string[] SyscallEntries = ["int80", "sysenter", "call"];
    public static readonly string[] CpuModels = ["pentium4", "modern"];

    public string? Mode;
    public int? Protection;
    public string? Syscall;
    public string CpuModel = DefaultCpuModel;
    public double TimeLimit;
    public string? Root;
    public int GenTree;
    public int Memory = DefaultMemoryMiB;
    public bool Stats;
    public string? StatsJson;
    public bool Trace;
    public bool Monitor;
    public string Binary = "";
    public string[] Args = [];

    /// <summary>
    /// Parses <c>run [OPTION VALUE | FLAG]... BINARY [ARGS]... [-- ARGS...]</c> when every token is one this parser
    /// understands exactly as System.CommandLine would; returns null for anything else (help, an unknown or repeated
    /// option, <c>--opt=value</c>, a response file, a value that does not parse or is not among the accepted ones, a
    /// flag followed by true/false, no BINARY), and the caller then parses with System.CommandLine, which reports the
    /// error or handles the case. So this path never changes what a command line means or which errors it gets.
    /// </summary>
    public static RunSettings? TryParseSimple(string[] args)
    {
        if (args.Length < 2 || args[0] != "run") return null;
        var s = new RunSettings();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var positional = new List<string>();
        bool rest = false;
        for (int i = 1; i < args.Length; i++)
        {
            string token = args[i];
            if (token.StartsWith('@')) return null;   // a response file: System.CommandLine expands it
            if (rest)
            {
                positional.Add(token);
                continue;
            }
            if (token == "--")
            {
                rest = true;
                continue;
            }
            if (!token.StartsWith('-'))
            {
                positional.Add(token);
                continue;
            }
            if (!seen.Add(token)) return null;
            // A flag (Option<bool>) takes an optional true/false value: leave that form to System.CommandLine.
            if (token is "--stats" or "--trace" or "--monitor")
            {
                if (i + 1 < args.Length && bool.TryParse(args[i + 1], out _)) return null;
                if (token == "--stats") s.Stats = true;
                else if (token == "--trace") s.Trace = true;
                else s.Monitor = true;
                continue;
            }
            // Every other option takes exactly one value, which must not look like an option.
            if (i + 1 >= args.Length) return null;
            string value = args[++i];
            if (value.StartsWith('-') || value.StartsWith('@')) return null;
            switch (token)
            {
                case "--mode" when Array.IndexOf(Modes, value) >= 0: s.Mode = value; break;
                case "--syscall" when Array.IndexOf(SyscallEntries, value) >= 0: s.Syscall = value; break;
                case "--cpu-model" when Array.IndexOf(CpuModels, value) >= 0: s.CpuModel = value; break;
                case "--protection" when int.TryParse(value, CultureInfo.InvariantCulture, out int level): s.Protection = level; break;
                case "--time-limit" when double.TryParse(value, CultureInfo.InvariantCulture, out double limit): s.TimeLimit = limit; break;
                case "--gen-tree" when int.TryParse(value, CultureInfo.InvariantCulture, out int files): s.GenTree = files; break;
                case "--memory" when int.TryParse(value, CultureInfo.InvariantCulture, out int mib): s.Memory = mib; break;
                case "--root": s.Root = value; break;
                case "--stats-json": s.StatsJson = value; break;
                default: return null;
            }
        }
        if (positional.Count == 0) return null;
        s.Binary = positional[0];
        s.Args = positional.GetRange(1, positional.Count - 1).ToArray();
        return s;
    }
}
