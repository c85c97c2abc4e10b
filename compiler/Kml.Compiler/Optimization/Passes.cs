using Kml.Compiler.Ir;

namespace Kml.Compiler.Optimization;

/// <summary>The IR passes run before register allocation.</summary>
internal static class Passes
{
    public static void Run(IrFunction f, CompilerOptions options)
    {
        Cleanup.RemoveUnreachable(f);
        Cleanup.ThreadJumps(f);
        Cleanup.RemoveUnreachable(f);
        if (!options.Optimize) return;
        NonNullLocals.Run(f);
        CopyPropagation.Run(f);
        DeadCode.Run(f);
        LoopRotation.Run(f);
        Cleanup.RemoveUnreachable(f);
        LoopInvariants.Run(f);
    }
}
