using System.Buffers.Binary;
using System.Globalization;

namespace Kml.Kernel.Tests.Support;

/// <summary>
/// A minimal valid static i386 executable (256 bytes) and the edits that turn it into the hostile cases of
/// Cases/elf-hostile.txt.
/// </summary>
public static class TestElf
{
    public const uint Base = 0x08048000;
    public const int PhdrOffset = 0x34, CodeOffset = 0xC0, Size = 0x100;

    public static byte[] Minimal()
    {
        var b = new byte[Size];
        new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1 }.CopyTo(b, 0);
        U16(b, 16, 2);            // ET_EXEC
        U16(b, 18, 3);            // EM_386
        U32(b, 20, 1);
        U32(b, 24, Base + CodeOffset);
        U32(b, 28, PhdrOffset);
        U16(b, 40, 52);
        U16(b, 42, 32);
        U16(b, 44, 1);
        SetPhdr(b, 0, 1, 0, Base, Size, Size, 5);
        // mov eax, 1; mov ebx, 0; int 0x80
        new byte[] { 0xB8, 1, 0, 0, 0, 0xBB, 0, 0, 0, 0, 0xCD, 0x80 }.CopyTo(b, CodeOffset);
        return b;
    }

    private static void SetPhdr(byte[] b, int index, uint type, uint offset, uint vaddr, uint filesz, uint memsz, uint flags)
    {
        int at = PhdrOffset + index * 32;
        U32(b, at, type);
        U32(b, at + 4, offset);
        U32(b, at + 8, vaddr);
        U32(b, at + 12, vaddr);
        U32(b, at + 16, filesz);
        U32(b, at + 20, memsz);
        U32(b, at + 24, flags);
        U32(b, at + 28, 0x1000);
    }

    public static byte[] Apply(string edits)
    {
        var b = Minimal();
        foreach (string raw in edits.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] w = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (w[0])
            {
                case "u8": b[(int)N(w[1])] = (byte)N(w[2]); break;
                case "u16": U16(b, (int)N(w[1]), (ushort)N(w[2])); break;
                case "u32": U32(b, (int)N(w[1]), N(w[2])); break;
                case "truncate": Array.Resize(ref b, (int)N(w[1])); break;
                case "text": b = System.Text.Encoding.ASCII.GetBytes(raw[5..]); break;
                case "bytes": Convert.FromHexString(w[2]).CopyTo(b, (int)N(w[1])); break;
                case "ph":
                    int field = w[2] switch { "type" => 0, "offset" => 4, "vaddr" => 8, "filesz" => 16, "memsz" => 20, "flags" => 24, _ => throw new FormatException(w[2]) };
                    U32(b, PhdrOffset + (int)N(w[1]) * 32 + field, N(w[3]));
                    if (field == 8) U32(b, PhdrOffset + (int)N(w[1]) * 32 + 12, N(w[3]));
                    break;
                case "addph":
                    int count = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(44));
                    SetPhdr(b, count, N(w[1]), N(w[2]), N(w[3]), N(w[4]), N(w[5]), N(w[6]));
                    U16(b, 44, (ushort)(count + 1));
                    break;
                default: throw new FormatException($"unknown edit: {raw}");
            }
        }
        return b;
    }

    private static uint N(string s) => s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        ? uint.Parse(s[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
        : uint.Parse(s, CultureInfo.InvariantCulture);

    private static void U16(byte[] b, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);

    private static void U32(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
}
