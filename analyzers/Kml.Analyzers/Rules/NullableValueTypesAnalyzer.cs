using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>KML0014: nullable value types (int?, Nullable&lt;T&gt;) where the program names them. string? is fine.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NullableValueTypesAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public NullableValueTypesAnalyzer()
        : base(DiagnosticDescriptors.NullableValueTypes)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context) => TypeReferences.Register(context, Rule);
}
