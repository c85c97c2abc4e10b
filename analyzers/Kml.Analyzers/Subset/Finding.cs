using Microsoft.CodeAnalysis;

namespace Kml.Analyzers.Subset;

/// <summary>What is outside the subset about a type or a member: the one rule that owns it and the phrase naming it.</summary>
public readonly struct Finding
{
    /// <summary>Creates a finding.</summary>
    /// <param name="rule">The rule that reports it.</param>
    /// <param name="construct">The phrase naming the construct (see Diagnostics.Constructs).</param>
    public Finding(DiagnosticDescriptor rule, string construct)
    {
        Rule = rule;
        Construct = construct;
    }

    /// <summary>The rule that reports it.</summary>
    public DiagnosticDescriptor Rule { get; }

    /// <summary>The phrase naming the construct.</summary>
    public string Construct { get; }
}
