using System.Runtime.CompilerServices;
using Kml.Machine.Decoding;

namespace Kml.Machine.Translation;

/// <summary>
/// Translates hot blocks on one background thread shared by every CPU of the process, so the .NET JIT's cost (about
/// 0.2–1 ms per block on the reference machine) is paid on another core while the CPU goes on interpreting the block.
/// A block is published (<see cref="Block.Compiled"/>) only once its method has been compiled to machine code; the
/// dispatch loop and block links check <see cref="Block.Valid"/> before entering any block, so a block invalidated
/// (self-modifying code, a cache clear) while it was being translated is never run.
/// </summary>
internal static class BackgroundTranslator
{
    // A ring of (block, CPU) pairs in arrival order. Not a Queue<(Block, Cpu)>: ReadyToRun cannot precompile that
    // instantiation, so it was JIT-compiled at every start.
    private static PendingBlock[] _pending = new PendingBlock[64];
    private static int _pendingHead, _pendingCount;
    private static readonly object Gate = new();
    private static Thread? _worker;
    private static int _busy;

    /// <summary>Queues <paramref name="b"/> (its <see cref="Block.TranslationTried"/> is already set by the caller).</summary>
    public static void Enqueue(Block b, Cpu cpu)
    {
        lock (Gate)
        {
            if (_pendingCount == _pending.Length)
            {
                var larger = new PendingBlock[_pending.Length * 2];
                for (int i = 0; i < _pendingCount; i++) larger[i] = _pending[(_pendingHead + i) % _pending.Length];
                _pending = larger;
                _pendingHead = 0;
            }
            _pending[(_pendingHead + _pendingCount++) % _pending.Length] = new PendingBlock(b, cpu);
            if (_worker == null)
            {
                _worker = new Thread(Work) { IsBackground = true, Name = "kml block translator" };
                _worker.Start();
            }
            Monitor.Pulse(Gate);
        }
    }

    /// <summary>Blocks until every queued translation has been published (tests; <see cref="Cpu.WaitForTranslations"/>).</summary>
    public static void WaitUntilIdle()
    {
        lock (Gate)
        {
            while (_pendingCount > 0 || _busy != 0) Monitor.Wait(Gate);
        }
    }

    /// <summary>Test hook: runs after the validity check, just before a dequeued block is compiled, so a test can invalidate
    /// the block while its translation is in flight.</summary>
    internal static Action<Block, Cpu>? BeforeCompile;

    private static void Work()
    {
        while (true)
        {
            PendingBlock item;
            lock (Gate)
            {
                while (_pendingCount == 0) Monitor.Wait(Gate);
                item = _pending[_pendingHead];
                _pending[_pendingHead] = default;
                _pendingHead = (_pendingHead + 1) % _pending.Length;
                _pendingCount--;
                _busy = 1;
            }
            try
            {
                var b = item.Block;
                if (b.Valid)
                {
                    BeforeCompile?.Invoke(b, item.Cpu);
                    Translate(b, item.Cpu);
                }
            }
            finally
            {
                lock (Gate)
                {
                    _busy = 0;
                    Monitor.PulseAll(Gate);
                }
            }
        }
    }

    private static void Translate(Block b, Cpu cpu)
    {
        Func<Cpu, int>? compiled;
        try
        {
            compiled = BlockCompiler.Compile(b);
            // DynamicMethod compiles lazily at the first call; do it here, off the CPU's thread.
            if (compiled != null) RuntimeHelpers.PrepareDelegate(compiled);
        }
        catch (Exception e)
        {
            // The block stays interpreted (same semantics); the failure is counted, with its first message kept.
            cpu.Statistics.NoteTranslationFailure(e);
            return;
        }
        if (compiled == null) return;
        Volatile.Write(ref b.Compiled, compiled);
        cpu.Statistics.NoteBlockTranslated();
    }
}

/// <summary>A block waiting for the translator, with the CPU that queued it.</summary>
internal readonly record struct PendingBlock(Block Block, Cpu Cpu);
