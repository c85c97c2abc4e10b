extern alias KmlRuntime;

using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kml.Compiler.Tests.Harness;

/// <summary>The outcome of running a program: standard output, exit status, standard error.</summary>
public sealed record ProgramRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}, stdout {Stdout.Length} chars, stderr: {Stderr.Trim()}";
}

/// <summary>
/// The oracle: compiles a subset program with Roslyn against the framework and Kml.Runtime (as `dotnet build`
/// would) and runs it on CoreCLR in a process of its own, so exit codes (134 for an unhandled exception or a
/// stack overflow) and Process.Exit are real.
/// </summary>
public static class CoreClrRunner
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == framework)
            .Append(typeof(KmlRuntime::Kml.Files).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p))];
    });

    public static ProgramRun Run(IReadOnlyList<(string Path, string Text)> sources, string stdin = "", int timeoutSeconds = 60, IReadOnlyList<string>? arguments = null)
    {
        var dir = Directory.CreateTempSubdirectory("kml-coreclr-").FullName;
        try
        {
            var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, KmlCompiler.ParseOptions, s.Path, System.Text.Encoding.UTF8));
            var compilation = CSharpCompilation.Create("program", trees, References.Value,
                new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
            var dll = Path.Combine(dir, "program.dll");
            var emitted = compilation.Emit(dll);
            if (!emitted.Success)
                throw new InvalidDataException("the program does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            File.Copy(typeof(KmlRuntime::Kml.Files).Assembly.Location, Path.Combine(dir, "Kml.Runtime.dll"));
            File.WriteAllText(Path.Combine(dir, "program.runtimeconfig.json"),
                "{\"runtimeOptions\":{\"tfm\":\"net10.0\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + Environment.Version + "\"}," +
                "\"configProperties\":{\"System.Globalization.Invariant\":true}}}");
            return Execute("dotnet", [dll, .. arguments ?? []], dir, stdin, timeoutSeconds);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Runs a process, feeding stdin and collecting both outputs.</summary>
    public static ProgramRun Execute(string file, IEnumerable<string> args, string workingDirectory, string stdin, int timeoutSeconds)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_gcServer"] = "0";
        using var p = System.Diagnostics.Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            return new ProgramRun(-1, stdout.Result, $"killed after {timeoutSeconds} s");
        }
        return new ProgramRun(p.ExitCode, stdout.Result, stderr.Result);
    }
}
