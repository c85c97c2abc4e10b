using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Kml.Kernel.Platform;

/// <summary>Which kernel entry a <c>vmcall</c> in the stub page belongs to.</summary>
internal enum StubEntry
{
    /// <summary>The <c>int 0x80</c> gate (an IRET frame is on the stack).</summary>
    Int80,
    /// <summary><c>sysenter</c> (nothing saved; the user stack is in EBP).</summary>
    Sysenter,
    /// <summary>The timer interrupt.</summary>
    Timer,
    /// <summary>Exception vector <see cref="StubSite.Vector"/> (with an error code for 8, 10–14, 17).</summary>
    Exception,
    /// <summary>KML's direct call from ring 0: EFLAGS and the return address are on the process's stack.</summary>
    DirectCall,
    /// <summary>The double-fault task (a task gate's TSS); the faulting task's state is in the main TSS.</summary>
    DoubleFault,
    /// <summary>The NMI task.</summary>
    Nmi,
    /// <summary>Where the double-fault task sends a task it could not save (the kernel then kills the process).</summary>
    DoubleFaultKilled,
}

/// <summary>A <c>vmcall</c> site: the entry it belongs to and, for exceptions, the vector.</summary>
internal readonly record struct StubSite(StubEntry Entry, int Vector);

/// <summary>
/// The kernel's entry and exit code: real IA-32 instructions in a supervisor page, assembled with Iced at boot. Every
/// entry (the int 0x80 gate, sysenter, the timer, each exception vector, KML's direct call, the double-fault and NMI
/// tasks) reaches a <c>vmcall</c> at its own address, which hands control to the C# kernel; the kernel tells entries
/// apart by that address. The kernel then leaves through one of the exits: <c>iretd</c> (a full frame on the kernel
/// stack for ring 3; EIP, CS, EFLAGS on the process's own stack for ring 0), <c>sti; sysexit</c>, or <c>popfd; ret</c>
/// (the direct call's return). Privilege transitions, stack switches and their cycle costs are therefore the CPU's own.
/// With KPTI (protection level 1) every entry first loads the kernel's CR3 and every exit the user's, through the
/// per-CPU page, as Linux's entry trampolines do.
/// </summary>
internal sealed class EntryStubs
{
    private readonly Dictionary<uint, StubSite> _sites = [];

    /// <summary>The 4 KiB page.</summary>
    public byte[] Page { get; }

    /// <summary>Whether the stubs switch CR3 on every entry and exit.</summary>
    public bool Kpti { get; }

    // Offsets in the page of the places the kernel and the IDT point at.
    public uint IretExit { get; }
    public uint SysexitExit { get; }
    /// <summary>iretd without a CR3 switch: the return to a ring-0 process (never KPTI).</summary>
    public uint Ring0IretExit { get; }
    /// <summary>popfd; ret: the direct call's return into the vDSO.</summary>
    public uint DirectCallExit { get; }
    public uint Int80Entry { get; }
    public uint SysenterEntry { get; }
    public uint TimerEntry { get; }
    public uint DirectCallEntry { get; }
    public uint DoubleFaultTask { get; }
    public uint NmiTask { get; }
    public uint DoubleFaultKilled { get; }
    private readonly uint[] _exceptionEntries = new uint[32];

    /// <summary>Length of vmcall: the kernel sees EIP just past it.</summary>
    public const uint VmcallLength = 3;

    /// <summary>The entry of exception <paramref name="vector"/> (what its IDT gate points at).</summary>
    public uint ExceptionEntry(int vector) => _exceptionEntries[vector];

    /// <summary>The entry a <c>vmcall</c> at page offset <paramref name="offset"/> belongs to; false for any other address.</summary>
    public bool TryGetSite(uint offset, out StubSite site) => _sites.TryGetValue(offset, out site);

    /// <summary>Exceptions whose delivery pushes an error code.</summary>
    public static bool HasErrorCode(int vector) => vector is 8 or 10 or 11 or 12 or 13 or 14 or 17;

    public EntryStubs(bool kpti)
    {
        Kpti = kpti;
        uint baseAddress = KernelLayout.Linear(KernelLayout.StubsPhysical);
        uint perCpu = KernelLayout.Linear(KernelLayout.PerCpuPhysical);
        uint tss = KernelLayout.Linear(KernelLayout.TssPhysical);
        var a = new Assembler(32);
        var labels = new Dictionary<string, Label>();
        // The sites of the vmcalls, in the order they are emitted (found again by decoding the assembled page).
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
            // Linux's SWITCH_TO_KERNEL_CR3 / SWITCH_TO_USER_CR3, with EAX saved on the (entry-area) stack.
            a.push(eax);
            a.mov(eax, __dword_ptr[perCpu + slot]);
            a.mov(cr3, eax);
            a.pop(eax);
        }
        void Vmcall(StubSite site, bool resumes = false)
        {
            vmcalls.Add(site);
            a.vmcall();
            if (!resumes) a.ud2();   // never reached: the kernel always sets EIP to an exit
        }
        void Entry(string name, StubSite site)
        {
            Mark(name);
            if (kpti) SwitchCr3(KernelLayout.PerCpuKernelCr3);
            Vmcall(site);
        }

        // Exits.
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
        a.popfd();
        a.ret();

        // Entries through gates and sysenter.
        Entry("int80", new StubSite(StubEntry.Int80, 0x80));
        Entry("sysenter", new StubSite(StubEntry.Sysenter, 0));
        Entry("timer", new StubSite(StubEntry.Timer, KernelLayout.TimerVector));
        for (int v = 0; v < 32; v++) Entry($"exception{v}", new StubSite(StubEntry.Exception, v));

        // KML's direct call: the caller (the vDSO in ring 0) pushed the return address on its own stack. Save EFLAGS
        // there, disable interrupts, remember the user ESP in the per-CPU page and switch to the kernel stack (ESP0).
        Mark("call");
        a.pushfd();
        a.cli();
        a.mov(__dword_ptr[perCpu + KernelLayout.PerCpuDirectCallEsp], esp);
        a.mov(esp, __dword_ptr[tss + (uint)Kml.Machine.Protection.Tss32.Esp0]);
        Vmcall(new StubSite(StubEntry.DirectCall, 0));

        // The double-fault and NMI tasks: each runs in its own TSS (own stack and CR3); iretd with NT returns to the
        // interrupted task, and the next fault re-enters after the iretd, hence the loop.
        var df = Mark("double-fault");
        Vmcall(new StubSite(StubEntry.DoubleFault, 8), resumes: true);
        a.add(esp, 4);   // the error code
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
        if (code.Length > 4096) throw new InvalidOperationException("the entry stubs do not fit in one page");
        Page = new byte[4096];
        Page.AsSpan().Fill(0xCC);   // int3 padding: a stray jump into the page traps
        code.CopyTo(Page, 0);
        uint At(string name)
        {
            var l = labels[name];
            return (uint)(result.GetLabelRIP(l) - baseAddress);
        }
        IretExit = At("iret");
        SysexitExit = At("sysexit");
        Ring0IretExit = At("ring0-iret");
        DirectCallExit = At("call-exit");
        Int80Entry = At("int80");
        SysenterEntry = At("sysenter");
        TimerEntry = At("timer");
        DirectCallEntry = At("call");
        DoubleFaultTask = At("double-fault");
        NmiTask = At("nmi");
        DoubleFaultKilled = At("double-fault-killed");
        for (int v = 0; v < 32; v++) _exceptionEntries[v] = At($"exception{v}");
        var decoder = Decoder.Create(32, new ByteArrayCodeReader(code), baseAddress);
        int next = 0;
        while (decoder.IP < baseAddress + (ulong)code.Length)
        {
            var ins = decoder.Decode();
            if (ins.Mnemonic == Mnemonic.Vmcall) _sites[(uint)(ins.IP - baseAddress)] = vmcalls[next++];
        }
        if (next != vmcalls.Count) throw new InvalidOperationException("the entry stubs' vmcalls were not all found");
    }
}
