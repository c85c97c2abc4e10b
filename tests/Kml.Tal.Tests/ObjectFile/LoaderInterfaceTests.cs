using Kml.Tal.Checker;
using Kml.Tal.Elf;
using Kml.Tal.Interface;
using Shouldly;

namespace Kml.Tal.Tests.ObjectFile;

public sealed class LoaderInterfaceTests
{
    [Fact]
    public void ImportBinding_Gives_SlotAddressesAndAllocationSizes()
    {
        var obj = ElfReader.Read(TestPrograms.AssembleSample("cat_file.tal"));
        var bindings = ImportBinding.For(obj);
        bindings.Select(b => b.Entry.Name).ShouldBe(["open", "read", "write", "close", "exit", "alloc_array"]);
        bindings.Select(b => b.SlotAddress).ShouldBe([.. Enumerable.Range(0, 6).Select(k => obj.Imports!.Address + 4u * (uint)k)]);
        bindings[^1].AllocationSize.ShouldBe(1);
        bindings[0].AllocationSize.ShouldBe(0);
    }

    [Fact]
    public void CheckResult_Marks_EveryInstructionStart()
    {
        var elf = TestPrograms.AssembleSample("hello.tal");
        var result = TalChecker.Check(elf);
        var starts = Enumerable.Range(0, result.InstructionStarts.Length).Where(i => result.InstructionStarts[i]).ToArray();
        starts.Length.ShouldBe(result.Instructions);
        starts[0].ShouldBe(0);
        starts.ShouldContain(0x0f); // call [write], after push dword [msg] (6), push 0 (2), push msg (5), push 1 (2)
        starts.ShouldNotContain(0x10);
    }
}
