namespace Kml.Tal.Tests.Corpus;

/// <summary>One theory per corpus file (tests/Kml.Tal.Tests/Cases); each case is one test.</summary>
public sealed class CorpusTests
{
    public static IEnumerable<object[]> Accepted() => CorpusRunner.Cases("accepted.txt");
    public static IEnumerable<object[]> Conditions() => CorpusRunner.Cases("conditions.txt");
    public static IEnumerable<object[]> Arrays() => CorpusRunner.Cases("arrays.txt");
    public static IEnumerable<object[]> Pointers() => CorpusRunner.Cases("pointers.txt");
    public static IEnumerable<object[]> Stack() => CorpusRunner.Cases("stack.txt");
    public static IEnumerable<object[]> Control() => CorpusRunner.Cases("control.txt");
    public static IEnumerable<object[]> Forbidden() => CorpusRunner.Cases("forbidden.txt");
    public static IEnumerable<object[]> Data() => CorpusRunner.Cases("data.txt");
    public static IEnumerable<object[]> Imports() => CorpusRunner.Cases("imports.txt");
    public static IEnumerable<object[]> AssemblerErrors() => CorpusRunner.Cases("assembler.txt");

    [Theory, MemberData(nameof(Accepted))] public void Checker_Accepts_WellTypedPrograms(CorpusCase c) => CorpusRunner.Run(c);
    [Theory, MemberData(nameof(Conditions))] public void Checker_ProvesBounds_OnlyOnTheRightSideOfEachCondition(CorpusCase c) => CorpusRunner.Run(c);
    [Theory, MemberData(nameof(Arrays))] public void Checker_ChecksArrayAccesses(CorpusCase c) => CorpusRunner.Run(c);
    [Theory, MemberData(nameof(Pointers))] public void Checker_ChecksPointersAndFields(CorpusCase c) => CorpusRunner.Run(c);
    [Theory, MemberData(nameof(Stack))] public void Checker_ChecksTheStack(CorpusCase c) => CorpusRunner.Run(c);
    [Theory, MemberData(nameof(Control))] public void Checker_ChecksControlFlow(CorpusCase c) => CorpusRunner.Run(c);
    [Theory, MemberData(nameof(Forbidden))] public void Checker_Rejects_ForbiddenInstructionsAndPrefixes(CorpusCase c) => CorpusRunner.Run(c);
    [Theory, MemberData(nameof(Data))] public void Checker_ChecksStaticData(CorpusCase c) => CorpusRunner.Run(c);
    [Theory, MemberData(nameof(Imports))] public void Checker_ChecksTheKernelInterface(CorpusCase c) => CorpusRunner.Run(c);
    [Theory, MemberData(nameof(AssemblerErrors))] public void Assembler_Reports_FileLineAndColumn(CorpusCase c) => CorpusRunner.Run(c);
}
