using Iced.Intel;
using Kml.Kernel.Processes;
using Kml.Machine;

namespace Kml.Kernel;

// A stop-gap for instructions the CPU does not implement yet but a real i686 executes: the kernel emulates them
// when Cpu.Run stops with StopReason.Unimplemented. Each one belongs in Kml.Machine; the statistics name them.
public sealed partial class KmlKernel
{
    /// <summary>
    /// Emulates the instruction at the user's EIP if it is one the fallback knows; true if it did (EIP moved on).
    /// <c>tzcnt</c>/<c>lzcnt</c> (F3 0F BC/BD) execute as <c>bsf</c>/<c>bsr</c> on CPUs without BMI1/ABM, which is what
    /// our CPUID reports; compilers emit them for __builtin_ctz, whose argument is never zero.
    /// </summary>
    private bool TryEmulateUnimplemented(Process p)
    {
        var cpu = Cpu;
        // The process's own code: ring 3, or a ring-0 process outside the kernel's pages.
        if (cpu.Cpl != 3 && !(p.RunsInRing0 && cpu.Eip < Memory.AddressSpace.UserEnd)) return false;
        var bytes = new byte[15];
        int length = 15;
        while (length > 0 && !p.Memory.CopyFromUser(cpu.Eip, bytes.AsSpan(0, length))) length--;
        if (length == 0) return false;
        var decoder = Decoder.Create(32, new ByteArrayCodeReader(bytes, 0, length));
        decoder.IP = cpu.Eip;
        var ins = decoder.Decode();
        if (ins.IsInvalid || ins.Length > length) return false;
        if (ins.Mnemonic is not (Mnemonic.Tzcnt or Mnemonic.Lzcnt) || ins.Op0Kind != OpKind.Register) return false;
        int dest = RegisterIndex(ins.Op0Register);
        if (dest < 0) return false;
        uint source;
        if (ins.Op1Kind == OpKind.Register)
        {
            int src = RegisterIndex(ins.Op1Register);
            if (src < 0) return false;
            source = cpu.GetRegister(src);
        }
        else if (ins.Op1Kind == OpKind.Memory)
        {
            uint address = (uint)ins.MemoryDisplacement64;
            if (ins.MemoryBase != Register.None) address += cpu.GetRegister(RegisterIndex(ins.MemoryBase));
            if (ins.MemoryIndex != Register.None) address += cpu.GetRegister(RegisterIndex(ins.MemoryIndex)) * (uint)ins.MemoryIndexScale;
            var segment = ins.MemorySegment switch
            {
                Register.FS => SegmentRegister.FS,
                Register.GS => SegmentRegister.GS,
                Register.ES => SegmentRegister.ES,
                Register.SS => SegmentRegister.SS,
                Register.CS => SegmentRegister.CS,
                _ => SegmentRegister.DS,
            };
            address += cpu.GetSegment(segment).Base;
            if (!p.Memory.TryReadUInt32(address, out source))
            {
                // Let the CPU's own #PF path handle it: fault the page in, or signal.
                var r = p.Memory.HandleFault(address, false);
                if (r != Memory.FaultResult.Handled || !p.Memory.TryReadUInt32(address, out source)) return false;
            }
        }
        else
        {
            return false;
        }
        const uint Zf = 0x40;
        uint flags = cpu.EFlags & ~Zf;
        if (source == 0)
        {
            flags |= Zf;   // bsf/bsr: destination unchanged
        }
        else
        {
            uint result = ins.Mnemonic == Mnemonic.Tzcnt
                ? (uint)System.Numerics.BitOperations.TrailingZeroCount(source)
                : (uint)System.Numerics.BitOperations.Log2(source);
            cpu.SetRegister(dest, result);
        }
        cpu.EFlags = flags;
        cpu.Eip += (uint)ins.Length;
        Statistics.CountTransition($"kernel-emulated {ins.Mnemonic.ToString().ToLowerInvariant()} (as {(ins.Mnemonic == Mnemonic.Tzcnt ? "bsf" : "bsr")})");
        return true;
    }

    private static int RegisterIndex(Register r) => r is >= Register.EAX and <= Register.EDI ? r - Register.EAX : -1;
}
