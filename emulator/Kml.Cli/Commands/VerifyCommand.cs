using System.CommandLine;
using Kml.Tal.Checker;

namespace Kml.Cli.Commands;

/// <summary><c>kml verify PROG.elf</c>: runs the TAL checker; exit 0 on acceptance, 1 on rejection.</summary>
internal static class VerifyCommand
{
    public const int Rejected = 1;

    public static Command Create()
    {
        var input = new Argument<FileInfo>("program") { Description = "the TAL object (ELF32) to check" };
        var command = new Command("verify", "Type-check a TAL binary's machine code against its annotations (the checker the kernel trusts).") { input };
        // ErrorReporting here too: System.CommandLine's own handler would print a stack trace.
        command.SetAction(result => ErrorReporting.Run(() =>
        {
            var file = result.GetValue(input)!;
            var bytes = File.ReadAllBytes(file.FullName);
            var verdict = TalChecker.Check(bytes);
            if (!verdict.Accepted)
            {
                foreach (var d in verdict.Diagnostics) Console.Out.WriteLine($"{file.Name}: {d}");
                return Rejected;
            }
            var ratio = verdict.CodeBytes == 0 ? 0 : (double)verdict.AnnotationBytes / verdict.CodeBytes;
            Console.Out.WriteLine(FormattableString.Invariant(
                $"{file.Name}: accepted: {verdict.Instructions} instructions, {verdict.Labels} labels, {verdict.AnnotationBytes} annotation bytes / {verdict.CodeBytes} code bytes = {ratio:0.00}"));
            return 0;
        }));
        return command;
    }
}
