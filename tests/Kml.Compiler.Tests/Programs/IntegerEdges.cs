// Integer edge cases of C#'s unchecked semantics: wrapping, truncating division, masked shift counts,
// conversions between every integer type, unsigned comparisons.
using System;

static class Program
{
    static int Id(int x) => x;
    static long IdL(long x) => x;
    static uint IdU(uint x) => x;

    static void Main()
    {
        int max = Id(int.MaxValue);
        int min = Id(int.MinValue);
        Console.WriteLine(max + 1);
        Console.WriteLine(min - 1);
        Console.WriteLine(max * 2);
        Console.WriteLine(min * -1);
        Console.WriteLine(-min);
        Console.WriteLine(Id(7) / Id(2) + " " + Id(-7) / Id(2) + " " + Id(7) / Id(-2) + " " + Id(-7) / Id(-2));
        Console.WriteLine(Id(7) % Id(2) + " " + Id(-7) % Id(2) + " " + Id(7) % Id(-2) + " " + Id(-7) % Id(-2));
        Console.WriteLine(Id(-9) / 4 + " " + Id(-9) % 4 + " " + Id(-9) / 8 + " " + Id(-9) % 8 + " " + Id(9) / 16 + " " + Id(-1) / 2);
        Console.WriteLine(IdU(0xFFFFFFFF) / 4u + " " + IdU(0xFFFFFFFF) % 10u + " " + IdU(0x80000000) / IdU(3));
        int one = Id(1);
        Console.WriteLine((one << 31) + " " + (one << 32) + " " + (one << 33) + " " + (one << -1) + " " + (Id(-8) >> 1) + " " + (Id(-8) >>> 1) + " " + (Id(-8) >> 33));
        int count = Id(35);
        Console.WriteLine((one << count) + " " + (min >> count) + " " + (min >>> count));
        long lone = IdL(1);
        Console.WriteLine((lone << 63) + " " + (lone << 64) + " " + (lone << 65) + " " + (IdL(-16) >> 2) + " " + (IdL(-16) >>> 60) + " " + (lone << Id(70)));
        Console.WriteLine((uint)Id(-1) + " " + (ulong)Id(-1) + " " + (long)IdU(0xFFFFFFFF) + " " + (int)IdL(0x1_2345_6789) + " " + (uint)IdL(-2));
        Console.WriteLine((byte)Id(300) + " " + (sbyte)Id(200) + " " + (short)Id(70000) + " " + (ushort)Id(-1) + " " + (char)Id(0x10041) + " " + (byte)Id(-1));
        Console.WriteLine((sbyte)(byte)Id(255) + " " + (byte)(sbyte)Id(-128) + " " + (short)(ushort)Id(65535) + " " + (int)(char)Id(-1));
        byte b = 200;
        b += 100;
        sbyte sb = -128;
        sb--;
        short sh = short.MaxValue;
        sh++;
        ushort us = 0;
        us -= 1;
        char c = char.MaxValue;
        c++;
        Console.WriteLine(b + " " + sb + " " + sh + " " + us + " " + (int)c);
        Console.WriteLine((IdU(1) < IdU(0xFFFFFFFF)) + " " + (Id(1) < Id(-1)) + " " + ((ulong)IdL(-1) > 1UL) + " " + (IdL(-1) > 1L));
        Console.WriteLine(int.MinValue + " " + int.MaxValue + " " + long.MinValue + " " + long.MaxValue + " " + ulong.MaxValue + " " + uint.MaxValue);
        Console.WriteLine(sbyte.MinValue + " " + byte.MaxValue + " " + short.MinValue + " " + ushort.MaxValue + " " + (int)char.MaxValue);
        Console.WriteLine((~Id(0)) + " " + (~IdU(0)) + " " + (~IdL(5)) + " " + (Id(0x0F0F) & Id(0x00FF)) + " " + (Id(0x0F00) | 0x00F0) + " " + (Id(0xFF) ^ 0x0F));
        Console.WriteLine(Math.Abs(Id(-5)) + " " + Math.Abs(IdL(-5000000000)) + " " + Math.Min(Id(3), Id(-3)) + " " + Math.Max(IdU(1), IdU(0xFFFFFFFF)) + " " + Math.Min(IdL(-1), IdL(1)) + " " + Math.Max((ulong)IdL(-1), 1UL));
        Console.WriteLine(Math.Abs((short)Id(-32767)) + " " + Math.Abs((sbyte)Id(-127)) + " " + Math.Min((byte)Id(7), (byte)Id(200)) + " " + Math.Max((short)Id(-7), (short)Id(-200)));
    }
}
