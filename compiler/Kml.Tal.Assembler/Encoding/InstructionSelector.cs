using Iced.Intel;
using Kml.Tal.Assembler.Syntax;

namespace Kml.Tal.Assembler.Encoding;

/// <summary>
/// Chooses the Iced <see cref="Code"/> for an instruction and its operands and builds the
/// <see cref="Instruction"/>: every candidate whose operand kinds fit is encoded, and the shortest wins.
/// Branches to labels get both their short and near forms, for the assembler's relaxation.
/// </summary>
internal static class InstructionSelector
{
    /// <summary>A resolved operand: register, immediate value, memory (with resolved displacement), or branch target.</summary>
    public abstract record Resolved;
    public sealed record Reg(Register Register) : Resolved;
    public sealed record Imm(long Value) : Resolved;
    public sealed record Mem(int Size, Register Base, Register Index, int Scale, long Displacement) : Resolved;
    public sealed record Target(uint Address) : Resolved;

    /// <summary>Builds the shortest encodable instruction, or returns an error text.</summary>
    public static (Instruction Instruction, int Length)? Select(string mnemonic, IReadOnlyList<Resolved> ops, out string error)
    {
        error = "";
        var candidates = CodeTable.Candidates(mnemonic);
        if (candidates is null) { error = "unknown"; return null; }
        var regSize = ops.OfType<Reg>().Select(r => r.Register.GetSize()).DefaultIfEmpty(0).First();
        var memSize = ops.OfType<Mem>().Select(m => m.Size).DefaultIfEmpty(0).First();
        // call [slot], jmp [x], push [x] and pop [x] are dword operations in 32-bit code.
        if (memSize == 0 && regSize == 0 && ops.Any(o => o is Mem) && mnemonic is "call" or "jmp" or "push" or "pop")
        {
            ops = ops.Select(o => o is Mem m ? m with { Size = 4 } : o).ToList();
            memSize = 4;
        }
        (Instruction, int)? best = null;
        var writer = new Sink();
        var encoder = Encoder.Create(32, writer);
        foreach (var code in candidates)
        {
            var info = code.ToOpCode();
            if (info.OpCount != ops.Count) continue;
            // With nothing to give the operand size, prefer 32-bit forms (push 5 is pushd).
            if (regSize == 0 && memSize == 0 && info.OperandSize == 16) continue;
            var ins = new Instruction { Code = code };
            var ok = true;
            for (var i = 0; i < ops.Count && ok; i++)
                ok = SetOperand(ref ins, i, info.GetOpKind(i), ops[i], regSize, mnemonic == "lea");
            if (!ok) continue;
            if (!encoder.TryEncode(ins, 0x1000, out var length, out var why)) { error = ": " + why; continue; }
            if (best is null || length < best.Value.Item2) best = (ins, (int)length);
        }
        if (best is null && memSize == 0 && regSize == 0 && ops.Any(o => o is Mem) && mnemonic != "lea")
            error = "size";
        return best;
    }

    /// <summary>The short (rel8) and near (rel32) codes for a branch mnemonic; short may be INVALID (call).</summary>
    public static (Code Short, Code Near)? BranchCodes(string mnemonic)
    {
        var candidates = CodeTable.Candidates(mnemonic);
        if (candidates is null) return null;
        Code s = Code.INVALID, n = Code.INVALID;
        foreach (var c in candidates)
        {
            var info = c.ToOpCode();
            if (info.OpCount != 1) continue;
            if (info.GetOpKind(0) == OpCodeOperandKind.br32_1) s = c;
            if (info.GetOpKind(0) == OpCodeOperandKind.br32_4) n = c;
        }
        return n == Code.INVALID ? null : (s, n);
    }

    // An unsized `mem` operand belongs to lea here; elsewhere it would select far calls and jumps (m16:32).
    private static bool SetOperand(ref Instruction ins, int i, OpCodeOperandKind kind, Resolved op, int regSize, bool isLea)
    {
        switch (op)
        {
            case Reg r:
                var size = r.Register.GetSize();
                var fits = kind switch
                {
                    OpCodeOperandKind.r8_reg or OpCodeOperandKind.r8_or_mem or OpCodeOperandKind.r8_opcode => size == 1,
                    OpCodeOperandKind.r16_reg or OpCodeOperandKind.r16_or_mem or OpCodeOperandKind.r16_opcode or OpCodeOperandKind.r16_rm => size == 2,
                    OpCodeOperandKind.r32_reg or OpCodeOperandKind.r32_or_mem or OpCodeOperandKind.r32_opcode or OpCodeOperandKind.r32_rm => size == 4,
                    OpCodeOperandKind.al => r.Register == Register.AL,
                    OpCodeOperandKind.cl => r.Register == Register.CL,
                    OpCodeOperandKind.ax => r.Register == Register.AX,
                    OpCodeOperandKind.dx => r.Register == Register.DX,
                    OpCodeOperandKind.eax => r.Register == Register.EAX,
                    _ => false,
                };
                if (!fits) return false;
                ins.SetOpKind(i, OpKind.Register);
                ins.SetOpRegister(i, r.Register);
                return true;
            case Mem m:
                var msize = m.Size != 0 ? m.Size : regSize;
                var mfits = kind switch
                {
                    OpCodeOperandKind.r8_or_mem => msize == 1,
                    OpCodeOperandKind.r16_or_mem => msize == 2,
                    OpCodeOperandKind.r32_or_mem => msize == 4,
                    OpCodeOperandKind.mem => isLea,
                    _ => false,
                };
                if (!mfits) return false;
                ins.SetOpKind(i, OpKind.Memory);
                ins.MemoryBase = m.Base;
                ins.MemoryIndex = m.Index;
                ins.MemoryIndexScale = m.Index == Register.None ? 1 : m.Scale;
                ins.MemoryDisplacement64 = (ulong)(uint)(int)m.Displacement;
                ins.MemoryDisplSize = m.Base == Register.None && m.Index == Register.None ? 4 : m.Displacement == 0 ? 0 : m.Displacement is >= -128 and <= 127 ? 1 : 4;
                return true;
            case Imm v:
                var value = v.Value;
                OpKind k;
                switch (kind)
                {
                    case OpCodeOperandKind.imm8 when value is >= -128 and <= 255: k = OpKind.Immediate8; break;
                    case OpCodeOperandKind.imm8_const_1 when value == 1: k = OpKind.Immediate8; break;
                    case OpCodeOperandKind.imm16 when value is >= -32768 and <= 65535: k = OpKind.Immediate16; break;
                    case OpCodeOperandKind.imm32 when value is >= int.MinValue and <= uint.MaxValue: k = OpKind.Immediate32; break;
                    case OpCodeOperandKind.imm8sex16 when value is >= -128 and <= 127 || (regSize == 2 && value is >= 0xFF80 and <= 0xFFFF): k = OpKind.Immediate8to16; break;
                    case OpCodeOperandKind.imm8sex32 when value is >= -128 and <= 127 || value is >= 0xFFFFFF80 and <= 0xFFFFFFFF: k = OpKind.Immediate8to32; break;
                    default: return false;
                }
                ins.SetOpKind(i, k);
                if (kind == OpCodeOperandKind.imm8_const_1) ins.Immediate8 = 1;
                else ins.SetImmediate(i, (ulong)value);
                return true;
            case Target:
                return false; // branches are built by the caller
        }
        return false;
    }

    private sealed class Sink : CodeWriter
    {
        public override void WriteByte(byte value) { }
    }
}
