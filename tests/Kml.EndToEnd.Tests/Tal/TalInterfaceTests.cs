using System.Text.RegularExpressions;
using Kml.Kernel;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests.Tal;

/// <summary>
/// The typed kernel interface's run-time checks and results (Tal/Cases/interface.txt): bounds of byte ranges, paths,
/// descriptors, records, 64-bit offsets, sockets, the program's arguments. Every case must give the same status in ring 0 and ring 3.
/// </summary>
public sealed class TalInterfaceTests
{
    public static IEnumerable<object[]> Cases() =>
        from c in TalCase.Load("interface.txt")
        from level in new[] { 4, 2 }
        select new object[] { c, level };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Entry_ChecksAndAnswers_AsTheCaseSays(TalCase c, int level)
    {
        string root = Directory.CreateTempSubdirectory("kml-tal-if-").FullName;
        try
        {
            if (c.Get("root") is { } file)
            {
                int eq = file.IndexOf('=');
                string path = Path.Combine(root, file[..eq]);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, Regex.Unescape(file[(eq + 1)..]));
            }
            string[] arguments = c.Get("args") is { } args ? args.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
            var run = TalRunner.Run(TalRunner.Assemble(c.Source, c.Name), c.Name, ProtectionLevel.FromNumber(level), root: root, monitor: level == 4,
                arguments: arguments);
            run.Report.Accepted.ShouldBeTrue(string.Join("\n", run.Report.Diagnostics));
            run.Result.ExitCode.ShouldBe(int.Parse(c.Get("exit")!), run.ToString());
            if (c.Get("stdout") is { } stdout) run.Result.StdoutText.ShouldBe(Regex.Unescape(stdout));
            run.Report.Violations.ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
