using System.Text;
using Kml.Kernel.Abi;
using Kml.Kernel.Elf;
using Kml.Kernel.Processes;
using Kml.Kernel.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.Kernel.Tests;

public sealed class StackLayoutTests
{
    [Fact]
    public void InitialStack_HasArgvEnvpAndAuxv_AsLinuxLaysThemOut()
    {
        using var k = TestKernel.Create();
        var p = k.CreateInitialProcess();
        var image = ElfImage.Parse("prog", TestElf.Minimal());
        var random = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var loaded = ProgramLoader.Load(p.Memory, image, new ProgramEnvironment
        {
            Arguments = ["prog", "-x", "arg with spaces"],
            Environment = ["A=1", "TZ=UTC"],
            ExecutableName = "/bin/prog",
            Uid = 1000, Euid = 1000, Gid = 100, Egid = 100,
            SysinfoAddress = 0xB7FFF400,
            VdsoAddress = 0xB7FFF000,
            VdsoFrame = 0x5000,
            HardwareCapabilities = 0x8931,
            RandomBytes = random,
        });
        loaded.Entry.ShouldBe(image.Entry);
        uint sp = loaded.StackPointer;
        (sp % 16).ShouldBe(0u);
        uint Word(uint at) { p.Memory.TryReadUInt32(at, out uint v).ShouldBeTrue(); return v; }
        string Str(uint at) { p.Memory.ReadString(at, 4096, out string s).ShouldBe(Errno.None); return s; }

        Word(sp).ShouldBe(3u);
        Str(Word(sp + 4)).ShouldBe("prog");
        Str(Word(sp + 8)).ShouldBe("-x");
        Str(Word(sp + 12)).ShouldBe("arg with spaces");
        Word(sp + 16).ShouldBe(0u);
        Str(Word(sp + 20)).ShouldBe("A=1");
        Str(Word(sp + 24)).ShouldBe("TZ=UTC");
        Word(sp + 28).ShouldBe(0u);
        var aux = new Dictionary<uint, uint>();
        for (uint at = sp + 32; ; at += 8)
        {
            uint type = Word(at);
            if (type == AuxType.Null) break;
            aux[type] = Word(at + 4);
        }
        aux[AuxType.Phdr].ShouldBe(image.ProgramHeaderAddress);
        aux[AuxType.Phent].ShouldBe(32u);
        aux[AuxType.Phnum].ShouldBe(1u);
        aux[AuxType.PageSize].ShouldBe(4096u);
        aux[AuxType.Entry].ShouldBe(image.Entry);
        aux[AuxType.Uid].ShouldBe(1000u);
        aux[AuxType.Egid].ShouldBe(100u);
        aux[AuxType.Secure].ShouldBe(0u);
        aux[AuxType.HwCap].ShouldBe(0x8931u);
        aux[AuxType.ClkTck].ShouldBe(100u);
        aux[AuxType.SysInfo].ShouldBe(0xB7FFF400u);
        aux[AuxType.SysInfoEhdr].ShouldBe(0xB7FFF000u);
        Str(aux[AuxType.Platform]).ShouldBe("i686");
        Str(aux[AuxType.ExecFn]).ShouldBe("/bin/prog");
        var bytes = new byte[16];
        p.Memory.CopyFromUser(aux[AuxType.Random], bytes).ShouldBeTrue();
        bytes.ShouldBe(random);
        // The strings sit above the tables, below the top of the stack.
        aux[AuxType.ExecFn].ShouldBeGreaterThan(sp);
        aux[AuxType.ExecFn].ShouldBeLessThan(ProgramLoader.StackTop);
        _ = Encoding.ASCII;
    }
}
