using Iced.Intel;
using Kml.Machine.Decoding;

namespace Kml.Machine.Translation;

/// <summary>
/// What both translators (IL, <see cref="BlockCompiler"/>, and x86-64, <see cref="Native.NativeBlockCompiler"/>) decide
/// the same way: operand-kind tests, the shape of an arithmetic instruction, and which jumps may stay inside a block. The
/// loop rule in particular is about correctness (where timer interrupts can land), so it lives in one place.
/// </summary>
internal static class TranslatedForms
{
    /// <summary>Operand <paramref name="n"/> is a general register; <paramref name="size"/> its width in bytes.</summary>
    public static bool IsGpr(in Instruction ins, int n, out int size)
    {
        size = ins.GetOpKind(n) == OpKind.Register ? Operands.RegSize(ins.GetOpRegister(n)) : 0;
        return size != 0;
    }

    /// <summary>Operand <paramref name="n"/> is EAX…EDI.</summary>
    public static bool IsReg32(in Instruction ins, int n) =>
        ins.GetOpKind(n) == OpKind.Register && ins.GetOpRegister(n) is >= Register.EAX and <= Register.EDI;

    /// <summary>Operand <paramref name="n"/> is an immediate.</summary>
    public static bool IsImm(in Instruction ins, int n) => Operands.IsImm(ins.GetOpKind(n));

    /// <summary>The operands of add/sub/and/or/xor/cmp/test.</summary>
    public readonly record struct BinaryForm(bool Writes, bool Reg0, bool Mem0, bool Reg1, bool Imm1, bool Mem1, int Size)
    {
        public bool Mem => Mem0 || Mem1;
    }

    /// <summary>The form of an add/sub/and/or/xor/cmp/test both translators emit inline: register or memory destination,
    /// register, immediate or memory source, 8, 16 or 32 bits; false for any other.</summary>
    public static bool TryBinary(in Instruction ins, out BinaryForm form)
    {
        bool writes = ins.Mnemonic is not (Mnemonic.Cmp or Mnemonic.Test);
        bool reg0 = IsGpr(ins, 0, out int size0), mem0 = ins.Op0Kind == OpKind.Memory;
        bool reg1 = IsGpr(ins, 1, out _), imm1 = IsImm(ins, 1), mem1 = ins.Op1Kind == OpKind.Memory;
        int size = reg0 ? size0 : ins.MemorySize.GetSize();
        form = new BinaryForm(writes, reg0, mem0, reg1, imm1, mem1, size);
        return (reg0 || mem0) && (reg1 || imm1 || mem1) && size is 1 or 2 or 4;
    }

    /// <summary>
    /// Which instructions of <paramref name="b"/> are targets of its own direct jumps that may continue inside the
    /// translation (loops in a superblock); null when none may. Allowed only when the rest of the block from the target is
    /// exactly the block the dispatch loop would decode there: the block did not stop at the instruction cap (a block
    /// decoded from a later start would run past this one's end) nor straddle a page; then block boundaries, and so
    /// event checks, are the same as interpreted.
    /// </summary>
    public static bool[]? LoopTargets(Block b)
    {
        if (b.Count >= BlockBuilder.MaxInstructions || b.Phys2 != Block.NoPage || b.Instructions == null) return null;
        bool[]? targets = null;
        for (int j = 0; j < b.Count; j++)
        {
            var ins = b.Instructions[j];
            if (ins.Op0Kind != OpKind.NearBranch32 || ins.HasLockPrefix || ins.HasRepPrefix || ins.HasRepnePrefix) continue;
            if (!(ins.FlowControl == FlowControl.ConditionalBranch || ins.Mnemonic == Mnemonic.Jmp)) continue;
            uint target = ins.NearBranch32;
            for (int i = 0; i < b.Count; i++)
            {
                if (b.Instructions[i].IP32 != target) continue;
                (targets ??= new bool[b.Count])[i] = true;
                break;
            }
        }
        return targets;
    }
}
