using System.CommandLine;
using Kml.Compiler;

namespace Kml.Cli.Commands;

/// <summary><c>kml build A.cs B.cs -o PROG.elf</c>: compiles a C# subset program to a checked TAL object.</summary>
internal static class BuildCommand
{
    /// <summary>Exit status when the program has errors (outside the subset, not C#, or rejected).</summary>
    public const int CompileErrors = 1;

    public static Command Create()
    {
        var sources = new Argument<FileInfo[]>("sources") { Description = "the program's C# files", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "the TAL object (ELF32) to write (default: the first source with .elf)" };
        var noLines = new Option<bool>("--no-line-map") { Description = "leave out the line map (.kml.lines): run-time errors then name no C# line" };
        var times = new Option<bool>("--times") { Description = "print the time of each phase to stderr" };
        var command = new Command("build", "Compile C# (the KML subset) to typed IA-32 assembly: an ELF32 TAL object the checker accepts.")
        {
            sources, output, noLines, times,
        };
        command.SetAction(result => ErrorReporting.Run(() =>
        {
            var files = result.GetValue(sources)!;
            foreach (var f in files)
                if (!f.Exists) throw new FileNotFoundException($"{f.FullName}: no such file");
            var target = result.GetValue(output) ?? new FileInfo(Path.ChangeExtension(files[0].FullName, ".elf"));
            var options = new CompilerOptions { LineMap = !result.GetValue(noLines) };
            // Paths exactly as given (FileInfo.ToString is the original path): they appear in messages and in the line map.
            var compiled = KmlCompiler.CompileFilesAsync(files.Select(f => f.ToString()), options)
                .GetAwaiter().GetResult();
            if (!compiled.Success)
            {
                foreach (var e in compiled.Errors) Console.Error.WriteLine(e);
                return CompileErrors;
            }
            if (target.Directory is { Exists: false } missing)
                throw new DirectoryNotFoundException($"{target.FullName}: cannot write the program: no such directory {missing.FullName}");
            File.WriteAllBytes(target.FullName, compiled.Elf!);
            if (result.GetValue(times) && compiled.Times is { } t)
                Console.Error.WriteLine(FormattableString.Invariant(
                    $"kml build: {t.Total.TotalMilliseconds:F0} ms (analysis {t.Analysis.TotalMilliseconds:F0}, lowering {t.Lowering.TotalMilliseconds:F0}, code {t.CodeGeneration.TotalMilliseconds:F0}, checker {t.Verification.TotalMilliseconds:F0}); {compiled.Object!.Text.Bytes.Length} code bytes"));
            return 0;
        }));
        return command;
    }
}
