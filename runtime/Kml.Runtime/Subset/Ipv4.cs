namespace Kml;

/// <summary>
/// IPv4 addresses as the <see cref="Sockets"/> calls take them: an <c>int</c> holding the four bytes in
/// reading order, most significant first (127.0.0.1 is <c>0x7F000001</c>).
/// </summary>
public static class Ipv4
{
    /// <summary>0.0.0.0: every local address (for <see cref="Sockets.Bind"/>).</summary>
    public const int Any = 0;

    /// <summary>127.0.0.1: the loopback address.</summary>
    public const int Loopback = 0x7F000001;

    /// <summary>The address a.b.c.d; each part is taken modulo 256.</summary>
    /// <param name="a">The first (most significant) byte.</param>
    /// <param name="b">The second byte.</param>
    /// <param name="c">The third byte.</param>
    /// <param name="d">The last byte.</param>
    /// <returns>The address as the socket calls take it.</returns>
    public static int Address(int a, int b, int c, int d)
    {
        return ((a & 0xFF) << 24) | ((b & 0xFF) << 16) | ((c & 0xFF) << 8) | (d & 0xFF);
    }

    /// <summary>The dotted form of an address ("127.0.0.1").</summary>
    /// <param name="address">An address as the socket calls take it.</param>
    /// <returns>Four decimal numbers separated by dots.</returns>
    public static string Format(int address)
    {
        return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "." + (address & 0xFF);
    }
}
