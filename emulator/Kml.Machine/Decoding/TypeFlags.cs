namespace Kml.Machine.Decoding;

/// <summary>A compile-time boolean for generic executors (the JIT removes the untaken side).</summary>
internal interface IFlag { static abstract bool Value { get; } }
internal struct Yes : IFlag { public static bool Value => true; }
internal struct No : IFlag { public static bool Value => false; }

/// <summary>A condition code (0 = O … 15 = G) as a type parameter, so a conditional handler evaluates one condition inline.</summary>
internal interface ICond { static abstract int Cc { get; } }
internal struct CondO : ICond { public static int Cc => 0; }
internal struct CondNo : ICond { public static int Cc => 1; }
internal struct CondB : ICond { public static int Cc => 2; }
internal struct CondAe : ICond { public static int Cc => 3; }
internal struct CondE : ICond { public static int Cc => 4; }
internal struct CondNe : ICond { public static int Cc => 5; }
internal struct CondBe : ICond { public static int Cc => 6; }
internal struct CondA : ICond { public static int Cc => 7; }
internal struct CondS : ICond { public static int Cc => 8; }
internal struct CondNs : ICond { public static int Cc => 9; }
internal struct CondP : ICond { public static int Cc => 10; }
internal struct CondNp : ICond { public static int Cc => 11; }
internal struct CondL : ICond { public static int Cc => 12; }
internal struct CondGe : ICond { public static int Cc => 13; }
internal struct CondLe : ICond { public static int Cc => 14; }
internal struct CondG : ICond { public static int Cc => 15; }
