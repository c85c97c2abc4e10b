using Xunit;

namespace Kml.EndToEnd.Tests.Support;

/// <summary>
/// The tests that bind host ports on 127.0.0.1 (the C samples, the recovery log, nc) run one at a time: recovery.c
/// frees a port by killing its holder and binds it again at once, so a concurrent bind of port 0 in another test of
/// this suite must not be able to take it in between.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostPortsCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "host ports";
}
