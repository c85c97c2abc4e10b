// Bit manipulation on uint, ulong, ushort and byte: population count, bit reversal, rotations built from shifts,
// CRC-32 with a table, Adler-32, FNV-1a over a string's UTF-16 units, Gray codes, next power of two, the lowest set
// bit, and sign extension by shifting.
using System;

static class Program
{
    static readonly uint[] CrcTable = MakeCrcTable();

    static uint[] MakeCrcTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    static uint Crc32(string s)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (char ch in s) crc = CrcTable[(crc ^ (byte)ch) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    static uint Adler32(string s)
    {
        uint a = 1, b = 0;
        foreach (char ch in s) { a = (a + ch) % 65521; b = (b + a) % 65521; }
        return (b << 16) | a;
    }

    static uint Fnv1a(string s)
    {
        uint h = 2166136261;
        foreach (char ch in s) { h ^= (byte)ch; h *= 16777619; h ^= (uint)(ch >> 8); h *= 16777619; }
        return h;
    }

    static int PopCount(ulong x)
    {
        int n = 0;
        while (x != 0) { x &= x - 1; n++; }
        return n;
    }

    static uint Reverse(uint x)
    {
        x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
        x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
        x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
        x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
        return (x >> 16) | (x << 16);
    }

    static uint RotateLeft(uint x, int n) => (x << n) | (x >> (32 - n));
    static ulong RotateRight(ulong x, int n) => (x >> n) | (x << (64 - n));

    static uint NextPowerOfTwo(uint x)
    {
        x--;
        x |= x >> 1; x |= x >> 2; x |= x >> 4; x |= x >> 8; x |= x >> 16;
        return x + 1;
    }

    static int SignExtend(int value, int bits) => (value << (32 - bits)) >> (32 - bits);

    static void Main()
    {
        Console.WriteLine(Crc32("The quick brown fox jumps over the lazy dog") + " " + Crc32("") + " " + Crc32("123456789"));
        Console.WriteLine(Adler32("Wikipedia") + " " + Fnv1a("kernel mode linux") + " " + Fnv1a("é€"));
        Console.WriteLine(PopCount(0) + " " + PopCount(ulong.MaxValue) + " " + PopCount(0x8000_0000_0000_0001) + " " + PopCount(0xF0F0));
        Console.WriteLine(Reverse(1) + " " + Reverse(0x12345678) + " " + Reverse(Reverse(0xDEADBEEF)));
        string rot = "";
        for (int n = 1; n < 32; n += 5) rot += RotateLeft(0x80000001u, n) + " " + RotateRight(0x0123456789ABCDEFUL, n * 2) + " ";
        Console.WriteLine(rot);
        string gray = "";
        for (uint g = 0; g < 16; g++) gray += (g ^ (g >> 1)) + (g < 15 ? "," : "");
        Console.WriteLine(gray);
        Console.WriteLine(NextPowerOfTwo(1) + " " + NextPowerOfTwo(17) + " " + NextPowerOfTwo(0x40000001) + " " + NextPowerOfTwo(0) + " " + NextPowerOfTwo(0x80000001));
        int v = 0x5A00;
        Console.WriteLine((v & -v) + " " + SignExtend(0xFF, 8) + " " + SignExtend(0x7F, 8) + " " + SignExtend(0x8000, 16) + " " + SignExtend(0x12345, 12));
        ushort us = 0xABCD;
        byte lo = (byte)us, hi = (byte)(us >> 8);
        ushort swapped = (ushort)((lo << 8) | hi);
        Console.WriteLine(lo + " " + hi + " " + swapped + " " + (ushort)(us << 4) + " " + (us << 4) + " " + (byte)~lo + " " + ~lo);
        uint mask = 0;
        for (int b = 0; b < 32; b += 3) mask |= 1u << b;
        Console.WriteLine(mask + " " + (mask & ~(mask >> 1)) + " " + (mask ^ 0xFFFFFFFF) + " " + ((int)mask >> 31) + " " + (mask >> 31));
    }
}
