using Kml.Cli.Commands;
using Shouldly;

namespace Kml.Cli.Tests;

/// <summary>
/// <c>kml run</c> has two parsers: a quick one for plain command lines (start-up time) and System.CommandLine for
/// everything else. For every case in Cases/run-command-lines.txt, the quick parser either declines or yields exactly
/// the settings System.CommandLine yields; the file also pins which forms take the quick path.
/// </summary>
public class RunCommandLineTests
{
    public static TheoryData<string, int, string, bool> Cases()
    {
        var data = new TheoryData<string, int, string, bool>();
        string path = Path.Combine(AppContext.BaseDirectory, "Cases", "run-command-lines.txt");
        int line = 0;
        foreach (string raw in File.ReadLines(path))
        {
            line++;
            if (raw.Length == 0 || raw.StartsWith('#')) continue;
            int arrow = raw.LastIndexOf(" => ", StringComparison.Ordinal);
            if (arrow < 0) throw new InvalidDataException($"{path}:{line}: expected 'COMMAND LINE => simple|fallback'");
            string verdict = raw[(arrow + 4)..].Trim();
            if (verdict is not ("simple" or "fallback")) throw new InvalidDataException($"{path}:{line}: unknown verdict '{verdict}'");
            data.Add("run-command-lines.txt", line, raw[..arrow], verdict == "simple");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void QuickParser_AgreesWithSystemCommandLine(string file, int line, string commandLine, bool quick)
    {
        string[] args = commandLine.Split(' ').Select(w => w == "<empty>" ? "" : w).ToArray();
        var simple = RunSettings.TryParseSimple(args);
        (simple != null).ShouldBe(quick, $"{file}:{line}: {commandLine}");
        if (simple == null) return;
        var full = RunCommand.ParseWithSystemCommandLine(args);
        full.ShouldNotBeNull($"{file}:{line}: System.CommandLine rejects what the quick parser accepts");
        Describe(simple).ShouldBe(Describe(full), $"{file}:{line}: {commandLine}");
    }

    private static string Describe(RunSettings s) =>
        $"mode={s.Mode} protection={s.Protection} syscall={s.Syscall} cpu={s.CpuModel} limit={s.TimeLimit} root={s.Root} " +
        $"tree={s.GenTree} memory={s.Memory} stats={s.Stats} json={s.StatsJson} trace={s.Trace} monitor={s.Monitor} " +
        $"binary={s.Binary} args=[{string.Join("|", s.Args)}]";
}
