using System.CommandLine;
using Kml.Cli;

var root = new RootCommand("kml: safe kernel-mode programs in C#, on an emulated Kernel Mode Linux.");
foreach (var command in CommandCatalog.Create())
    root.Subcommands.Add(command);

// Our own handler (ErrorReporting) turns exceptions into one-line messages; System.CommandLine's would print stack traces.
var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
return ErrorReporting.Run(() => root.Parse(args).Invoke(invocation));
