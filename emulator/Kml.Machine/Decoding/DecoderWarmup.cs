using Iced.Intel;

namespace Kml.Machine.Decoding;

/// <summary>
/// Builds the decoder's static tables (Iced's opcode handler tables, about 7 ms at first use, and our
/// <see cref="DecodeTable"/>) on a background thread when the first <see cref="Cpu"/> is created, while the kernel is
/// still booting and loading the program, instead of on the CPU thread at the guest's first instruction. Static
/// initialisation is thread-safe: whichever thread comes first builds, the other waits for it.
/// </summary>
internal static class DecoderWarmup
{
    private static int _started;

    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        new Thread(Run) { IsBackground = true, Name = "kml decoder warm-up" }.Start();
    }

    private static void Run()
    {
        // mov ebx, [esp]; ret — any instruction will do; these also look up their emitters.
        var decoder = Decoder.Create(32, new ByteArrayCodeReader([0x8B, 0x1C, 0x24, 0xC3]));
        decoder.Decode(out var ins);
        _ = DecodeTable.Get(ins.Mnemonic);
    }
}
