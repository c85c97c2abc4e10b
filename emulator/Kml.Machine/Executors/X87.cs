using Kml.Machine.Decoding;

namespace Kml.Machine.Executors;

internal static unsafe class X87
{
    public static void RegisterAll(Emitter?[] t) { _ = t; }
}
