using System.Runtime.CompilerServices;

namespace Kml.Machine.Decoding;

/// <summary>Operand size as a type parameter, so generic executors specialize per size at JIT time.</summary>
internal interface ISize
{
    static abstract int Bytes { get; }
    static abstract int Bits { get; }
    static abstract uint Mask { get; }
    static abstract uint SignBit { get; }
    /// <summary>0 = 8, 1 = 16, 2 = 32 (the low bits of a <see cref="FlagKind"/>).</summary>
    static abstract int FlagSize { get; }
    static abstract uint Get(Cpu c, int reg);
    static abstract void Set(Cpu c, int reg, uint value);
    static abstract uint Load(Cpu c, uint lin);
    static abstract void Store(Cpu c, uint lin, uint value);
    static abstract unsafe uint LoadPtr(byte* p);
    static abstract unsafe void StorePtr(byte* p, uint value);
}

internal struct S8 : ISize
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe uint LoadPtr(byte* p) => *(byte*)p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StorePtr(byte* p, uint value) => *(byte*)p = (byte)value;
    public static int Bytes => 1;
    public static int Bits => 8;
    public static uint Mask => 0xFF;
    public static uint SignBit => 0x80;
    public static int FlagSize => 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Get(Cpu c, int reg) => (byte)(c.Reg(reg & 3) >> ((reg & 4) << 1));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Set(Cpu c, int reg, uint value)
    {
        ref uint r = ref c.Reg(reg & 3);
        int sh = (reg & 4) << 1;
        r = (r & ~(0xFFu << sh)) | ((value & 0xFF) << sh);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(Cpu c, uint lin) => c.Read8(lin);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Cpu c, uint lin, uint value) => c.Write8(lin, value);
}

internal struct S16 : ISize
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe uint LoadPtr(byte* p) => *(ushort*)p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StorePtr(byte* p, uint value) => *(ushort*)p = (ushort)value;
    public static int Bytes => 2;
    public static int Bits => 16;
    public static uint Mask => 0xFFFF;
    public static uint SignBit => 0x8000;
    public static int FlagSize => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Get(Cpu c, int reg) => (ushort)c.Reg(reg);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Set(Cpu c, int reg, uint value) { ref uint r = ref c.Reg(reg); r = (r & 0xFFFF_0000) | (value & 0xFFFF); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(Cpu c, uint lin) => c.Read16(lin);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Cpu c, uint lin, uint value) => c.Write16(lin, value);
}

internal struct S32 : ISize
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe uint LoadPtr(byte* p) => *(uint*)p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StorePtr(byte* p, uint value) => *(uint*)p = (uint)value;
    public static int Bytes => 4;
    public static int Bits => 32;
    public static uint Mask => 0xFFFF_FFFF;
    public static uint SignBit => 0x8000_0000;
    public static int FlagSize => 2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Get(Cpu c, int reg) => c.Reg(reg);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Set(Cpu c, int reg, uint value) => c.Reg(reg) = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(Cpu c, uint lin) => c.Read32(lin);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Cpu c, uint lin, uint value) => c.Write32(lin, value);
}
