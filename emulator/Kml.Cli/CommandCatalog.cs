using System.CommandLine;
using Kml.Cli.Commands;

namespace Kml.Cli;

/// <summary>The list of `kml` subcommands; each lives in its own file under Commands/.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create()
    {
        yield return Commands.RunCommand.Create();
        yield return Commands.Bench.CompilerBench.AddTo(Commands.BenchMachineCommand.Create());
        yield return AssembleCommand.Create();
        yield return VerifyCommand.Create();
        yield return BuildCommand.Create();
        yield return DisasmCommand.Create();
    }
}
