// KML0008: unsafe code and native interop. Cases with pointers compile with AllowUnsafeBlocks (options: unsafe);
// the rule does not depend on it.

// case: an unsafe method with a pointer parameter
// options: unsafe
class C
{
    static [|unsafe|] int Read([|int*|] p) => *p;
}
// expect: 'unsafe' modifier is not in the KML subset
// expect: pointer type 'int*' is not in the KML subset

// case: an unsafe block with fixed
// options: unsafe
class C
{
    static int M(int[] a)
    {
        [|unsafe|]
        {
            [|fixed|] ([|int*|] p = a)
            {
                return p[0];
            }
        }
    }
}
// expect: 'unsafe' block is not in the KML subset
// expect: 'fixed' statement is not in the KML subset
// expect: pointer type 'int*' is not in the KML subset

// case: stackalloc into a Span needs no unsafe context
class C
{
    static int M()
    {
        {|KML0003:System.Span<int>|} s = [|stackalloc int[4]|];
        return s.{|KML0021:Length|};
    }
}
// expect: generic type 'System.Span<int>' is not in the KML subset
// expect: 'stackalloc' expression is not in the KML subset
// expect: library member 'System.Span<int>.Length' is not in the KML subset

// case: an extern method and native-sized integers
using System.Runtime.InteropServices;
class C
{
    [{|KML0021:DllImport|}("libc")]
    static [|extern|] int getpid();
    [|nint|] Size([|nuint|] n) => ([|nint|])n;
}
// expect: attribute 'System.Runtime.InteropServices.DllImportAttribute' is not in the KML subset
// expect: extern method 'C.getpid()' is not in the KML subset
// expect: native-sized integer type 'nint' is not in the KML subset
// expect: native-sized integer type 'nuint' is not in the KML subset
// expect: native-sized integer type 'nint' is not in the KML subset

// case: an unsafe struct with a fixed-size buffer
// options: unsafe
[|unsafe|] struct Buffer
{
    public [|fixed|] byte Data[16];
}
// expect: 'unsafe' modifier is not in the KML subset
// expect: fixed-size buffer 'Buffer.Data' is not in the KML subset

// accept: arrays instead of pointers, sizeof of a primitive type
class C
{
    static int Words(byte[] bytes) => bytes.Length / sizeof(int);
}
