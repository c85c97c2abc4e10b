using System.Text;
using Shouldly;

namespace Kml.Runtime.Tests;

/// <summary>The runtime routines written in the subset (Subset/), checked against .NET's own implementations.</summary>
public sealed class SubsetRoutinesTests
{
    public static TheoryData<string, int> Utf8Cases() => CaseFile.Lines("utf8.txt");

    /// <summary>Each case is a byte sequence in hex; Utf8.Decode must agree with Encoding.UTF8 on it.</summary>
    [Theory]
    [MemberData(nameof(Utf8Cases))]
    public void Utf8_Decode_AgreesWithDotNet(string hex, int line)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));
        var framed = new byte[bytes.Length + 4];
        bytes.CopyTo(framed, 2);
        Utf8.Decode(framed, 2, bytes.Length).ShouldBe(Encoding.UTF8.GetString(bytes), $"utf8.txt line {line}");
    }

    [Fact]
    public void Utf8_Decode_AgreesWithDotNet_OnRandomBytes()
    {
        var random = new Random(1234);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 12)];
            random.NextBytes(bytes);
            // Bias towards the interesting lead bytes and continuation bytes.
            for (var j = 0; j < bytes.Length; j++)
            {
                if (random.Next(2) == 0)
                {
                    bytes[j] = (byte)(0x80 | (bytes[j] & 0x7F));
                }
            }
            Utf8.Decode(bytes, 0, bytes.Length).ShouldBe(Encoding.UTF8.GetString(bytes), Convert.ToHexString(bytes));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain ascii")]
    [InlineData("é ü ß € 日本語")]
    [InlineData("emoji 😀 and 𝄞")]
    [InlineData("lone \uD800 high, lone \uDC00 low, swapped \uDC00\uD800, end \uD83D")]
    public void Utf8_Encode_AgreesWithDotNet_AndRoundTrips(string text)
    {
        var expected = Encoding.UTF8.GetBytes(text);
        Utf8.Encode(text).ShouldBe(expected);
        Utf8.EncodedLength(text).ShouldBe(expected.Length);
        Utf8.Decode(expected, 0, expected.Length).ShouldBe(Encoding.UTF8.GetString(expected));
    }

    [Theory]
    [InlineData(2, "ENOENT")]
    [InlineData(-2, "ENOENT")]
    [InlineData(-111, "ECONNREFUSED")]
    [InlineData(-4095, "E4095")]
    public void Errno_Name_NamesTheError(int error, string name)
    {
        Errno.Name(error).ShouldBe(name);
    }

    [Fact]
    public void Ipv4_AddressAndFormat_AreInverse()
    {
        Ipv4.Address(127, 0, 0, 1).ShouldBe(Ipv4.Loopback);
        Ipv4.Format(Ipv4.Loopback).ShouldBe("127.0.0.1");
        Ipv4.Format(Ipv4.Address(192, 168, 255, 7)).ShouldBe("192.168.255.7");
        Ipv4.Address(256 + 10, 0, 0, 1).ShouldBe(Ipv4.Address(10, 0, 0, 1));
    }
}
