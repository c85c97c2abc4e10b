using Iced.Intel;

namespace Kml.Tal.Checker;

/// <summary>
/// The instruction allow-list (docs/tal.md, "Instructions"). Applied to every decoded instruction,
/// reachable or not, before typing: an explicit set of mnemonics, general-purpose registers only,
/// 32-bit addressing only, no segment, address-size or rep prefixes, and lock only on a read-modify-write
/// of memory. Anything not listed is rejected, so a new Iced mnemonic is forbidden until someone types it.
/// </summary>
internal static class AllowList
{
    private static readonly HashSet<Mnemonic> Allowed =
    [
        Mnemonic.Nop, Mnemonic.Mov, Mnemonic.Movzx, Mnemonic.Movsx, Mnemonic.Lea, Mnemonic.Push, Mnemonic.Pop, Mnemonic.Xchg,
        Mnemonic.Add, Mnemonic.Sub, Mnemonic.Adc, Mnemonic.Sbb, Mnemonic.And, Mnemonic.Or, Mnemonic.Xor, Mnemonic.Cmp, Mnemonic.Test,
        Mnemonic.Inc, Mnemonic.Dec, Mnemonic.Neg, Mnemonic.Not,
        Mnemonic.Shl, Mnemonic.Shr, Mnemonic.Sar, Mnemonic.Rol, Mnemonic.Ror, Mnemonic.Rcl, Mnemonic.Rcr, Mnemonic.Shld, Mnemonic.Shrd,
        Mnemonic.Imul, Mnemonic.Mul, Mnemonic.Div, Mnemonic.Idiv, Mnemonic.Cdq, Mnemonic.Cwde, Mnemonic.Cbw, Mnemonic.Cwd,
        Mnemonic.Seta, Mnemonic.Setae, Mnemonic.Setb, Mnemonic.Setbe, Mnemonic.Sete, Mnemonic.Setne, Mnemonic.Setg, Mnemonic.Setge,
        Mnemonic.Setl, Mnemonic.Setle, Mnemonic.Seto, Mnemonic.Setno, Mnemonic.Sets, Mnemonic.Setns, Mnemonic.Setp, Mnemonic.Setnp,
        Mnemonic.Cmova, Mnemonic.Cmovae, Mnemonic.Cmovb, Mnemonic.Cmovbe, Mnemonic.Cmove, Mnemonic.Cmovne, Mnemonic.Cmovg, Mnemonic.Cmovge,
        Mnemonic.Cmovl, Mnemonic.Cmovle, Mnemonic.Cmovo, Mnemonic.Cmovno, Mnemonic.Cmovs, Mnemonic.Cmovns, Mnemonic.Cmovp, Mnemonic.Cmovnp,
        Mnemonic.Bswap, Mnemonic.Bt, Mnemonic.Bts, Mnemonic.Btr, Mnemonic.Btc, Mnemonic.Xadd, Mnemonic.Cmpxchg,
        Mnemonic.Jmp, Mnemonic.Ja, Mnemonic.Jae, Mnemonic.Jb, Mnemonic.Jbe, Mnemonic.Je, Mnemonic.Jne, Mnemonic.Jg, Mnemonic.Jge,
        Mnemonic.Jl, Mnemonic.Jle, Mnemonic.Jo, Mnemonic.Jno, Mnemonic.Js, Mnemonic.Jns, Mnemonic.Jp, Mnemonic.Jnp,
        Mnemonic.Call, Mnemonic.Ret,
    ];

    private static readonly HashSet<Mnemonic> Lockable =
    [
        Mnemonic.Add, Mnemonic.Adc, Mnemonic.And, Mnemonic.Or, Mnemonic.Sbb, Mnemonic.Sub, Mnemonic.Xor,
        Mnemonic.Inc, Mnemonic.Dec, Mnemonic.Neg, Mnemonic.Not, Mnemonic.Xadd, Mnemonic.Cmpxchg,
    ];

    /// <summary>Returns (rule, detail) when the instruction is not allowed, else null.</summary>
    public static (string Rule, string Detail)? Check(in Instruction ins, ReadOnlySpan<byte> bytes)
    {
        // Legacy prefixes precede the opcode; scan them from the raw bytes so none can hide.
        foreach (var b in bytes)
        {
            switch (b)
            {
                case 0x26 or 0x2E or 0x36 or 0x3E or 0x64 or 0x65:
                    return (Rules.ForbiddenPrefix, $"segment override 0x{b:x2}");
                case 0x67:
                    return (Rules.ForbiddenPrefix, "address-size prefix 0x67 (16-bit addressing)");
                case 0xF2 or 0xF3:
                    return (Rules.ForbiddenPrefix, $"rep/repne prefix 0x{b:x2}");
                case 0xF0 or 0x66:
                    continue;
            }
            break;
        }
        if (!Allowed.Contains(ins.Mnemonic)) return (Rules.Forbidden, ins.Mnemonic.ToString().ToLowerInvariant());
        if (ins.HasLockPrefix && !(Lockable.Contains(ins.Mnemonic) && ins.Op0Kind == OpKind.Memory))
            return (Rules.BadLock, "lock needs a read-modify-write instruction with a memory destination");
        for (var i = 0; i < ins.OpCount; i++)
        {
            switch (ins.GetOpKind(i))
            {
                case OpKind.Register:
                    var r = ins.GetOpRegister(i);
                    if (!r.IsGPR8() && !r.IsGPR16() && !r.IsGPR32()) return (Rules.BadOperand, $"register {r.ToString().ToLowerInvariant()}");
                    break;
                case OpKind.Memory:
                    if (ins.MemoryBase != Register.None && !ins.MemoryBase.IsGPR32()) return (Rules.BadOperand, "16-bit addressing");
                    if (ins.MemoryIndex != Register.None && !ins.MemoryIndex.IsGPR32()) return (Rules.BadOperand, "16-bit addressing");
                    break;
                case OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32 or OpKind.Immediate8to16 or OpKind.Immediate8to32 or OpKind.Immediate8_2nd:
                case OpKind.NearBranch32:
                    break;
                default:
                    return (Rules.BadOperand, ins.GetOpKind(i).ToString());
            }
        }
        return null;
    }

    /// <summary>Whether the instruction leaves the arithmetic flags unchanged (every other one kills the flags fact).</summary>
    public static bool PreservesFlags(Mnemonic m) => m switch
    {
        Mnemonic.Nop or Mnemonic.Mov or Mnemonic.Movzx or Mnemonic.Movsx or Mnemonic.Lea or Mnemonic.Push or Mnemonic.Pop
            or Mnemonic.Xchg or Mnemonic.Not or Mnemonic.Bswap or Mnemonic.Jmp => true,
        _ => IsSetcc(m) || IsCmov(m) || IsJcc(m),
    };

    private static readonly HashSet<Mnemonic> Jcc =
    [
        Mnemonic.Ja, Mnemonic.Jae, Mnemonic.Jb, Mnemonic.Jbe, Mnemonic.Je, Mnemonic.Jne, Mnemonic.Jg, Mnemonic.Jge,
        Mnemonic.Jl, Mnemonic.Jle, Mnemonic.Jo, Mnemonic.Jno, Mnemonic.Js, Mnemonic.Jns, Mnemonic.Jp, Mnemonic.Jnp,
    ];

    private static readonly HashSet<Mnemonic> Setcc =
    [
        Mnemonic.Seta, Mnemonic.Setae, Mnemonic.Setb, Mnemonic.Setbe, Mnemonic.Sete, Mnemonic.Setne, Mnemonic.Setg, Mnemonic.Setge,
        Mnemonic.Setl, Mnemonic.Setle, Mnemonic.Seto, Mnemonic.Setno, Mnemonic.Sets, Mnemonic.Setns, Mnemonic.Setp, Mnemonic.Setnp,
    ];

    private static readonly HashSet<Mnemonic> Cmovcc =
    [
        Mnemonic.Cmova, Mnemonic.Cmovae, Mnemonic.Cmovb, Mnemonic.Cmovbe, Mnemonic.Cmove, Mnemonic.Cmovne, Mnemonic.Cmovg, Mnemonic.Cmovge,
        Mnemonic.Cmovl, Mnemonic.Cmovle, Mnemonic.Cmovo, Mnemonic.Cmovno, Mnemonic.Cmovs, Mnemonic.Cmovns, Mnemonic.Cmovp, Mnemonic.Cmovnp,
    ];

    public static bool IsJcc(Mnemonic m) => Jcc.Contains(m);

    public static bool IsSetcc(Mnemonic m) => Setcc.Contains(m);

    public static bool IsCmov(Mnemonic m) => Cmovcc.Contains(m);
}
