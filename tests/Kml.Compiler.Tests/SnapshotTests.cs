using Kml.Compiler.Listing;
using Kml.Compiler.Tests.Harness;
using Shouldly;

namespace Kml.Compiler.Tests;

/// <summary>
/// The TAL listings of small functions (Snapshots/Functions.cs, one per <c>// snapshot:</c> line) must match the
/// approved files next to this test: a change in code generation is a reviewed diff. To accept a change, check
/// the <c>*.received.txt</c> file and rename it to <c>*.approved.txt</c>.
/// </summary>
public sealed class SnapshotTests
{
    private static readonly string Source = Path.Combine(CorpusProgram.SourceDirectory(), "Snapshots", "Functions.cs");

    private static readonly Lazy<CompilationResult> Program = new(() =>
        KmlCompiler.CompileAsync([new SourceFile("Functions.cs", File.ReadAllText(Source))]).GetAwaiter().GetResult());

    public static TheoryData<string> Functions() =>
        [.. File.ReadLines(Source).Where(l => l.StartsWith("// snapshot: ", StringComparison.Ordinal)).Select(l => l["// snapshot: ".Length..])];

    [Theory]
    [MemberData(nameof(Functions))]
    public void Listing_OfFunction_MatchesTheApprovedSnapshot(string function)
    {
        var result = Program.Value;
        result.Success.ShouldBeTrue(string.Join("\n", result.Errors));
        var listing = TalListing.Format(result.Elf!, new ListingOptions { Function = function, RelativeOffsets = true, ShowBytes = false });
        listing.ShouldMatchApproved(c => c.WithDiscriminator(function.Replace("..", "_", StringComparison.Ordinal)));
    }
}
