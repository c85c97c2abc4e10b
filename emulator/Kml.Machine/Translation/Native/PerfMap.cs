namespace Kml.Machine.Translation.Native;

/// <summary>
/// With <c>KML_PERF_MAP=1</c>, names every native translation in <c>/tmp/perf-PID.map</c> (the format Linux
/// <c>perf</c> reads for JIT-generated code: "address size name" per line), so profiles show guest blocks as
/// <c>guest_0806e670</c> instead of raw addresses. Off by default: it costs a file write per block.
/// </summary>
internal static class PerfMap
{
    private static readonly string? Mode = Environment.GetEnvironmentVariable("KML_PERF_MAP");
    private static readonly bool Enabled = Mode is "1" or "2";
    private static readonly object Gate = new();

    public static unsafe void Add(nint address, int size, uint guestEip)
    {
        if (!Enabled) return;
        lock (Gate)
        {
            File.AppendAllText($"/tmp/perf-{Environment.ProcessId}.map", $"{address:x} {size:x} guest_{guestEip:x8}\n");
            // KML_PERF_MAP=2 also lists the generated code (/tmp/kml-native-PID.txt), to read what a hot block became.
            if (Mode != "2") return;
            var text = new System.Text.StringBuilder($"guest_{guestEip:x8} at {address:x}, {size} bytes\n");
            var decoder = Iced.Intel.Decoder.Create(64, new ReadOnlySpan<byte>((byte*)address, size).ToArray(), (ulong)address);
            var formatter = new Iced.Intel.IntelFormatter();
            var output = new Iced.Intel.StringOutput();
            while (decoder.IP < (ulong)address + (ulong)size)
            {
                var ins = decoder.Decode();
                formatter.Format(ins, output);
                text.Append($"  {ins.IP:x}  {output.ToStringAndReset()}\n");
            }
            File.AppendAllText($"/tmp/kml-native-{Environment.ProcessId}.txt", text.ToString());
        }
    }
}
