namespace Kml.Machine.Translation.Native;

/// <summary>A 64-bit general register of the host (0 = RAX … 15 = R15).</summary>
internal readonly record struct Reg64(int Number)
{
    public static MemoryExpression operator +(Reg64 b, int displacement) => new(b.Number, -1, 1, displacement);
    public static MemoryExpression operator -(Reg64 b, int displacement) => new(b.Number, -1, 1, -displacement);
    public static MemoryExpression operator +(Reg64 b, MemoryExpression index) => index with { Base = b.Number };
    public static MemoryExpression operator *(Reg64 index, int scale) => new(-1, index.Number, scale, 0);
}

/// <summary>A 32-bit general register of the host.</summary>
internal readonly record struct Reg32(int Number);

/// <summary>A 16-bit general register of the host.</summary>
internal readonly record struct Reg16(int Number);

/// <summary>An 8-bit general register of the host (low bytes only: AL, CL, DL, BL, R8B…; no AH…BH).</summary>
internal readonly record struct Reg8(int Number);

/// <summary>base + index × scale + displacement (−1: no base or no index).</summary>
internal readonly record struct MemoryExpression(int Base, int Index, int Scale, int Displacement)
{
    public static MemoryExpression operator +(MemoryExpression m, int displacement) => m with { Displacement = m.Displacement + displacement };
}

/// <summary>A memory operand of <see cref="Size"/> bytes (0: none, as for lea).</summary>
internal readonly record struct MemoryOperand(MemoryExpression Address, int Size);

/// <summary>Builds memory operands of one size: <c>__dword_ptr[rbx + 16]</c>.</summary>
internal readonly struct MemoryOperandFactory(int size)
{
    public MemoryOperand this[MemoryExpression address] => new(address, size);
    public MemoryOperand this[Reg64 address] => new(new MemoryExpression(address.Number, -1, 1, 0), size);
}

/// <summary>The host registers and memory-operand builders the native translator's code is written with (the names
/// Iced's assembler uses, so the code reads like Intel-syntax assembly).</summary>
internal static class X64Registers
{
    public static readonly Reg64 rax = new(0), rcx = new(1), rdx = new(2), rbx = new(3), rsp = new(4), rbp = new(5), rsi = new(6), rdi = new(7),
        r8 = new(8), r9 = new(9), r10 = new(10), r11 = new(11), r12 = new(12), r13 = new(13), r14 = new(14), r15 = new(15);
    public static readonly Reg32 eax = new(0), ecx = new(1), edx = new(2), ebx = new(3), ebp = new(5), esi = new(6), edi = new(7),
        r8d = new(8), r9d = new(9), r10d = new(10), r11d = new(11), r12d = new(12), r13d = new(13), r14d = new(14), r15d = new(15);
    public static readonly Reg16 ax = new(0), cx = new(1), dx = new(2), r8w = new(8), r9w = new(9), r10w = new(10), r11w = new(11),
        r12w = new(12), r13w = new(13), r14w = new(14), r15w = new(15);
    public static readonly Reg8 al = new(0), cl = new(1), dl = new(2), bl = new(3), sil = new(6), r8b = new(8), r9b = new(9), r10b = new(10),
        r11b = new(11);
    public static readonly MemoryOperandFactory __byte_ptr = new(1), __word_ptr = new(2), __dword_ptr = new(4), __qword_ptr = new(8), __ = new(0);
}
