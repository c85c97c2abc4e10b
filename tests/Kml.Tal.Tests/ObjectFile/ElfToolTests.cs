using System.Diagnostics;
using Kml.Tal.Elf;
using Shouldly;

namespace Kml.Tal.Tests.ObjectFile;

/// <summary>TAL objects open in binutils without complaint (skipped where readelf/objdump are absent).</summary>
public sealed class ElfToolTests
{
    private static (int Exit, string Out, string Err)? Run(string tool, string args)
    {
        var path = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
        if (path is null) return null;
        using var p = Process.Start(new ProcessStartInfo(path, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    [Theory, MemberData(nameof(TestPrograms.SampleNames), MemberType = typeof(TestPrograms))]
    public void Readelf_And_Objdump_Open_TalObjects(string sample)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kml-{Guid.NewGuid():N}.elf");
        File.WriteAllBytes(file, TestPrograms.AssembleSample(sample));
        try
        {
            var readelf = Run("readelf", $"-a -W {file}");
            if (readelf is null) return; // binutils not installed: nothing to compare against
            readelf.Value.Exit.ShouldBe(0);
            readelf.Value.Err.ShouldBeEmpty();
            readelf.Value.Out.ShouldContain("Intel 80386");
            readelf.Value.Out.ShouldContain(".kml.tal");
            var objdump = Run("objdump", $"-d {file}");
            if (objdump is null) return;
            objdump.Value.Exit.ShouldBe(0);
            objdump.Value.Err.ShouldBeEmpty();
            objdump.Value.Out.ShouldContain("<_start>:");
            objdump.Value.Out.ShouldNotContain("(bad)");
        }
        finally { File.Delete(file); }
    }

    [Theory, MemberData(nameof(TestPrograms.SampleNames), MemberType = typeof(TestPrograms))]
    public void ElfReader_Reads_WhatElfWriter_Wrote(string sample)
    {
        var bytes = TestPrograms.AssembleSample(sample);
        var obj = ElfReader.Read(bytes);
        var again = ElfReader.Read(ElfWriter.Write(obj));
        again.Text.Bytes.ShouldBe(obj.Text.Bytes);
        again.Annotations.ShouldBe(obj.Annotations);
        again.Entry.ShouldBe(obj.Entry);
        obj.Text.Bytes.Length.ShouldBeGreaterThan(0);
        obj.Entry.ShouldBeGreaterThanOrEqualTo(obj.Text.Address);
    }
}
