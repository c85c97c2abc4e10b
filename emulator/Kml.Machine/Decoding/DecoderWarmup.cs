using Iced.Intel;

namespace Kml.Machine.Decoding;

/// <summary>
/// Runs the decoder's cold paths on a background thread when the first <see cref="Cpu"/> is created, while the kernel is
/// still booting and loading the program, instead of on the CPU thread at the guest's first blocks: Iced's static
/// tables (about 7 ms at first use) and <see cref="DecodeTable"/>, then decoding and emitting a typical mix of i386
/// code (the first use of each decoder and emitter path costs far more than later ones: ReadyToRun fixups, type loads).
/// Static initialisation is thread-safe, and the emitters write only the op they are given, so nothing is shared. Any
/// failure here only means no warm-up.
/// </summary>
internal static class DecoderWarmup
{
    private static int _started;

    /// <summary>Common instructions of gcc-compiled i386 code (prologues, loads and stores, ALU, compares, branches, calls,
    /// string moves, a TLS load, a system call), as machine code.</summary>
    private static readonly byte[] TypicalCode =
    [
        0x55, 0x89, 0xE5, 0x57, 0x56, 0x53, 0x83, 0xEC, 0x1C,       // push ebp; mov ebp,esp; push edi/esi/ebx; sub esp,1Ch
        0x8B, 0x44, 0x24, 0x30, 0x8B, 0x5C, 0x24, 0x34,             // mov eax,[esp+30h]; mov ebx,[esp+34h]
        0x85, 0xC0, 0x74, 0x05, 0x0F, 0xB6, 0x08, 0x8D, 0x50, 0x01, // test eax,eax; je; movzx ecx,byte [eax]; lea edx,[eax+1]
        0x01, 0xD0, 0x29, 0xC8, 0x31, 0xC0, 0x39, 0xD8,             // add eax,edx; sub eax,ecx; xor eax,eax; cmp eax,ebx
        0x3B, 0x45, 0x08, 0x89, 0x44, 0x24, 0x04,                   // cmp eax,[ebp+8]; mov [esp+4],eax
        0xC7, 0x04, 0x24, 0x00, 0x00, 0x00, 0x00,                   // mov dword [esp],0
        0x0F, 0x94, 0xC0, 0x0F, 0x45, 0xC2, 0xC1, 0xE0, 0x02,       // sete al; cmovne eax,edx; shl eax,2
        0xD1, 0xE8, 0xF7, 0xD8, 0x40, 0x48, 0x0F, 0xAF, 0xC2,       // shr eax,1; neg eax; inc eax; dec eax; imul eax,edx
        0x88, 0x01, 0x66, 0x89, 0x01, 0xF3, 0xA4, 0xA5,             // mov [ecx],al; mov [ecx],ax; rep movsb; movsd
        0xFF, 0x74, 0x24, 0x08, 0x87, 0xD3, 0x99, 0xF7, 0xF9,       // push dword [esp+8]; xchg ebx,edx; cdq; idiv ecx
        0x0F, 0xA3, 0xC8, 0xF0, 0x0F, 0xB1, 0x0A,                   // bt eax,ecx; lock cmpxchg [edx],ecx
        0x65, 0xA1, 0x14, 0x00, 0x00, 0x00,                         // mov eax,gs:[14h]
        0x0F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x75, 0x00,             // je near; jne short
        0xE8, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x53, 0x0C, 0xFF, 0xD0, // call rel32; call [ebx+0Ch]; call eax
        0x5B, 0x5E, 0x5F, 0x5D, 0xC3, 0xEB, 0x00,                   // pop ebx/esi/edi/ebp; ret; jmp short
        0xE9, 0x00, 0x00, 0x00, 0x00, 0xCD, 0x80,                   // jmp rel32; int 80h
    ];

    public static void Start(CycleModel model)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        new Thread(() => Run(model)) { IsBackground = true, Name = "kml decoder warm-up" }.Start();
    }

    private static unsafe void Run(CycleModel model)
    {
        try
        {
            var decoder = Decoder.Create(32, new ByteArrayCodeReader(TypicalCode), 0x0804_8000, DecoderOptions.None);
            var ctx = new EmitContext(model);
            Op op = default;
            while (decoder.IP < 0x0804_8000 + (ulong)TypicalCode.Length)
            {
                decoder.Decode(out var ins);
                op = default;
                op.Eip = ins.IP32;
                op.Next = ins.NextIP32;
                op.Base = op.IndexReg = Operands.NoReg;
                ctx.LiveOut = Cpu.ArithMask;
                BlockBuilder.Translate(ref op, ins, ctx);
            }
        }
        catch (Exception)
        {
            // A warm-up only: the CPU thread does the same work, with its own error handling, when it gets there.
        }
        try
        {
            if (Translation.Native.NativeState.Supported && Cpu.DefaultNativeTranslation) WarmNativeTranslation(model);
        }
        catch (Exception)
        {
            // As above.
        }
    }

    /// <summary>Builds and natively translates the typical code's first block on a scratch CPU (paging off), so the
    /// translator's first use — type loads, ReadyToRun fixups, the generic instantiations the JIT has to compile — is paid
    /// here rather than by the first hot block of the program (≈ 6 ms).</summary>
    private static void WarmNativeTranslation(CycleModel model)
    {
        var memory = new PhysicalMemory(1 << 20);
        memory.Write(0x1000, TypicalCode);
        var cpu = new Cpu(memory, model);
        var b = cpu.Lookup(0x1000);
        Translation.Native.NativeBlockCompiler.Compile(b, cpu);
    }
}
