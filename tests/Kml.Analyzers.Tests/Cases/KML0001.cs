// KML0001: floating-point types and literals.
// A case starts at "// case:" (markup marks the expected diagnostics, "// expect:" gives their messages in order)
// or "// accept:" (subset code that must produce no diagnostic at all). See Harness/CaseFile.cs.

// case: a double local and its literal
class C
{
    void M()
    {
        [|double|] d = [|1.5|];
    }
}
// expect: floating-point type 'double' is not in the KML subset
// expect: floating-point literal '1.5' is not in the KML subset

// case: float and decimal fields, parameters and return types
class C
{
    [|float|] f;
    [|decimal|] Price([|decimal|] p) => p;
}
// expect: floating-point type 'float' is not in the KML subset
// expect: floating-point type 'decimal' is not in the KML subset
// expect: floating-point type 'decimal' is not in the KML subset

// case: var takes its type from the literal, which is reported once
class C
{
    int M()
    {
        var x = [|2.0f|];
        return 0;
    }
}
// expect: floating-point literal '2.0f' is not in the KML subset

// case: a cast to double, an array of double, and a decimal literal
class C
{
    void M(int i)
    {
        long l = (long)([|double|])i;
        var a = new [|double|][4];
        int z = i > 0 ? (int)[|1m|] : 0;
    }
}
// expect: floating-point type 'double' is not in the KML subset
// expect: floating-point type 'double' is not in the KML subset
// expect: floating-point literal '1m' is not in the KML subset

// case: System.Double and System.Half by name, and double as a type argument
class C
{
    [|System.Double|] d;
    [|System.Half|] h;
    {|KML0003:System.Collections.Generic.List<[|double|]>|}? list;
}
// expect: floating-point type 'double' is not in the KML subset
// expect: floating-point type 'System.Half' is not in the KML subset
// expect: generic type 'System.Collections.Generic.List<double>' is not in the KML subset
// expect: floating-point type 'double' is not in the KML subset

// case: a floating-point constant and the static member of double
class C
{
    const [|double|] Pi = [|3.14159|];
    bool M() => [|double|].IsNaN(Pi);
}
// expect: floating-point type 'double' is not in the KML subset
// expect: floating-point literal '3.14159' is not in the KML subset
// expect: floating-point type 'double' is not in the KML subset

// case: a library call returning double is a library member
class C
{
    long M(int x) => (long)System.Math.{|KML0021:Sqrt|}(x);
}
// expect: library member 'System.Math.Sqrt(double)' is not in the KML subset

// accept: integer arithmetic of every width
class C
{
    long M(int a, uint b, long c, ulong d, short e, ushort f, byte g, sbyte h)
    {
        long sum = a + (long)b + c + (long)d + e + f + g + h;
        return sum * 3 / 2 % 7 << 3 >> 1;
    }
}

// accept: integer literals in every form
class C
{
    ulong M() => 0x_FFFF_FFFFUL + 0b1010 + 1_000_000 + 'a' + 10L + 10u;
}
