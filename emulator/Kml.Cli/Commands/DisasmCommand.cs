using System.CommandLine;
using Kml.Compiler.Listing;

namespace Kml.Cli.Commands;

/// <summary><c>kml disasm PROG.elf</c>: the annotated listing of a TAL object (C# lines, TAL types at labels, instructions).</summary>
internal static class DisasmCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("program") { Description = "a TAL object (ELF32)" };
        var function = new Option<string?>("--function", "-f") { Description = "only the function with this label (e.g. Program.Main)" };
        var noBytes = new Option<bool>("--no-bytes") { Description = "leave out the instruction bytes" };
        var command = new Command("disasm", "List a TAL object: instructions, the TAL code type at every label, and the C# source lines when it has a line map.")
        {
            input, function, noBytes,
        };
        command.SetAction(result => ErrorReporting.Run(() =>
        {
            var file = result.GetValue(input)!;
            if (!file.Exists) throw new FileNotFoundException($"{file.FullName}: no such file");
            var bytes = File.ReadAllBytes(file.FullName);
            var directory = file.DirectoryName ?? ".";
            string[]? Read(string path)
            {
                // Sources are named as they were given to kml build: relative to where it ran, or absolute.
                foreach (var candidate in new[] { path, Path.Combine(directory, path), Path.Combine(directory, Path.GetFileName(path)) })
                    if (File.Exists(candidate)) return File.ReadAllLines(candidate);
                return null;
            }
            string listing;
            try
            {
                listing = TalListing.Format(bytes, new ListingOptions
                {
                    Function = result.GetValue(function),
                    ShowBytes = !result.GetValue(noBytes),
                    ReadSource = Read,
                });
            }
            catch (InvalidDataException e)
            {
                // The reader's messages name the offset; the file name comes from here.
                throw new InvalidDataException($"{file.FullName}: {e.Message}", e);
            }
            Console.Out.Write(listing);
            return 0;
        }));
        return command;
    }
}
