using Kml.Machine.Decoding;

namespace Kml.Machine.Executors;

internal static unsafe class Strings
{
    public static void RegisterAll(Emitter?[] t) { _ = t; }
}
