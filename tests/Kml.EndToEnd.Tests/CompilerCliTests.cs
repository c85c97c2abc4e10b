using System.Text.RegularExpressions;
using Kml.EndToEnd.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests;

/// <summary>
/// The C# toolchain through the `kml` launcher as a user meets it: `kml build A.cs B.cs -o PROG.elf`, `kml disasm`,
/// `kml run` (ring 0, verified) and `kml run --mode user` (ring 3); errors in MSBuild's format, one line each,
/// a non-zero exit status and never a stack trace.
/// </summary>
public sealed partial class CompilerCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kml-compiler-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Sample(string file) => Path.Combine(Paths.Repository, "samples", "csharp", "primes", file);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string BuildPrimes()
    {
        string elf = Path.Combine(_dir, "primes.elf");
        var r = CliTests.Kml("build", Sample("Primes.cs"), Sample("Sieve.cs"), "-o", elf);
        r.ExitCode.ShouldBe(0, r.ToString());
        r.StderrText.ShouldBeEmpty();
        File.Exists(elf).ShouldBeTrue();
        return elf;
    }

    private static void ShouldHaveNoStackTrace(RunResult r) => r.StderrText.ShouldNotContain("   at ", Shouldly.Case.Sensitive, r.ToString());

    [Fact]
    public void Build_TwoFiles_RunsInRing0AndRing3_WithTheSameOutput()
    {
        string elf = BuildPrimes();
        var kernel = CliTests.Kml("run", elf);
        var user = CliTests.Kml("run", "--mode", "user", elf);
        kernel.ExitCode.ShouldBe(0, kernel.ToString());
        kernel.StdoutText.ShouldBe("9592 primes below 100000; the last ones: 99901 99907 99923 99929 99961 99971 99989 99991 \nprimes.txt: 48 bytes, pid known\n");
        user.ExitCode.ShouldBe(0, user.ToString());
        user.StdoutText.ShouldBe(kernel.StdoutText);
    }

    [Theory]
    [InlineData("kernel")]
    [InlineData("user")]
    public void Run_CompiledHello_SeesItsArguments_AndExitsWithTheStatusTheyAskFor(string mode)
    {
        string elf = Path.Combine(_dir, "hello.elf");
        var build = CliTests.Kml("build", Path.Combine(Paths.Repository, "samples", "csharp", "hello", "Program.cs"), "-o", elf);
        build.ExitCode.ShouldBe(0, build.ToString());
        var r = CliTests.Kml("run", "--mode", mode, elf, "--", "Ada", "--exit", "7");
        r.StdoutText.ShouldStartWith("Hello, Ada!\n", Shouldly.Case.Sensitive, r.ToString());
        r.StdoutText.ShouldContain("greetings from Ada\n");
        r.ExitCode.ShouldBe(7, r.ToString());
        // Non-ASCII arguments arrive as UTF-8 and are decoded by the program; no --exit: status 0.
        var accented = CliTests.Kml("run", "--mode", mode, elf, "--", "Héloïse");
        accented.StdoutText.ShouldStartWith("Hello, Héloïse!\n", Shouldly.Case.Sensitive, accented.ToString());
        accented.ExitCode.ShouldBe(0, accented.ToString());
    }

    [Fact]
    public void Shell_ExecOfCompiledProgram_PassesItsArguments()
    {
        string source = Write("Args.cs", "using System;\nstatic class Program\n{\n    static int Main(string[] args)\n    {\n" +
            "        for (int i = 0; i < args.Length; i++) Console.WriteLine(i + \"=[\" + args[i] + \"]\");\n        return args.Length;\n    }\n}\n");
        string elf = Path.Combine(_dir, "args.elf");
        var build = CliTests.Kml("build", source, "-o", elf);
        build.ExitCode.ShouldBe(0, build.ToString());
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(elf, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // execve from a shell in ring 3: argv after argv[0], the guest's bytes unchanged.
        var r = CliTests.Kml("run", "--mode", "user", "--root", _dir, Paths.Busybox, "--", "sh", "-c", "./args.elf one 'two words' '' ünï; echo status $?");
        r.ExitCode.ShouldBe(0, r.ToString());
        r.StdoutText.ShouldBe("0=[one]\n1=[two words]\n2=[]\n3=[ünï]\nstatus 4\n", r.ToString());
    }

    [Fact]
    public void Run_CompiledProgram_ReportsItsProtectionLevel()
    {
        string elf = BuildPrimes();
        var r = CliTests.Kml("run", "--stats", elf);
        r.ExitCode.ShouldBe(0, r.ToString());
        r.StderrText.ShouldContain("level 4: ring 0, TAL-verified");
        r.StderrText.ShouldContain("accepted");
    }

    [Fact]
    public void Disasm_ListsCSharpLines_TalTypesAtLabels_AndInstructions()
    {
        string elf = BuildPrimes();
        var r = CliTests.Kml("disasm", elf, "--function", "Sieve.Composites");
        r.ExitCode.ShouldBe(0, r.ToString());
        var listing = r.StdoutText;
        listing.ShouldContain("Sieve.Composites: {");                         // the function's label with its code type
        listing.ShouldContain("esp: [ret {");                                 // the return address's type
        listing.ShouldContain("ptr u8[]");                                    // a TAL type at a block label
        listing.ShouldContain("Sieve.cs:11: for (int j = i * i; j < limit; j += i) composite[j] = true;"); // the C# line
        listing.ShouldMatch(@"(?m)^  [0-9a-f]{8}  [0-9a-f]+ +cmp \w+, \[\w+\]$");   // a bounds check: address, bytes, instruction
        listing.ShouldNotContain("Program.Main");                             // only the function asked for
    }

    [Fact]
    public void Build_OutsideTheSubset_ReportsMSBuildErrors_AndExits1()
    {
        string source = Write("Float.cs", "using System;\nstatic class Program\n{\n    static void Main()\n    {\n        double d = 1.5;\n        Console.WriteLine(d);\n    }\n}\n");
        var r = CliTests.Kml("build", source, "-o", Path.Combine(_dir, "float.elf"));
        r.ExitCode.ShouldBe(1);
        ShouldHaveNoStackTrace(r);
        var lines = r.StderrText.Trim().Split('\n');
        lines.ShouldNotBeEmpty();
        lines.ShouldAllBe(l => MsBuildError().IsMatch(l));
        lines[0].ShouldBe($"{source}(6,9): error KML0001: floating-point type 'double' is not in the KML subset");
        File.Exists(Path.Combine(_dir, "float.elf")).ShouldBeFalse();
    }

    [Fact]
    public void Build_NotCSharp_ReportsTheCSharpErrors_AndExits1()
    {
        string source = Write("Broken.cs", "static class Program\n{\n    static void Main() { int x = \"text\"; }\n}\n");
        var r = CliTests.Kml("build", source);
        r.ExitCode.ShouldBe(1);
        ShouldHaveNoStackTrace(r);
        r.StderrText.Trim().ShouldBe($"{source}(3,34): error CS0029: Cannot implicitly convert type 'string' to 'int'");
    }

    [Fact]
    public void Build_MissingSource_OrOutputDirectory_OneLine_Exit2()
    {
        var missing = CliTests.Kml("build", Path.Combine(_dir, "NoSuch.cs"));
        missing.ExitCode.ShouldBe(2);
        missing.StderrText.Trim().ShouldBe($"kml: {Path.Combine(_dir, "NoSuch.cs")}: no such file");
        var nowhere = CliTests.Kml("build", Sample("Primes.cs"), Sample("Sieve.cs"), "-o", Path.Combine(_dir, "no", "such", "dir", "p.elf"));
        nowhere.ExitCode.ShouldBe(2);
        nowhere.StderrText.Trim().ShouldStartWith($"kml: {Path.Combine(_dir, "no", "such", "dir", "p.elf")}: cannot write the program: no such directory");
        nowhere.StderrText.Trim().Split('\n').Length.ShouldBe(1);
    }

    [Fact]
    public void Disasm_NotAnElf_OneLineNamingTheFile_Exit2()
    {
        string bad = Write("bad.elf", "not an elf at all");
        var r = CliTests.Kml("disasm", bad);
        r.ExitCode.ShouldBe(2);
        ShouldHaveNoStackTrace(r);
        r.StderrText.Trim().ShouldStartWith($"kml: {bad}: ");
        r.StderrText.Trim().Split('\n').Length.ShouldBe(1);
        var missing = CliTests.Kml("disasm", Path.Combine(_dir, "none.elf"));
        missing.ExitCode.ShouldBe(2);
        missing.StderrText.Trim().ShouldBe($"kml: {Path.Combine(_dir, "none.elf")}: no such file");
    }

    [Fact]
    public void Run_RuntimeError_Exits134_NamingTheExceptionAndTheCSharpLine()
    {
        string source = Write("Index.cs", "using System;\nstatic class Program\n{\n    static void Main()\n    {\n        int[] a = new int[3];\n        for (int i = 0; i <= 3; i++) a[i] = i;\n        Console.WriteLine(\"not reached\");\n    }\n}\n");
        string elf = Path.Combine(_dir, "index.elf");
        CliTests.Kml("build", source, "-o", elf).ExitCode.ShouldBe(0);
        foreach (var mode in new[] { "kernel", "user" })
        {
            var r = CliTests.Kml("run", "--mode", mode, elf);
            r.ExitCode.ShouldBe(134, r.ToString());
            r.StdoutText.ShouldBeEmpty();
            r.StderrText.ShouldContain("System.IndexOutOfRangeException");
            r.StderrText.ShouldContain("Index.cs:line 7");
        }
    }

    /// <summary>
    /// kml bench compiler runs the C# and the gcc -O2 version of a benchmark in the emulator and compares their emulated
    /// cycles. Emulated time is deterministic, so the v1 target (within 2x of gcc) is checked here, per program.
    /// </summary>
    [Theory]
    [InlineData("sieve")]
    [InlineData("sort")]
    [InlineData("matmul")]
    public void BenchCompiler_CompiledCSharp_IsWithinTwiceGcc(string program)
    {
        var r = CliTests.Kml("bench", "compiler", "--only", program, "--runs", "1");
        r.ExitCode.ShouldBe(0, r.ToString());
        var row = r.StdoutText.Split('\n').Single(l => l.Contains($" {program} ", StringComparison.Ordinal));
        var ratio = double.Parse(Ratio().Match(row).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        ratio.ShouldBeLessThanOrEqualTo(2.0, row);
        r.StdoutText.ShouldContain("gcc -m32 -O2 -static");
        r.StdoutText.ShouldContain("Compile time of the largest C# program");
    }

    [GeneratedRegex(@" (\d+\.\d+)× ")]
    private static partial Regex Ratio();

    [GeneratedRegex(@"^.+\(\d+,\d+\): error KML\d{4}: .+$")]
    private static partial Regex MsBuildError();
}
