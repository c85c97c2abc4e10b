using System.CommandLine;
using System.Runtime.CompilerServices;
using Kml.Cli;
using Kml.Cli.Commands;

// A plain `kml run` command line skips System.CommandLine (its start-up cost is a tenth of a short run); anything else,
// help and errors included, goes through it.
if (RunSettings.TryParseSimple(args) is { } run)
    return ErrorReporting.Run(() => RunCommand.Execute(run));
return ParseAndInvoke(args);

[MethodImpl(MethodImplOptions.NoInlining)]
static int ParseAndInvoke(string[] args)
{
    var root = new RootCommand("kml: safe kernel-mode programs in C#, on an emulated Kernel Mode Linux.");
    foreach (var command in CommandCatalog.Create())
        root.Subcommands.Add(command);

    // Our own handler (ErrorReporting) turns exceptions into one-line messages; System.CommandLine's would print stack traces.
    var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
    return ErrorReporting.Run(() => root.Parse(args).Invoke(invocation));
}
