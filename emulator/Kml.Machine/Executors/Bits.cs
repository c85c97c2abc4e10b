using Kml.Machine.Decoding;

namespace Kml.Machine.Executors;

internal static unsafe class Bits
{
    public static void RegisterAll(Emitter?[] t) { _ = t; }
}
