using Kml.Machine.Decoding;

namespace Kml.Machine.Executors;

internal static unsafe class MulDiv
{
    public static void RegisterAll(Emitter?[] t) { _ = t; }
}
