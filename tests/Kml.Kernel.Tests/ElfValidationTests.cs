using Kml.Kernel.Elf;
using Kml.Kernel.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.Kernel.Tests;

public sealed class ElfValidationTests
{
    public static TheoryData<string, int> HostileCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var (line, _) in DataFile.Read("elf-hostile.txt")) data.Add("elf-hostile.txt", line);
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void Loader_RejectsHostileElf_WithOneLineMessage(string file, int line)
    {
        var fields = DataFile.Read(file).Single(c => c.Line == line).Fields;
        var bytes = TestElf.Apply(fields[1]);
        var ex = Should.Throw<InvalidDataException>(() => ElfImage.Parse("test.elf", bytes), $"{file}:{line} ({fields[0]})");
        ex.Message.ShouldBe(fields[2].Replace("{file}", "test.elf"), $"{file}:{line} ({fields[0]})");
        ex.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Loader_AcceptsMinimalStaticExecutable()
    {
        var image = ElfImage.Parse("min.elf", TestElf.Minimal());
        image.Entry.ShouldBe(TestElf.Base + TestElf.CodeOffset);
        image.Segments.Length.ShouldBe(1);
        image.ProgramHeaderAddress.ShouldBe(TestElf.Base + TestElf.PhdrOffset);
        image.HighestAddress.ShouldBe(TestElf.Base + TestElf.Size);
    }
}
