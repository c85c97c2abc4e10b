using System.Buffers.Binary;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Machine.Tests.Support;

/// <summary>
/// A guest program: SHA-256 over pre-padded blocks, written the way gcc -O2 compiles it for i386 (a register-starved,
/// fully unrolled compression with the working variables in stack slots, a message-schedule loop), assembled with
/// Iced. Used by a test (the digest must equal .NET's) and by the machine benchmarks (MIPS on ALU-heavy code).
/// </summary>
public sealed class Sha256Guest
{
    public const uint DataAddress = 0x0900_0000;
    private const uint StateAddress = TestMachine.UserData;            // h0..h7
    private const uint KAddress = TestMachine.UserData + 0x100;       // K[64]
    private const uint WAddress = TestMachine.UserData + 0x400;       // W[64]
    private const uint VarsAddress = TestMachine.UserData + 0x600;    // a..h working variables

    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private static readonly uint[] H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    public TestMachine Machine { get; }
    public int Blocks { get; }
    private readonly byte[] _message;

    /// <summary>Prepares a machine with the program, the constants and <paramref name="message"/> padded to whole blocks.</summary>
    public Sha256Guest(byte[] message, CycleModel? model = null)
    {
        _message = message;
        var padded = Pad(message);
        Blocks = padded.Length / 64;
        Machine = new TestMachine(64u << 20, model);
        Machine.MapUser(codeBytes: 0x10000, dataBytes: 0x1000);
        Machine.MapRange(DataAddress, (uint)((padded.Length + 4095) & ~4095), TestMachine.UserRw);
        Machine.WriteLinear(DataAddress, padded);
        var kBytes = new byte[256];
        for (int i = 0; i < 64; i++) BinaryPrimitives.WriteUInt32LittleEndian(kBytes.AsSpan(i * 4), K[i]);
        Machine.WriteLinear(KAddress, kBytes);
        Machine.Assemble(TestMachine.UserCode, Build);
        Reset();
    }

    /// <summary>Puts the CPU back at the program start with the initial hash state (the machine's caches stay warm).</summary>
    public void Reset()
    {
        var h = new byte[32];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(i * 4), H0[i]);
        Machine.WriteLinear(StateAddress, h);
        Machine.EnterUser(TestMachine.UserCode);
        Machine.Cpu.Esi = DataAddress;
        Machine.Cpu.Edi = (uint)Blocks;
    }

    /// <summary>Runs to completion; returns the digest the guest computed.</summary>
    public byte[] Run()
    {
        var r = Machine.Run(ulong.MaxValue / 2);
        if (r != StopReason.Hypercall || Machine.StoppedInStub() != 0x80) throw new InvalidOperationException($"sha256 guest stopped with {r}: {Machine.Cpu.StopMessage} (stub {Machine.StoppedInStub()})");
        var state = Machine.ReadLinear(StateAddress, 32);
        var digest = new byte[32];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(i * 4), BinaryPrimitives.ReadUInt32LittleEndian(state.AsSpan(i * 4)));
        return digest;
    }

    public byte[] Expected() => System.Security.Cryptography.SHA256.HashData(_message);

    private static byte[] Pad(byte[] m)
    {
        int len = ((m.Length + 9 + 63) / 64) * 64;
        var p = new byte[len];
        m.CopyTo(p, 0);
        p[m.Length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(p.AsSpan(len - 8), (ulong)m.Length * 8);
        return p;
    }

    private static AssemblerMemoryOperand Var(int i) => __dword_ptr[VarsAddress + (uint)(i & 7) * 4];
    private static AssemblerMemoryOperand W(int i) => __dword_ptr[WAddress + (uint)i * 4];

    // esi = data pointer, edi = blocks left.
    private static void Build(Assembler a)
    {
        var blockLoop = a.CreateLabel();
        var schedule = a.CreateLabel();
        var done = a.CreateLabel();
        a.Label(ref blockLoop);
        a.test(edi, edi);
        a.jz(done);
        // W[0..15] = big-endian words of the block.
        for (int i = 0; i < 16; i++)
        {
            a.mov(eax, __dword_ptr[esi + i * 4]);
            a.bswap(eax);
            a.mov(W(i), eax);
        }
        // W[16..63]
        a.mov(ecx, 16);
        a.Label(ref schedule);
        a.mov(eax, __dword_ptr[ecx * 4 + (long)(WAddress - 15 * 4)]);
        a.mov(edx, eax);
        a.ror(eax, 7);
        a.mov(ebx, edx);
        a.ror(ebx, 18);
        a.shr(edx, 3);
        a.xor(eax, ebx);
        a.xor(eax, edx);                                   // s0
        a.mov(edx, __dword_ptr[ecx * 4 + (long)(WAddress - 2 * 4)]);
        a.mov(ebx, edx);
        a.ror(ebx, 17);
        a.mov(ebp, edx);
        a.ror(ebp, 19);
        a.shr(edx, 10);
        a.xor(ebx, ebp);
        a.xor(ebx, edx);                                   // s1
        a.add(eax, ebx);
        a.add(eax, __dword_ptr[ecx * 4 + (long)(WAddress - 16 * 4)]);
        a.add(eax, __dword_ptr[ecx * 4 + (long)(WAddress - 7 * 4)]);
        a.mov(__dword_ptr[ecx * 4 + (long)WAddress], eax);
        a.inc(ecx);
        a.cmp(ecx, 64);
        a.jne(schedule);
        // a..h = H
        for (int i = 0; i < 8; i++)
        {
            a.mov(eax, __dword_ptr[StateAddress + (uint)i * 4]);
            a.mov(Var(i), eax);
        }
        // 64 unrolled rounds; variable j of round i lives in slot (j - i) mod 8.
        for (int i = 0; i < 64; i++)
        {
            int A = -i, B = 1 - i, C = 2 - i, D = 3 - i, E = 4 - i, F = 5 - i, G = 6 - i, H = 7 - i;
            a.mov(edx, Var(E));
            a.mov(eax, edx);
            a.ror(eax, 6);
            a.mov(ebx, edx);
            a.ror(ebx, 11);
            a.xor(eax, ebx);
            a.mov(ebx, edx);
            a.ror(ebx, 25);
            a.xor(eax, ebx);                               // S1
            a.mov(ebx, edx);
            a.and(ebx, Var(F));
            a.not(edx);
            a.and(edx, Var(G));
            a.xor(ebx, edx);                               // ch
            a.add(eax, ebx);
            a.add(eax, Var(H));
            a.add(eax, __dword_ptr[KAddress + (uint)i * 4]);
            a.add(eax, W(i));                              // temp1
            a.add(Var(D), eax);                            // e' = d + temp1 (slot of d becomes new e)
            a.mov(edx, Var(A));
            a.mov(ebx, edx);
            a.ror(ebx, 2);
            a.mov(ecx, edx);
            a.ror(ecx, 13);
            a.xor(ebx, ecx);
            a.mov(ecx, edx);
            a.ror(ecx, 22);
            a.xor(ebx, ecx);                               // S0
            a.mov(ecx, edx);
            a.or(ecx, Var(B));
            a.and(ecx, Var(C));
            a.and(edx, Var(B));
            a.or(ecx, edx);                                // maj
            a.add(ebx, ecx);
            a.add(eax, ebx);
            a.mov(Var(H), eax);                            // a' = temp1 + temp2 (slot of h becomes new a)
        }
        // After 64 rounds (a multiple of 8) every variable is back in its own slot: H += a..h.
        for (int i = 0; i < 8; i++)
        {
            a.mov(eax, Var(i));
            a.add(__dword_ptr[StateAddress + (uint)i * 4], eax);
        }
        a.add(esi, 64);
        a.dec(edi);
        a.jmp(blockLoop);
        a.Label(ref done);
        a.@int(0x80);
    }
}
