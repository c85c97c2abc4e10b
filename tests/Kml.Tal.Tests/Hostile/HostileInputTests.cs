using System.Buffers.Binary;
using Kml.Tal.Annotations;
using Kml.Tal.Assembler;
using Kml.Tal.Checker;
using Kml.Tal.Elf;
using Shouldly;

namespace Kml.Tal.Tests.Hostile;

/// <summary>Malformed files and annotations become clean rejections with a message, never exceptions.</summary>
public sealed class HostileInputTests
{
    private static CheckResult CheckWithoutThrowing(byte[] bytes)
    {
        CheckResult? result = null;
        Should.NotThrow(() => result = TalChecker.Check(bytes));
        return result!;
    }

    [Theory, MemberData(nameof(TestPrograms.SampleNames), MemberType = typeof(TestPrograms))]
    public void Checker_Rejects_EveryTruncatedFile(string sample)
    {
        var bytes = TestPrograms.AssembleSample(sample);
        for (var n = 0; n < bytes.Length; n += Math.Max(1, n / 64))
        {
            var r = CheckWithoutThrowing(bytes[..n]);
            r.Accepted.ShouldBeFalse($"truncated to {n} bytes");
            r.Diagnostics[0].ToString().ShouldNotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public void Checker_Rejects_RandomBytes_WithoutThrowing()
    {
        var random = new Random(1234);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            if (bytes.Length > 4) { bytes[0] = 0x7f; bytes[1] = (byte)'E'; bytes[2] = (byte)'L'; bytes[3] = (byte)'F'; }
            CheckWithoutThrowing(bytes).Accepted.ShouldBeFalse();
        }
    }

    [Fact]
    public void Checker_Rejects_RandomAnnotations_WithoutThrowing()
    {
        var obj = ElfReader.Read(TestPrograms.AssembleSample("array_sum.tal"));
        var random = new Random(99);
        for (var i = 0; i < 2000; i++)
        {
            var annotations = (byte[])obj.Annotations.Clone();
            for (var f = 0; f < 1 + random.Next(4); f++)
                annotations[random.Next(annotations.Length)] ^= (byte)(1 << random.Next(8));
            var bytes = ElfWriter.Write(new TalObject { Text = obj.Text, RoData = obj.RoData, Imports = obj.Imports, Data = obj.Data, Entry = obj.Entry, Annotations = annotations });
            CheckWithoutThrowing(bytes);
        }
    }

    [Fact]
    public void Checker_Rejects_StaticArrayWhoseLengthTimesSizeOverflows()
    {
        const string source = """
            .import exit
            .data
            t: .array Big [1, 2, 3]
            .struct Big size 12 { a: mut i32, b: mut i32, c: mut i32 }
            .text
            _start: {esp: [...]}
                push 0
                call [exit]
            """;
        var obj = TalAssembler.Assemble(source, "overflow.tal");
        // Claim 0x15555556 elements: 12 × that wraps to 8 in 32 bits, so a checker computing in uint would accept.
        var data = (byte[])obj.Data!.Bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(data, 0x15555556);
        var bytes = ElfWriter.Write(new TalObject { Text = obj.Text, RoData = obj.RoData, Imports = obj.Imports, Data = new TalSection(obj.Data.Address, data), Entry = obj.Entry, Annotations = obj.Annotations });
        var r = CheckWithoutThrowing(bytes);
        r.Diagnostics.Select(d => d.ToString()).ShouldBe(["data t@0x08049000: TAL1007 ill-typed static data: expected length × 12 + 4 <= 16 bytes, found length 357913942"]);
    }

    [Fact]
    public void Checker_Rejects_AnImportTableThatIsNotZeroInTheFile()
    {
        var obj = ElfReader.Read(TestPrograms.AssembleSample("hello.tal"));
        var table = (byte[])obj.Imports!.Bytes.Clone();
        table[0] = 0x90;
        var bytes = ElfWriter.Write(new TalObject { Text = obj.Text, RoData = obj.RoData, Imports = new TalSection(obj.Imports.Address, table), Data = obj.Data, Entry = obj.Entry, Annotations = obj.Annotations });
        CheckWithoutThrowing(bytes).Diagnostics[0].ToString().ShouldBe("imports: TAL1008 bad import: the import table must be zero in the file (the loader fills it)");
    }

    [Fact]
    public void Checker_Rejects_ASegmentThatDoesNotMatchItsSection()
    {
        var bytes = TestPrograms.AssembleSample("hello.tal");
        // Program header 0 (the .text PT_LOAD): grow its memory size past the section.
        var ph = 52;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(ph + 20), 0x2000);
        CheckWithoutThrowing(bytes).Diagnostics[0].Rule.ShouldBe("TAL1001 malformed object");
    }

    [Fact]
    public void Checker_Rejects_AWritableTextSegment()
    {
        var bytes = TestPrograms.AssembleSample("hello.tal");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(52 + 24), 7);
        CheckWithoutThrowing(bytes).Diagnostics[0].ToString().ShouldBe("object: TAL1001 malformed object: ELF byte 0x4c: PT_LOAD of .text has flags 0x7, expected 0x5");
    }

    [Fact]
    public void Checker_Rejects_AnEntryPointOutsideText()
    {
        var bytes = TestPrograms.AssembleSample("hello.tal");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), 0x1000);
        CheckWithoutThrowing(bytes).Diagnostics[0].ToString().ShouldBe("object: TAL1001 malformed object: ELF byte 0x18: entry 0x1000 is outside .text");
    }

    [Fact]
    public void Checker_Rejects_CodeBitFlips_WithoutThrowing()
    {
        var obj = ElfReader.Read(TestPrograms.AssembleSample("cat_file.tal"));
        var random = new Random(7);
        var accepted = 0;
        for (var i = 0; i < 3000; i++)
        {
            var text = (byte[])obj.Text.Bytes.Clone();
            text[random.Next(text.Length)] ^= (byte)(1 << random.Next(8));
            var bytes = ElfWriter.Write(new TalObject { Text = new TalSection(obj.Text.Address, text), RoData = obj.RoData, Imports = obj.Imports, Data = obj.Data, Entry = obj.Entry, Annotations = obj.Annotations });
            if (CheckWithoutThrowing(bytes).Accepted) accepted++;
        }
        accepted.ShouldBeLessThan(3000);
    }
}

public sealed class HostileAnnotationTests
{
    private static byte[] WithAnnotations(Action<TalAnnotations> edit)
    {
        var obj = ElfReader.Read(TestPrograms.AssembleSample("hello.tal"));
        var a = AnnotationReader.Read(obj.Annotations);
        edit(a);
        return ElfWriter.Write(new TalObject { Text = obj.Text, RoData = obj.RoData, Imports = obj.Imports, Data = obj.Data, Entry = obj.Entry, Annotations = AnnotationWriter.Write(a) });
    }

    [Fact]
    public void Checker_Rejects_ADeepChainOfInlineStructs_WithoutExhaustingTheStack()
    {
        var bytes = WithAnnotations(a =>
        {
            for (var i = 0; i < 50_000; i++)
                a.Structs.Add(new Kml.Tal.Types.StructDef($"S{i}", 4, [new Kml.Tal.Types.FieldDef("f", 0,
                    i + 1 < 50_000 ? new Kml.Tal.Types.InlineField($"S{i + 1}") : new Kml.Tal.Types.ScalarField(Kml.Tal.Types.ScalarKind.I32), true)]));
        });
        var result = TalChecker.Check(bytes);
        result.Accepted.ShouldBeFalse();
        result.Diagnostics[0].Detail.ShouldContain("nested inline more than 64 deep");
    }

    [Fact]
    public void Checker_Rejects_ManyLargeStructs_Quickly()
    {
        var bytes = WithAnnotations(a =>
        {
            for (var i = 0; i < 2_000; i++)
                a.Structs.Add(new Kml.Tal.Types.StructDef($"S{i}", 65536, [new Kml.Tal.Types.FieldDef("f", 0, new Kml.Tal.Types.ScalarField(Kml.Tal.Types.ScalarKind.I32), true)]));
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = TalChecker.Check(bytes);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        result.Diagnostics[0].Detail.ShouldContain("structs total more than");
    }

    [Fact]
    public void Checker_Rejects_OverlappingFields_BeforeFlatteningThem()
    {
        var bytes = WithAnnotations(a =>
        {
            a.Structs.Add(new Kml.Tal.Types.StructDef("Big", 65536, [new Kml.Tal.Types.FieldDef("f", 0, new Kml.Tal.Types.ScalarField(Kml.Tal.Types.ScalarKind.U8), true)]));
            var fields = Enumerable.Range(0, 5000).Select(i => new Kml.Tal.Types.FieldDef($"b{i}", 0, new Kml.Tal.Types.InlineField("Big"), true)).ToList();
            a.Structs.Add(new Kml.Tal.Types.StructDef("Overlap", 65536, fields));
        });
        var result = TalChecker.Check(bytes);
        result.Diagnostics[0].Detail.ShouldContain("overlaps");
    }
}
