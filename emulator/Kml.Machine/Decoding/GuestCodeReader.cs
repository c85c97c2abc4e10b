using Iced.Intel;

namespace Kml.Machine.Decoding;

/// <summary>
/// Iced's code reader over guest physical memory in place (pinned for the machine's life), so decoding a block does not
/// first copy the rest of its page into a new array.
/// </summary>
internal sealed unsafe class GuestCodeReader(byte* start, int length) : CodeReader
{
    private int _position;

    public override int ReadByte() => _position < length ? start[_position++] : -1;
}
