using System.Reflection;
using System.Text.RegularExpressions;
using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Rules;
using Kml.Analyzers.Subset;
using Kml.Analyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Shouldly;

namespace Kml.Analyzers.Tests;

/// <summary>The conventions every rule follows: one analyzer, one descriptor, a doc page, a release entry, test cases.</summary>
public sealed class ConventionTests
{
    private static readonly string Root = ProgramTests.RepositoryRoot();

    public static TheoryData<string> RuleIds() => [.. RuleIdentifierValues()];

    private static IEnumerable<string> RuleIdentifierValues() =>
        typeof(RuleIdentifiers).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);

    [Fact]
    public void RuleIdentifiers_AreNumberedWithoutGaps_AndEachHasOneDescriptorAndOneAnalyzer()
    {
        var ids = RuleIdentifierValues().ToList();
        ids.ShouldBe(Enumerable.Range(1, ids.Count).Select(i => $"KML{i:D4}"));
        DiagnosticDescriptors.All.Select(d => d.Id).ShouldBe(ids);
        KmlAnalyzers.All.Select(a => a.SupportedDiagnostics.Single().Id).ShouldBe(ids);
    }

    [Fact]
    public void EveryAnalyzerInTheAssembly_IsInKmlAnalyzersAll_AndCarriesTheAttribute()
    {
        var types = typeof(KmlAnalyzer).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(DiagnosticAnalyzer)) && !t.IsAbstract).ToList();
        types.Select(t => t.Name).Order().ShouldBe(KmlAnalyzers.All.Select(a => a.GetType().Name).Order());
        foreach (var type in types)
        {
            type.GetCustomAttribute<DiagnosticAnalyzerAttribute>().ShouldNotBeNull(type.Name);
            type.Name.ShouldEndWith("Analyzer");
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_HasADocPage_WithTheSections(string id)
    {
        var descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        descriptor.HelpLinkUri.ShouldBe($"docs/rules/{id}.md");
        var page = Path.Combine(Root, descriptor.HelpLinkUri);
        File.Exists(page).ShouldBeTrue($"{page} is missing");
        var text = File.ReadAllText(page);
        text.ShouldStartWith($"# {id}: {descriptor.Title}");
        foreach (var section in new[] { "## What", "## Why", "## Example", "## How to fix" })
        {
            text.ShouldContain(section);
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_HasAReleaseTrackingEntry_MatchingItsDescriptor(string id)
    {
        var descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        var lines = File.ReadAllLines(Path.Combine(Root, "analyzers", "Kml.Analyzers", "AnalyzerReleases.Unshipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(Root, "analyzers", "Kml.Analyzers", "AnalyzerReleases.Shipped.md")));
        var entry = lines.SingleOrDefault(l => l.StartsWith(id + " ", StringComparison.Ordinal));
        entry.ShouldNotBeNull($"{id} has no release entry");
        entry.Split('|').Select(s => s.Trim()).Take(3).ShouldBe([id, descriptor.Category, "Error"]);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_HasCases_ThatViolateAndThatAccept(string id)
    {
        var path = Path.Combine(CaseFile.Directory, id + ".cs");
        File.Exists(path).ShouldBeTrue($"{path} is missing");
        var cases = CaseFile.Read(path);
        cases.ShouldContain(c => !c.Accept, "a case that violates the rule");
        cases.ShouldContain(c => c.Accept, "a case of subset code near the rule");
    }

    [Fact]
    public void SubsetDocument_NamesEveryRule()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "subset.md"));
        foreach (var id in RuleIdentifierValues())
        {
            text.ShouldContain($"[{id}](rules/{id}.md)");
        }
    }

    public static TheoryData<string> SurfaceKeys() => [.. LibrarySurface.Keys.Order(StringComparer.Ordinal)];

    /// <summary>A key that names no symbol would silently allow nothing: each must match a symbol of the reference assemblies.</summary>
    [Theory]
    [MemberData(nameof(SurfaceKeys))]
    public void LibrarySurfaceKey_NamesARealSymbol(string key)
    {
        var compilation = Analysis.Compile("class C { }", "c.cs");
        var typeName = key[0] == 'T' ? key[2..] : TypeOfMember(key);
        var type = compilation.GetTypeByMetadataName(typeName);
        type.ShouldNotBeNull($"{key}: no type {typeName}");
        if (key[0] != 'T')
        {
            type.GetMembers().Select(SymbolKeys.For).ShouldContain(key);
        }
    }

    private static string TypeOfMember(string key)
    {
        var name = key[2..];
        var paren = name.IndexOf('(');
        if (paren >= 0)
        {
            name = name[..paren];
        }
        return name[..name.LastIndexOf('.')];
    }

    [Fact]
    public void Messages_AllReadAsAConstructNotInTheSubset()
    {
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            descriptor.MessageFormat.ToString().ShouldBe("{0} is not in the KML subset");
            descriptor.DefaultSeverity.ShouldBe(DiagnosticSeverity.Error);
            descriptor.CustomTags.ShouldContain(WellKnownDiagnosticTags.NotConfigurable);
            descriptor.Title.ToString().ShouldNotEndWith(".");
            Regex.IsMatch(descriptor.Description.ToString(), @"\.$").ShouldBeTrue($"{descriptor.Id}: the description is sentences");
        }
    }
}
