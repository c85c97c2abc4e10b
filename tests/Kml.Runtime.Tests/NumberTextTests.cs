using Shouldly;

namespace Kml.Runtime.Tests;

/// <summary>The subset's number routines against .NET's own ToString and int.Parse (the oracle).</summary>
public sealed class NumberTextTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(9L)]
    [InlineData(10L)]
    [InlineData(-10L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void FromInt64_AgreesWithToString(long value)
    {
        NumberText.FromInt64(value).ShouldBe(value.ToString());
    }

    [Fact]
    public void FromInt64AndFromUInt64_AgreeWithToString_OnRandomValues()
    {
        var random = new Random(42);
        for (var i = 0; i < 20000; i++)
        {
            var bits = (ulong)random.NextInt64() << 1 ^ (ulong)random.Next(2);
            var value = bits >> random.Next(64);
            NumberText.FromUInt64(value).ShouldBe(value.ToString());
            NumberText.FromInt64((long)value).ShouldBe(((long)value).ToString());
            NumberText.FromInt64(-(long)value).ShouldBe((-(long)value).ToString());
        }
        NumberText.FromUInt64(ulong.MaxValue).ShouldBe("18446744073709551615");
    }

    [Fact]
    public void FromCharAndFromBoolean_AgreeWithToString()
    {
        foreach (var c in "a\0\uFFFF\uD800€")
        {
            NumberText.FromChar(c).ShouldBe(c.ToString());
        }
        NumberText.FromBoolean(true).ShouldBe(true.ToString());
        NumberText.FromBoolean(false).ShouldBe(false.ToString());
    }

    public static TheoryData<string, int> ParseCases() => CaseFile.Lines("parse-int32.txt");

    /// <summary>Each line is a C# string literal's contents (with \t, \0, \u escapes); the status must match int.Parse.</summary>
    [Theory]
    [MemberData(nameof(ParseCases))]
    public void ParseInt32_AgreesWithIntParse(string escaped, int line)
    {
        var text = System.Text.RegularExpressions.Regex.Unescape(escaped.Trim('"'));
        NumberText.ParseInt32(text).ShouldBe(Oracle(text), $"parse-int32.txt line {line}: \"{escaped}\"");
    }

    [Fact]
    public void ParseInt32_AgreesWithIntParse_OnRandomStrings()
    {
        const string alphabet = "0123456789 \t\r-+\0x";
        var random = new Random(7);
        for (var i = 0; i < 50000; i++)
        {
            var chars = new char[random.Next(0, 14)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(random.Next(2) == 0 ? 10 : alphabet.Length)];
            }
            var text = new string(chars);
            NumberText.ParseInt32(text).ShouldBe(Oracle(text), $"\"{System.Text.RegularExpressions.Regex.Escape(text)}\"");
        }
    }

    [Fact]
    public void ParseInt32_OfNull_IsNull()
    {
        NumberText.ParseInt32(null).Status.ShouldBe(ParseStatus.Null);
    }

    private static ParsedInt32 Oracle(string text)
    {
        try
        {
            return new ParsedInt32 { Value = int.Parse(text), Status = ParseStatus.Ok };
        }
        catch (FormatException)
        {
            return new ParsedInt32 { Status = ParseStatus.Format };
        }
        catch (OverflowException)
        {
            return new ParsedInt32 { Status = ParseStatus.Overflow };
        }
    }
}
