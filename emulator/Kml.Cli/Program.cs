using System.CommandLine;
using Kml.Cli;

var root = new RootCommand("kml: safe kernel-mode programs in C#, on an emulated Kernel Mode Linux.");
foreach (var command in CommandCatalog.Create())
    root.Subcommands.Add(command);

return ErrorReporting.Run(() => root.Parse(args).Invoke());
