using System.Globalization;
using System.Reflection;
using Kml.Machine;
using Shouldly;
using Xunit;

namespace Kml.Kernel.Tests;

/// <summary>
/// docs/cycle-model.md is the documentation of the emulated-time tables: its CPU table must be CycleModel's Pentium4
/// and Modern presets, its kernel table KernelCostModel.Calibrated, entry for entry (each row is a case, by line).
/// </summary>
public sealed class CycleModelDocumentationTests
{
    private const string Doc = "docs/cycle-model.md";

    private static string[] Lines => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "cycle-model.md"));

    /// <summary>The rows of the table under <paramref name="heading"/>: (line, cells without the outer pipes).</summary>
    private static IEnumerable<(int Line, string[] Cells)> TableRows(string heading)
    {
        var lines = Lines;
        int i = Array.FindIndex(lines, l => l.StartsWith("## ", StringComparison.Ordinal) && l.Contains(heading, StringComparison.Ordinal));
        if (i < 0) throw new InvalidDataException($"{Doc}: no section \"{heading}\"");
        for (i++; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            string l = lines[i].Trim();
            if (!l.StartsWith("| `", StringComparison.Ordinal)) continue;
            yield return (i + 1, l.Trim('|').Split('|').Select(c => c.Trim()).ToArray());
        }
    }

    private static string[] Names(string cell) => cell.Split('/').Select(n => n.Trim().Trim('`')).ToArray();

    private static string[] Values(string cell) => cell.Split('/').Select(v => v.Trim()).ToArray();

    public static TheoryData<int> CpuRows()
    {
        var data = new TheoryData<int>();
        foreach (var (line, _) in TableRows("The CPU table")) data.Add(line);
        return data;
    }

    [Theory]
    [MemberData(nameof(CpuRows))]
    public void CpuTableRow_IsWhatTheCodeSays(int line)
    {
        var cells = TableRows("The CPU table").Single(r => r.Line == line).Cells;
        var names = Names(cells[0]);
        var p4 = Values(cells[2]);
        var modern = Values(cells[3]);
        names.Length.ShouldBe(p4.Length, $"{Doc}:{line}: as many Pentium4 values as names");
        names.Length.ShouldBe(modern.Length, $"{Doc}:{line}: as many Modern values as names");
        for (int i = 0; i < names.Length; i++)
        {
            var property = typeof(CycleModel).GetProperty(names[i]) ?? throw new InvalidDataException($"{Doc}:{line}: CycleModel has no entry {names[i]}");
            property.GetValue(CycleModel.Pentium4).ShouldBe(int.Parse(p4[i], CultureInfo.InvariantCulture), $"{Doc}:{line}: Pentium4.{names[i]}");
            property.GetValue(CycleModel.Modern).ShouldBe(int.Parse(modern[i], CultureInfo.InvariantCulture), $"{Doc}:{line}: Modern.{names[i]}");
        }
    }

    [Fact]
    public void CpuTable_DocumentsEveryEntry_AndTheClock()
    {
        var documented = TableRows("The CPU table").SelectMany(r => Names(r.Cells[0])).ToHashSet();
        var entries = typeof(CycleModel).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(int)).Select(p => p.Name);
        entries.Where(e => !documented.Contains(e)).ShouldBeEmpty($"{Doc}: CycleModel entries missing from the table");
        CycleModel.Pentium4.ClockHz.ShouldBe(3_000_000_000);
        CycleModel.Modern.ClockHz.ShouldBe(3_000_000_000);
        Lines.ShouldContain(l => l.Contains("Pentium4 (default, 3.0 GHz)") && l.Contains("Modern (3.0 GHz)"));
    }

    public static TheoryData<int> KernelRows()
    {
        var data = new TheoryData<int>();
        foreach (var (line, _) in TableRows("The kernel table")) data.Add(line);
        return data;
    }

    [Theory]
    [MemberData(nameof(KernelRows))]
    public void KernelTableRow_IsWhatTheCodeSays(int line)
    {
        var cells = TableRows("The kernel table").Single(r => r.Line == line).Cells;
        string name = cells[0].Trim('`');
        double documented = double.Parse(cells[2], CultureInfo.InvariantCulture);
        var costs = KernelCostModel.Calibrated;
        double actual;
        if (name.StartsWith("PerCall[\"", StringComparison.Ordinal))
        {
            string call = name["PerCall[\"".Length..^2];
            costs.PerCall.ContainsKey(call).ShouldBeTrue($"{Doc}:{line}: KernelCostModel.Calibrated has no entry for {call}");
            actual = costs.PerCall[call];
        }
        else
        {
            var property = typeof(KernelCostModel).GetProperty(name) ?? throw new InvalidDataException($"{Doc}:{line}: KernelCostModel has no entry {name}");
            actual = Convert.ToDouble(property.GetValue(costs), CultureInfo.InvariantCulture);
        }
        actual.ShouldBe(documented, $"{Doc}:{line}: {name}");
    }

    [Fact]
    public void KernelTable_DocumentsEveryEntry()
    {
        var documented = TableRows("The kernel table").Select(r => r.Cells[0].Trim('`')).ToHashSet();
        foreach (var call in KernelCostModel.Calibrated.PerCall.Keys) documented.ShouldContain($"PerCall[\"{call}\"]");
        foreach (var p in typeof(KernelCostModel).GetProperties().Where(p => p.PropertyType == typeof(int) || p.PropertyType == typeof(double)))
            documented.ShouldContain(p.Name);
    }
}
