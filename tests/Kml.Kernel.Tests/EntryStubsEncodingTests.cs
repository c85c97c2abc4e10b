using Iced.Intel;
using Kml.Kernel.Platform;
using Shouldly;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Kernel.Tests;

/// <summary>
/// The entry stubs are encoded by hand at boot (Iced's assembler cost ~12 ms of start-up). Here the same program is
/// assembled with Iced, the oracle, and the page, every entry and exit offset, and every vmcall site must be identical.
/// </summary>
public class EntryStubsEncodingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EntryStubs_MatchTheSameCodeAssembledByIced(bool kpti)
    {
        var stubs = new EntryStubs(kpti);
        var oracle = Assemble(kpti);

        stubs.Page.AsSpan(0, oracle.Code.Length).ToArray().ShouldBe(oracle.Code, "the stub bytes");
        stubs.Page.AsSpan(oracle.Code.Length).ToArray().ShouldAllBe(b => b == 0xCC, "int3 padding after the code");
        stubs.IretExit.ShouldBe(oracle.Labels["iret"]);
        stubs.SysexitExit.ShouldBe(oracle.Labels["sysexit"]);
        stubs.Ring0IretExit.ShouldBe(oracle.Labels["ring0-iret"]);
        stubs.DirectCallExit.ShouldBe(oracle.Labels["call-exit"]);
        stubs.Int80Entry.ShouldBe(oracle.Labels["int80"]);
        stubs.SysenterEntry.ShouldBe(oracle.Labels["sysenter"]);
        stubs.TimerEntry.ShouldBe(oracle.Labels["timer"]);
        stubs.DirectCallEntry.ShouldBe(oracle.Labels["call"]);
        stubs.DoubleFaultTask.ShouldBe(oracle.Labels["double-fault"]);
        stubs.NmiTask.ShouldBe(oracle.Labels["nmi"]);
        stubs.DoubleFaultKilled.ShouldBe(oracle.Labels["double-fault-killed"]);
        for (int v = 0; v < 32; v++) stubs.ExceptionEntry(v).ShouldBe(oracle.Labels[$"exception{v}"], $"exception {v}");
        stubs.Sites().OrderBy(s => s.Key).ShouldBe(oracle.Sites.OrderBy(s => s.Key), "the vmcall sites");
    }

    [Fact]
    public void StubWriter_JmpBack_UsesRel32WhenRel8CannotReach()
    {
        var w = new StubWriter();
        for (int i = 0; i < 200; i++) w.Ret();
        w.JmpBack(0);
        w.Code[200].ShouldBe((byte)0xE9);
        BitConverter.ToInt32(w.Code.Slice(201, 4)).ShouldBe(-205);
    }

    private sealed record Assembled(byte[] Code, Dictionary<string, uint> Labels, Dictionary<uint, StubSite> Sites);

    /// <summary>The stubs as the kernel assembled them with Iced before they were encoded by hand.</summary>
    private static Assembled Assemble(bool kpti)
    {
        uint baseAddress = KernelLayout.Linear(KernelLayout.StubsPhysical);
        uint perCpu = KernelLayout.Linear(KernelLayout.PerCpuPhysical);
        uint tss = KernelLayout.Linear(KernelLayout.TssPhysical);
        var a = new Assembler(32);
        var labels = new Dictionary<string, Label>();
        var vmcalls = new List<StubSite>();
        Label Mark(string name)
        {
            var l = a.CreateLabel(name);
            a.Label(ref l);
            labels[name] = l;
            return l;
        }
        void SwitchCr3(uint slot)
        {
            a.push(eax);
            a.mov(eax, __dword_ptr[perCpu + slot]);
            a.mov(cr3, eax);
            a.pop(eax);
        }
        void Vmcall(StubSite site, bool resumes = false)
        {
            vmcalls.Add(site);
            a.vmcall();
            if (!resumes) a.ud2();
        }
        void Entry(string name, StubSite site)
        {
            Mark(name);
            if (kpti) SwitchCr3(KernelLayout.PerCpuKernelCr3);
            Vmcall(site);
        }

        Mark("iret");
        if (kpti) SwitchCr3(KernelLayout.PerCpuUserCr3);
        a.iretd();
        Mark("sysexit");
        if (kpti) SwitchCr3(KernelLayout.PerCpuUserCr3);
        a.sti();
        a.sysexit();
        Mark("ring0-iret");
        a.iretd();
        Mark("call-exit");
        a.ret();
        Entry("int80", new StubSite(StubEntry.Int80, 0x80));
        Entry("sysenter", new StubSite(StubEntry.Sysenter, 0));
        Entry("timer", new StubSite(StubEntry.Timer, KernelLayout.TimerVector));
        for (int v = 0; v < 32; v++) Entry($"exception{v}", new StubSite(StubEntry.Exception, v));
        Mark("call");
        a.mov(__dword_ptr[perCpu + KernelLayout.PerCpuDirectCallEsp], esp);
        a.mov(esp, __dword_ptr[tss + (uint)Kml.Machine.Protection.Tss32.Esp0]);
        Vmcall(new StubSite(StubEntry.DirectCall, 0));
        var df = Mark("double-fault");
        Vmcall(new StubSite(StubEntry.DoubleFault, 8), resumes: true);
        a.add(esp, 4);
        a.iretd();
        a.jmp(df);
        var nmi = Mark("nmi");
        Vmcall(new StubSite(StubEntry.Nmi, 2), resumes: true);
        a.iretd();
        a.jmp(nmi);
        Mark("double-fault-killed");
        Vmcall(new StubSite(StubEntry.DoubleFaultKilled, 8));

        var stream = new MemoryStream();
        var result = a.Assemble(new StreamCodeWriter(stream), baseAddress, BlockEncoderOptions.ReturnNewInstructionOffsets);
        byte[] code = stream.ToArray();
        var offsets = labels.ToDictionary(l => l.Key, l => (uint)(result.GetLabelRIP(l.Value) - baseAddress));
        var sites = new Dictionary<uint, StubSite>();
        var decoder = Decoder.Create(32, new ByteArrayCodeReader(code), baseAddress);
        int next = 0;
        while (decoder.IP < baseAddress + (ulong)code.Length)
        {
            var ins = decoder.Decode();
            if (ins.Mnemonic == Mnemonic.Vmcall) sites[(uint)(ins.IP - baseAddress)] = vmcalls[next++];
        }
        return new Assembled(code, offsets, sites);
    }
}
