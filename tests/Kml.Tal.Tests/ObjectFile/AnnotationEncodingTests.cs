using Kml.Tal.Annotations;
using Kml.Tal.Elf;
using Shouldly;

namespace Kml.Tal.Tests.ObjectFile;

public sealed class AnnotationEncodingTests
{
    [Theory, MemberData(nameof(TestPrograms.SampleNames), MemberType = typeof(TestPrograms))]
    public void AnnotationWriter_RoundTrips_ThroughTheReader(string sample)
    {
        var original = ElfReader.Read(TestPrograms.AssembleSample(sample)).Annotations;
        var decoded = AnnotationReader.Read(original);
        AnnotationWriter.Write(decoded).ShouldBe(original);
    }

    [Theory, MemberData(nameof(TestPrograms.SampleNames), MemberType = typeof(TestPrograms))]
    public void AnnotationReader_Rejects_EveryTruncation_WithInvalidData(string sample)
    {
        var bytes = ElfReader.Read(TestPrograms.AssembleSample(sample)).Annotations;
        for (var n = 0; n < bytes.Length; n++)
            Should.Throw<InvalidDataException>(() => AnnotationReader.Read(bytes[..n]));
    }

    [Fact]
    public void AnnotationReader_Rejects_ReturnTypeThatNamesALaterCodeType()
    {
        // magic, version, 0 strings, 0 structs, 1 code type: no registers, unprobed 0, 1 slot = ret(code type 0) (itself)
        byte[] bytes = [.. "KTAL"u8, 1, 0, 0, 1, 0, 0, 1, 6, 0, 0, 0, 0, 0, 0];
        Should.Throw<InvalidDataException>(() => AnnotationReader.Read(bytes)).Message.ShouldContain("not defined before it");
    }
}
