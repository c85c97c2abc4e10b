namespace Kml.Machine.Decoding;

/// <summary>A compile-time boolean for generic executors (the JIT removes the untaken side).</summary>
internal interface IFlag { static abstract bool Value { get; } }
internal struct Yes : IFlag { public static bool Value => true; }
internal struct No : IFlag { public static bool Value => false; }
