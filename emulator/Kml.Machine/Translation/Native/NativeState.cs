using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kml.Machine.Decoding;

namespace Kml.Machine.Translation.Native;

/// <summary>The exit codes native code returns besides the <see cref="Exit"/> ones.</summary>
internal static class NativeExit
{
    /// <summary>Run <see cref="Cpu.CurrentOp"/>'s interpreter handler, then (when it returns <see cref="Exit.Next"/>)
    /// re-enter native code at <see cref="Cpu.NativeResume"/>.</summary>
    public const int Handler = 100;
}

/// <summary>One slot of the native jump cache: the block last entered at <see cref="Eip"/>, in chain epoch
/// <see cref="Epoch"/>, and its native entry (0: it has none).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeJumpEntry
{
    public uint Eip;
    public uint Epoch;
    public nint Code;
}

/// <summary>
/// A CPU's native-translation state: where its fields are relative to the register file (native code addresses them
/// from one base register), the jump cache native <c>ret</c>s look successors up in, and the table of its natively
/// translated blocks (an exit names its block by index, since native code cannot store a managed reference; the table
/// also keeps every translated block, and so the validity flag and link slots its code reads, alive as long as the CPU).
/// </summary>
internal sealed unsafe class NativeState
{
    /// <summary>The shared entry stub, <c>int Enter(state, code)</c>: saves the host's callee-saved registers, points RBX
    /// at the register file, loads guest EAX…EDI into R8D…R15D (where translated code keeps them) and jumps to
    /// <c>code</c>.</summary>
    private static readonly delegate* unmanaged<uint*, nint, int> EnterStub;

    /// <summary>Where every exit of translated code goes (EAX holding the exit code): stores R8D…R15D back into the
    /// register file, restores the host's registers and returns from <see cref="Enter"/>.</summary>
    public static readonly byte* ExitStub;

    private static readonly Reg64[] Saved = [X64Registers.rbx, X64Registers.rbp, X64Registers.r12, X64Registers.r13, X64Registers.r14, X64Registers.r15];

    static NativeState()
    {
        var enter = new X64Assembler();
        foreach (var r in Saved) enter.push(r);
        enter.mov(X64Registers.rbx, X64Registers.rdi);
        for (int i = 0; i < 8; i++) enter.mov(new Reg32(8 + i), X64Registers.__dword_ptr[X64Registers.rbx + 4 * i]);
        enter.jmp(X64Registers.rsi);
        EnterStub = (delegate* unmanaged<uint*, nint, int>)ExecutableMemory.Place(enter.ToArray());

        var exit = new X64Assembler();
        for (int i = 0; i < 8; i++) exit.mov(X64Registers.__dword_ptr[X64Registers.rbx + 4 * i], new Reg32(8 + i));
        for (int i = Saved.Length - 1; i >= 0; i--) exit.pop(Saved[i]);
        exit.ret();
        ExitStub = ExecutableMemory.Place(exit.ToArray());
    }

    /// <summary>True when native translation can be used in this process.</summary>
    public static bool Supported => ExecutableMemory.Available && EnterStub != null && ExitStub != null;

    public readonly NativeJumpEntry[] JumpCache = GC.AllocateArray<NativeJumpEntry>(Cpu.JumpCacheSize, pinned: true);
    public readonly NativeJumpEntry* JumpCachePtr;
    private Block[] _blocks = new Block[64];
    private int _blockCount;

    // Field offsets from the register file (EAX), in bytes.
    public readonly int Eip, EflagsRest, FlagOp, FlagRes, FlagA, FlagB, FlagAux, Cycles, Retired, NextEvent, CurrentOp, SegEndRead,
        SegEndWrite, SegBase, TlbR, TlbW, ChainEpoch, Resume, ExitBlock;

    public NativeState(Cpu c)
    {
        JumpCachePtr = (NativeJumpEntry*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(JumpCache));
        ref byte r = ref Unsafe.As<RegisterFile, byte>(ref c.R);
        Eip = Off(ref r, ref Unsafe.As<uint, byte>(ref c.EipField));
        EflagsRest = Off(ref r, ref Unsafe.As<uint, byte>(ref c.EflagsRest));
        FlagOp = Off(ref r, ref Unsafe.As<int, byte>(ref c.FlagOp));
        FlagRes = Off(ref r, ref Unsafe.As<uint, byte>(ref c.FlagRes));
        FlagA = Off(ref r, ref Unsafe.As<uint, byte>(ref c.FlagA));
        FlagB = Off(ref r, ref Unsafe.As<uint, byte>(ref c.FlagB));
        FlagAux = Off(ref r, ref Unsafe.As<uint, byte>(ref c.FlagAux));
        Cycles = Off(ref r, ref Unsafe.As<ulong, byte>(ref c.CyclesField));
        Retired = Off(ref r, ref Unsafe.As<long, byte>(ref c.RetiredField));
        NextEvent = Off(ref r, ref Unsafe.As<ulong, byte>(ref c.NextEvent));
        SegEndRead = Off(ref r, ref Unsafe.As<SegmentEnds, byte>(ref c.SegEndRead));
        SegEndWrite = Off(ref r, ref Unsafe.As<SegmentEnds, byte>(ref c.SegEndWrite));
        SegBase = Off(ref r, ref Unsafe.As<SegmentBases, byte>(ref c.SegBase));
        // Pointer-typed fields cannot be generic arguments: their offsets are taken with the object pinned.
        fixed (uint* r0 = &c.R[0])
        fixed (Op** op = &c.CurrentOp)
        fixed (Memory.TlbEntry** tr = &c.TlbR)
        fixed (Memory.TlbEntry** tw = &c.TlbW)
        {
            CurrentOp = checked((int)((byte*)op - (byte*)r0));
            TlbR = checked((int)((byte*)tr - (byte*)r0));
            TlbW = checked((int)((byte*)tw - (byte*)r0));
        }
        ChainEpoch = Off(ref r, ref Unsafe.As<uint, byte>(ref c.ChainEpoch));
        Resume = Off(ref r, ref Unsafe.As<nint, byte>(ref c.NativeResume));
        ExitBlock = Off(ref r, ref Unsafe.As<int, byte>(ref c.NativeExitBlock));
    }

    private static int Off(ref byte from, ref byte to) => checked((int)Unsafe.ByteOffset(ref from, ref to));

    /// <summary>Registers <paramref name="b"/> and returns the index its exits report.</summary>
    public int Register(Block b)
    {
        if (_blockCount == _blocks.Length) Array.Resize(ref _blocks, _blocks.Length * 2);
        _blocks[_blockCount] = b;
        return _blockCount++;
    }

    /// <summary>The block an exit reported (−1: none).</summary>
    public Block? BlockAt(int index) => (uint)index < (uint)_blockCount ? _blocks[index] : null;

    /// <summary>Runs native code from <paramref name="code"/> with <paramref name="state"/> (the pinned register file).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Enter(uint* state, nint code) => EnterStub(state, code);
}
