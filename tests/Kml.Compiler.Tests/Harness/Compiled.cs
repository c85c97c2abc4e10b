using System.Collections.Concurrent;
using Kml.Tal.Checker;
using Shouldly;

namespace Kml.Compiler.Tests.Harness;

/// <summary>Compiles corpus programs once per test run (several tests look at the same binary).</summary>
public static class Compiled
{
    private static readonly ConcurrentDictionary<string, Lazy<CompilationResult>> Cache = new();

    public static CompilationResult Program(CorpusProgram p) =>
        Cache.GetOrAdd(p.Name, _ => new Lazy<CompilationResult>(() =>
            KmlCompiler.CompileAsync([.. p.Sources.Select(s => new SourceFile(s.Path, s.Text))]).GetAwaiter().GetResult())).Value;

    /// <summary>Compiles, requiring success, and checks the ELF with the checker (the compiler is untrusted).</summary>
    public static CompilationResult Checked(CorpusProgram p)
    {
        var r = Program(p);
        r.Success.ShouldBeTrue(string.Join("\n", r.Errors));
        var verdict = TalChecker.Check(r.Elf!);
        verdict.Accepted.ShouldBeTrue(string.Join("\n", verdict.Diagnostics));
        return r;
    }
}
