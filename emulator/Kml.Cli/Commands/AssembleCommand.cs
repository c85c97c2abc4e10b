using System.CommandLine;
using Kml.Tal.Assembler;
using Kml.Tal.Assembler.Syntax;

namespace Kml.Cli.Commands;

/// <summary><c>kml as PROG.tal -o PROG.elf</c>: assembles textual TAL into a TAL object.</summary>
internal static class AssembleCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("source") { Description = "the .tal source file" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "the ELF file to write (default: the source with .elf)" };
        var strip = new Option<bool>("--strip-names") { Description = "leave label names out of the annotations (smaller; messages name labels by offset)" };
        var command = new Command("as", "Assemble textual TAL (Intel syntax plus type annotations) into an ELF32 TAL object.") { input, output, strip };
        // ErrorReporting here too: System.CommandLine's own handler would print a stack trace.
        command.SetAction(result => ErrorReporting.Run(() =>
        {
            var source = result.GetValue(input)!;
            var target = result.GetValue(output) ?? new FileInfo(Path.ChangeExtension(source.FullName, ".elf"));
            var text = File.ReadAllText(source.FullName);
            byte[] elf;
            try { elf = TalAssembler.AssembleToElf(text, source.Name, result.GetValue(strip)); }
            catch (AssemblyException e)
            {
                foreach (var d in e.Diagnostics) Console.Error.WriteLine(d);
                return ErrorReporting.UserError;
            }
            File.WriteAllBytes(target.FullName, elf);
            return 0;
        }));
        return command;
    }
}
