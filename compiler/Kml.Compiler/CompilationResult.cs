using Kml.Compiler.Ir;
using Kml.Tal.Elf;

namespace Kml.Compiler;

/// <summary>The outcome of compiling a program: the ELF bytes, or the errors (one line each, MSBuild format).</summary>
public sealed class CompilationResult
{
    internal CompilationResult(IReadOnlyList<string> errors) => Errors = errors;

    internal CompilationResult(byte[] elf, TalObject obj, IReadOnlyList<IrFunction> functions, CompilationTimes times)
    {
        Errors = [];
        Elf = elf;
        Object = obj;
        Functions = functions;
        Times = times;
    }

    /// <summary>Whether the program compiled (and, unless disabled, passed the checker).</summary>
    public bool Success => Errors.Count == 0;

    /// <summary>The errors, each <c>file(line,col): error ID: message</c>.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The TAL object as an ELF file.</summary>
    public byte[]? Elf { get; }

    /// <summary>The TAL object.</summary>
    public TalObject? Object { get; }

    /// <summary>The compiled functions' IR after optimisation (for listings and tests).</summary>
    public IReadOnlyList<IrFunction> Functions { get; } = [];

    /// <summary>Where the time went.</summary>
    public CompilationTimes? Times { get; }
}

/// <summary>Host time per phase of a compilation.</summary>
/// <param name="Analysis">Roslyn binding and the subset's rules.</param>
/// <param name="Lowering">Control flow graphs to IR.</param>
/// <param name="CodeGeneration">Optimisation, register allocation, instruction selection, assembly.</param>
/// <param name="Verification">The TAL checker.</param>
public sealed record CompilationTimes(TimeSpan Analysis, TimeSpan Lowering, TimeSpan CodeGeneration, TimeSpan Verification)
{
    /// <summary>The total.</summary>
    public TimeSpan Total => Analysis + Lowering + CodeGeneration + Verification;
}
