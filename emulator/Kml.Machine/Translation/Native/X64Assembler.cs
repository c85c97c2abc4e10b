namespace Kml.Machine.Translation.Native;

/// <summary>A position in the code being assembled by <see cref="X64Assembler"/>.</summary>
internal struct Label
{
    internal int Id;
}

/// <summary>
/// The x86-64 encoder of the native translator: exactly the instruction forms <see cref="NativeBlockCompiler"/> emits,
/// with the method names of Iced's <c>Assembler</c> (so the compiler reads like assembly; a test decodes every form with
/// Iced and checks it), but encoding straight into a byte buffer: Iced's general assembler
/// and block encoder cost ≈ 12 µs per guest instruction, this about a tenth of a microsecond. Branches to labels are
/// always rel32; the code is position independent (no absolute reference to itself).
/// </summary>
internal sealed class X64Assembler
{
    private byte[] _code = new byte[4096];
    private int _length;
    private int[] _labels = new int[16];   // label id → offset (−1: not yet placed)
    private int _labelCount;
    private LabelUse[] _fixups = new LabelUse[32];   // rel32 fields to patch
    private struct LabelUse { public int At, Label; }
    private int _fixupCount;

    /// <summary>Bytes emitted so far.</summary>
    public int Length => _length;

    public Label CreateLabel()
    {
        if (_labelCount == _labels.Length)
        {
            var larger = new int[_labels.Length * 2];
            Array.Copy(_labels, larger, _labelCount);
            _labels = larger;
        }
        _labels[_labelCount] = -1;
        return new Label { Id = _labelCount++ };
    }

    /// <summary>Places <paramref name="label"/> at the current position.</summary>
    public void Label(ref Label label)
    {
        if (_labels[label.Id] >= 0) throw new InvalidOperationException($"label {label.Id} placed twice");
        _labels[label.Id] = _length;
    }

    /// <summary>The finished code, with every label reference resolved.</summary>
    public byte[] ToArray()
    {
        for (int i = 0; i < _fixupCount; i++)
        {
            int at = _fixups[i].At, label = _fixups[i].Label;
            int target = _labels[label];
            if (target < 0) throw new InvalidOperationException($"label {label} was never placed");
            BitConverter.TryWriteBytes(_code.AsSpan(at, 4), target - (at + 4));
        }
        var result = new byte[_length];
        Array.Copy(_code, result, _length);
        return result;
    }

    // ---- operands ----

    private readonly record struct Mem(int Base, int Index, int Scale, int Disp, int Size);

    private static Mem M(MemoryOperand m) => new(m.Address.Base, m.Address.Index, m.Address.Scale, m.Address.Displacement, m.Size);

    private static int N(Reg64 r) => r.Number;
    private static int N(Reg32 r) => r.Number;
    private static int N(Reg16 r) => r.Number;
    private static int N(Reg8 r, out bool rex)
    {
        rex = r.Number is >= 4 and <= 7;   // SPL…DIL need a REX prefix (without one, 4–7 are AH…BH)
        return r.Number;
    }

    // ---- encoding ----

    private void B(int b)
    {
        if (_length == _code.Length)
        {
            var larger = new byte[_code.Length * 2];
            Array.Copy(_code, larger, _length);
            _code = larger;
        }
        _code[_length++] = (byte)b;
    }

    private void D(int v) { B(v); B(v >> 8); B(v >> 16); B(v >> 24); }

    private void Rex(bool w, int reg, int index, int rm, bool force)
    {
        int rex = 0x40 | (w ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((index >> 3) & 1) << 1 | ((rm >> 3) & 1);
        if (rex != 0x40 || force) B(rex);
    }

    /// <summary>Prefixes, REX and opcode bytes for an instruction of <paramref name="size"/> bytes with a memory operand.</summary>
    private void OpMem(int size, int reg, Mem m, bool forceRex, params ReadOnlySpan<byte> opcode)
    {
        if (size == 2) B(0x66);
        Rex(size == 8, reg, Math.Max(m.Index, 0), Math.Max(m.Base, 0), forceRex);
        foreach (byte b in opcode) B(b);
        ModRmMem(reg & 7, m);
    }

    private void OpReg(int size, int reg, int rm, bool forceRex, params ReadOnlySpan<byte> opcode)
    {
        if (size == 2) B(0x66);
        Rex(size == 8, reg, 0, rm, forceRex);
        foreach (byte b in opcode) B(b);
        B(0xC0 | (reg & 7) << 3 | (rm & 7));
    }

    private void ModRmMem(int reg, Mem m)
    {
        int ss = m.Scale switch { 1 => 0, 2 => 1, 4 => 2, 8 => 3, _ => throw new NotSupportedException($"scale {m.Scale}") };
        if (m.Base < 0)
        {
            // [index*scale + disp32] (no base): SIB with base 101 and mod 00.
            B(0x04 | reg << 3);
            B(ss << 6 | (m.Index < 0 ? 4 : m.Index & 7) << 3 | 5);
            D(m.Disp);
            return;
        }
        int mod = m.Disp == 0 && (m.Base & 7) != 5 ? 0 : m.Disp is >= -128 and <= 127 ? 1 : 2;
        if (m.Index < 0 && (m.Base & 7) != 4) B(mod << 6 | reg << 3 | (m.Base & 7));
        else
        {
            if (m.Index == 4) throw new NotSupportedException("rsp as an index");
            B(mod << 6 | reg << 3 | 4);
            B(ss << 6 | (m.Index < 0 ? 4 : m.Index & 7) << 3 | (m.Base & 7));
        }
        if (mod == 1) B(m.Disp);
        else if (mod == 2) D(m.Disp);
    }

    private static bool Imm8(int v) => v is >= -128 and <= 127;

    // ---- mov ----

    public void mov(Reg64 r, ulong imm)
    {
        int n = N(r);
        Rex(true, 0, 0, n, false);
        B(0xB8 + (n & 7));
        D((int)imm);
        D((int)(imm >> 32));
    }

    public void mov(Reg32 r, int imm)
    {
        int n = N(r);
        Rex(false, 0, 0, n, false);
        B(0xB8 + (n & 7));
        D(imm);
    }

    public void mov(Reg64 d, Reg64 s) => OpReg(8, N(s), N(d), false, 0x89);
    public void mov(Reg32 d, Reg32 s) => OpReg(4, N(s), N(d), false, 0x89);
    public void mov(Reg16 d, Reg16 s) => OpReg(2, N(s), N(d), false, 0x89);

    public void mov(Reg8 d, Reg8 s)
    {
        int nd = N(d, out bool rd), ns = N(s, out bool rs);
        OpReg(1, ns, nd, rd || rs, 0x88);
    }
    public void mov(Reg64 r, MemoryOperand m) => OpMem(8, N(r), M(m), false, 0x8B);
    public void mov(Reg32 r, MemoryOperand m) => OpMem(4, N(r), M(m), false, 0x8B);
    public void mov(MemoryOperand m, Reg64 r) => OpMem(8, N(r), M(m), false, 0x89);
    public void mov(MemoryOperand m, Reg32 r) => OpMem(4, N(r), M(m), false, 0x89);
    public void mov(MemoryOperand m, Reg16 r) => OpMem(2, N(r), M(m), false, 0x89);

    public void mov(MemoryOperand m, Reg8 r)
    {
        int n = N(r, out bool rex);
        OpMem(1, n, M(m), rex, 0x88);
    }

    public void mov(MemoryOperand m, int imm)
    {
        var mm = M(m);
        switch (mm.Size)
        {
            case 1: OpMem(1, 0, mm, false, 0xC6); B(imm); break;
            case 2: OpMem(2, 0, mm, false, 0xC7); B(imm); B(imm >> 8); break;
            case 4: case 8: OpMem(mm.Size, 0, mm, false, 0xC7); D(imm); break;
            default: throw new NotSupportedException("mov to memory of unknown size");
        }
    }

    public void movzx(Reg32 d, Reg16 s) => OpReg(4, N(d), N(s), false, 0x0F, 0xB7);
    public void movsx(Reg32 d, Reg16 s) => OpReg(4, N(d), N(s), false, 0x0F, 0xBF);

    public void movzx(Reg32 d, Reg8 s)
    {
        int n = N(s, out bool rex);
        OpReg(4, N(d), n, rex, 0x0F, 0xB6);
    }

    public void movsx(Reg32 d, Reg8 s)
    {
        int n = N(s, out bool rex);
        OpReg(4, N(d), n, rex, 0x0F, 0xBE);
    }

    public void movzx(Reg32 r, MemoryOperand m) => OpMem(4, N(r), M(m), false, 0x0F, M(m).Size == 1 ? (byte)0xB6 : (byte)0xB7);
    public void movsx(Reg32 r, MemoryOperand m) => OpMem(4, N(r), M(m), false, 0x0F, M(m).Size == 1 ? (byte)0xBE : (byte)0xBF);

    public void lea(Reg32 r, MemoryOperand m) => OpMem(4, N(r), M(m), false, 0x8D);
    public void lea(Reg64 r, MemoryOperand m) => OpMem(8, N(r), M(m), false, 0x8D);

    /// <summary>lea r64, [rip + label] (where native code resumes after a handler).</summary>
    public void lea(Reg64 r, Label label)
    {
        int n = N(r);
        Rex(true, n, 0, 0, false);
        B(0x8D);
        B(0x05 | (n & 7) << 3);
        Fixup(label);
    }

    // ---- arithmetic (the 00–3F group: add 0, or 1, adc 2, sbb 3, and 4, sub 5, xor 6, cmp 7) ----

    private void AluMemImm(int op, Mem m, int imm)
    {
        if (m.Size == 1) { OpMem(1, op, m, false, 0x80); B(imm); return; }
        if (m.Size == 0) throw new NotSupportedException("arithmetic on memory of unknown size");
        if (Imm8(imm)) { OpMem(m.Size, op, m, false, 0x83); B(imm); }
        else { OpMem(m.Size, op, m, false, 0x81); if (m.Size == 2) { B(imm); B(imm >> 8); } else D(imm); }
    }

    private void AluRegImm(int op, int size, int r, int imm)
    {
        if (Imm8(imm)) { OpReg(size, op, r, false, 0x83); B(imm); }
        else { OpReg(size, op, r, false, 0x81); D(imm); }
    }

    private void Alu(int op, MemoryOperand m, int imm) => AluMemImm(op, M(m), imm);
    private void Alu(int op, Reg64 r, int imm) => AluRegImm(op, 8, N(r), imm);
    private void Alu(int op, Reg32 r, int imm) => AluRegImm(op, 4, N(r), imm);
    private void Alu(int op, Reg32 d, Reg32 s) => OpReg(4, N(s), N(d), false, (byte)(op << 3 | 1));
    private void Alu(int op, Reg64 d, Reg64 s) => OpReg(8, N(s), N(d), false, (byte)(op << 3 | 1));
    private void Alu(int op, Reg64 r, MemoryOperand m) => OpMem(8, N(r), M(m), false, (byte)(op << 3 | 3));
    private void Alu(int op, Reg32 r, MemoryOperand m) => OpMem(4, N(r), M(m), false, (byte)(op << 3 | 3));
    private void Alu(int op, Reg16 r, MemoryOperand m) => OpMem(2, N(r), M(m), false, (byte)(op << 3 | 3));
    private void Alu(int op, MemoryOperand m, Reg32 r) => OpMem(4, N(r), M(m), false, (byte)(op << 3 | 1));

    private void Alu(int op, Reg8 r, MemoryOperand m)
    {
        int n = N(r, out bool rex);
        OpMem(1, n, M(m), rex, (byte)(op << 3 | 2));
    }

    public void add(MemoryOperand m, int imm) => Alu(0, m, imm);
    public void add(MemoryOperand m, Reg32 r) => Alu(0, m, r);
    public void or(MemoryOperand m, int imm) => Alu(1, m, imm);
    public void cmp(Reg32 d, Reg32 s) => Alu(7, d, s);
    public void or(MemoryOperand m, Reg32 r) => Alu(1, m, r);
    public void and(MemoryOperand m, int imm) => Alu(4, m, imm);
    public void and(MemoryOperand m, Reg32 r) => Alu(4, m, r);
    public void sub(MemoryOperand m, Reg32 r) => Alu(5, m, r);
    public void xor(MemoryOperand m, int imm) => Alu(6, m, imm);
    public void xor(MemoryOperand m, Reg32 r) => Alu(6, m, r);
    public void add(Reg64 r, int imm) => Alu(0, r, imm);
    public void add(Reg32 r, int imm) => Alu(0, r, imm);
    public void add(Reg32 d, Reg32 s) => Alu(0, d, s);
    public void add(Reg64 d, Reg64 s) => Alu(0, d, s);
    public void add(Reg64 r, MemoryOperand m) => Alu(0, r, m);
    public void add(Reg32 r, MemoryOperand m) => Alu(0, r, m);
    public void or(Reg32 d, Reg32 s) => Alu(1, d, s);
    public void or(Reg32 r, int imm) => Alu(1, r, imm);
    public void xor(Reg32 r, int imm) => Alu(6, r, imm);
    public void and(Reg32 r, int imm) => Alu(4, r, imm);
    public void and(Reg32 d, Reg32 s) => Alu(4, d, s);
    public void sub(MemoryOperand m, int imm) => Alu(5, m, imm);
    public void sub(Reg32 r, int imm) => Alu(5, r, imm);
    public void sub(Reg32 d, Reg32 s) => Alu(5, d, s);
    public void xor(Reg32 d, Reg32 s) => Alu(6, d, s);
    public void cmp(MemoryOperand m, int imm) => Alu(7, m, imm);
    public void cmp(Reg32 r, int imm) => Alu(7, r, imm);
    public void cmp(Reg64 r, MemoryOperand m) => Alu(7, r, m);
    public void cmp(Reg32 r, MemoryOperand m) => Alu(7, r, m);
    public void cmp(Reg16 r, MemoryOperand m) => Alu(7, r, m);
    public void cmp(Reg8 r, MemoryOperand m) => Alu(7, r, m);
    public void cmp(MemoryOperand m, Reg32 r) => Alu(7, m, r);

    public void test(Reg64 a, Reg64 b) => OpReg(8, N(b), N(a), false, 0x85);
    public void test(Reg32 a, Reg32 b) => OpReg(4, N(b), N(a), false, 0x85);
    public void test(Reg16 a, Reg16 b) => OpReg(2, N(b), N(a), false, 0x85);

    public void test(Reg8 a, Reg8 b)
    {
        int na = N(a, out bool ra), nb = N(b, out bool rb);
        OpReg(1, nb, na, ra || rb, 0x84);
    }

    public void test(Reg32 r, int imm)
    {
        OpReg(4, 0, N(r), false, 0xF7);
        D(imm);
    }

    public void test(MemoryOperand m, int imm)
    {
        OpMem(4, 0, M(m), false, 0xF7);
        D(imm);
    }

    // ---- shifts and rotates (group 2: rol 0, ror 1, shl 4, shr 5, sar 7) ----

    private void Shift(int op, int size, int r, byte count) { OpReg(size, op, r, false, 0xC1); B(count); }
    private void Shift(int op, MemoryOperand m, byte count) { OpMem(4, op, M(m), false, 0xC1); B(count); }
    private void ShiftCl(int op, Reg32 r, Reg8 cl) { CheckCl(cl); OpReg(4, op, N(r), false, 0xD3); }
    private void ShiftCl(int op, MemoryOperand m, Reg8 cl) { CheckCl(cl); OpMem(4, op, M(m), false, 0xD3); }
    private static void CheckCl(Reg8 r) { if (r.Number != 1) throw new NotSupportedException("shift count must be CL"); }

    public void rol(Reg32 r, int n) => Shift(0, 4, N(r), (byte)n);
    public void rol(Reg32 r, Reg8 cl) => ShiftCl(0, r, cl);
    public void ror(Reg32 r, int n) => Shift(1, 4, N(r), (byte)n);
    public void ror(Reg32 r, Reg8 cl) => ShiftCl(1, r, cl);
    public void sar(Reg32 r, int n) => Shift(7, 4, N(r), (byte)n);
    public void sar(Reg32 r, Reg8 cl) => ShiftCl(7, r, cl);
    public void rol(MemoryOperand m, byte n) => Shift(0, m, n);
    public void rol(MemoryOperand m, Reg8 cl) => ShiftCl(0, m, cl);
    public void ror(MemoryOperand m, byte n) => Shift(1, m, n);
    public void ror(MemoryOperand m, Reg8 cl) => ShiftCl(1, m, cl);
    public void shl(Reg32 r, int n) => Shift(4, 4, N(r), (byte)n);
    public void shl(Reg32 r, Reg8 cl) => ShiftCl(4, r, cl);
    public void shl(MemoryOperand m, byte n) => Shift(4, m, n);
    public void shl(MemoryOperand m, Reg8 cl) => ShiftCl(4, m, cl);
    public void shr(Reg32 r, int n) => Shift(5, 4, N(r), (byte)n);
    public void shr(Reg32 r, Reg8 cl) => ShiftCl(5, r, cl);
    public void shr(MemoryOperand m, byte n) => Shift(5, m, n);
    public void shr(MemoryOperand m, Reg8 cl) => ShiftCl(5, m, cl);
    public void sar(MemoryOperand m, byte n) => Shift(7, m, n);
    public void sar(MemoryOperand m, Reg8 cl) => ShiftCl(7, m, cl);

    // ---- unary, multiply, bits ----

    public void inc(Reg32 r) => OpReg(4, 0, N(r), false, 0xFF);
    public void inc(MemoryOperand m) => OpMem(4, 0, M(m), false, 0xFF);
    public void dec(MemoryOperand m) => OpMem(4, 1, M(m), false, 0xFF);
    public void dec(Reg32 r) => OpReg(4, 1, N(r), false, 0xFF);
    public void not(Reg32 r) => OpReg(4, 2, N(r), false, 0xF7);
    public void neg(Reg32 r) => OpReg(4, 3, N(r), false, 0xF7);
    public void imul(Reg32 d, Reg32 s) => OpReg(4, N(d), N(s), false, 0x0F, 0xAF);
    public void not(MemoryOperand m) => OpMem(4, 2, M(m), false, 0xF7);
    public void neg(MemoryOperand m) => OpMem(4, 3, M(m), false, 0xF7);
    public void imul(Reg32 r, MemoryOperand m) => OpMem(4, N(r), M(m), false, 0x0F, 0xAF);

    public void imul(Reg32 d, Reg32 s, int imm)
    {
        if (Imm8(imm)) { OpReg(4, N(d), N(s), false, 0x6B); B(imm); }
        else { OpReg(4, N(d), N(s), false, 0x69); D(imm); }
    }

    public void bswap(Reg32 r)
    {
        int n = N(r);
        Rex(false, 0, 0, n, false);
        B(0x0F);
        B(0xC8 + (n & 7));
    }

    public void bt(MemoryOperand m, int bit)
    {
        OpMem(4, 4, M(m), false, 0x0F, 0xBA);
        B(bit);
    }

    /// <summary>setcc by condition code (Intel encoding: 0 = o … 15 = g).</summary>
    public void setcc(int cc, Reg8 r)
    {
        int n = N(r, out bool rex);
        OpReg(1, 0, n, rex, 0x0F, (byte)(0x90 + cc));
    }

    public void seto(Reg8 r) => setcc(0, r);
    public void setno(Reg8 r) => setcc(1, r);
    public void setb(Reg8 r) => setcc(2, r);
    public void setae(Reg8 r) => setcc(3, r);
    public void sete(Reg8 r) => setcc(4, r);
    public void setne(Reg8 r) => setcc(5, r);
    public void setbe(Reg8 r) => setcc(6, r);
    public void seta(Reg8 r) => setcc(7, r);
    public void sets(Reg8 r) => setcc(8, r);
    public void setns(Reg8 r) => setcc(9, r);
    public void setp(Reg8 r) => setcc(10, r);
    public void setnp(Reg8 r) => setcc(11, r);
    public void setl(Reg8 r) => setcc(12, r);
    public void setge(Reg8 r) => setcc(13, r);
    public void setle(Reg8 r) => setcc(14, r);
    public void setg(Reg8 r) => setcc(15, r);

    // ---- control ----

    private void Fixup(Label label)
    {
        if (_fixupCount == _fixups.Length)
        {
            var larger = new LabelUse[_fixups.Length * 2];
            Array.Copy(_fixups, larger, _fixupCount);
            _fixups = larger;
        }
        _fixups[_fixupCount++] = new LabelUse { At = _length, Label = label.Id };
        D(0);
    }

    /// <summary>jcc rel32 by condition code (Intel encoding: 0 = o … 15 = g).</summary>
    public void jcc(int cc, Label l)
    {
        B(0x0F);
        B(0x80 + cc);
        Fixup(l);
    }

    public void jo(Label l) => jcc(0, l);
    public void jno(Label l) => jcc(1, l);
    public void jb(Label l) => jcc(2, l);
    public void jae(Label l) => jcc(3, l);
    public void je(Label l) => jcc(4, l);
    public void jz(Label l) => jcc(4, l);
    public void jne(Label l) => jcc(5, l);
    public void jnz(Label l) => jcc(5, l);
    public void jbe(Label l) => jcc(6, l);
    public void ja(Label l) => jcc(7, l);
    public void js(Label l) => jcc(8, l);
    public void jns(Label l) => jcc(9, l);
    public void jp(Label l) => jcc(10, l);
    public void jnp(Label l) => jcc(11, l);
    public void jl(Label l) => jcc(12, l);
    public void jge(Label l) => jcc(13, l);
    public void jle(Label l) => jcc(14, l);
    public void jg(Label l) => jcc(15, l);

    public void jmp(Label l)
    {
        B(0xE9);
        Fixup(l);
    }

    public void jmp(Reg64 r) => OpReg(4, 4, N(r), false, 0xFF);

    public void push(Reg64 r)
    {
        int n = N(r);
        Rex(false, 0, 0, n, false);
        B(0x50 + (n & 7));
    }

    public void pop(Reg64 r)
    {
        int n = N(r);
        Rex(false, 0, 0, n, false);
        B(0x58 + (n & 7));
    }

    public void ret() => B(0xC3);
}
