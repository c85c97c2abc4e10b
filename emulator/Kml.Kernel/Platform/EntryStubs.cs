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
/// The kernel's entry and exit code: real IA-32 instructions in a supervisor page. Every
/// entry (the int 0x80 gate, sysenter, the timer, each exception vector, KML's direct call, the double-fault and NMI
/// tasks) reaches a <c>vmcall</c> at its own address, which hands control to the C# kernel; the kernel tells entries
/// apart by that address. The kernel then leaves through one of the exits: <c>iretd</c> (a full frame on the kernel
/// stack for ring 3; EIP, CS, EFLAGS on the process's own stack for ring 0), <c>sti; sysexit</c>, or <c>ret</c>
/// (the direct call's return). Privilege transitions, stack switches and their cycle costs are therefore the CPU's own.
/// With KPTI (protection level 1) every entry first loads the kernel's CR3 and every exit the user's, through the
/// per-CPU page, as Linux's entry trampolines do.
/// The page is encoded here directly (a dozen fixed instruction forms, see <see cref="StubWriter"/>) rather than with
/// Iced's assembler, which cost about 12 ms of every run's start-up (docs/machine.md, "Start-up"); the tests assemble
/// the same code with Iced and compare the bytes.
/// </summary>
internal sealed class EntryStubs
{
    // Indexed by page offset (an array rather than a dictionary: no generic instantiation to JIT at start-up).
    private readonly StubSite?[] _sites = new StubSite?[4096];

    /// <summary>The 4 KiB page.</summary>
    public byte[] Page { get; }

    /// <summary>Whether the stubs switch CR3 on every entry and exit.</summary>
    public bool Kpti { get; }

    // Offsets in the page of the places the kernel and the IDT point at.
    public uint IretExit { get; }
    public uint SysexitExit { get; }
    /// <summary>iretd without a CR3 switch: the return to a ring-0 process (never KPTI).</summary>
    public uint Ring0IretExit { get; }
    /// <summary>ret: the direct call's return into the vDSO (the kernel has set EFLAGS and the other registers).</summary>
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
    public bool TryGetSite(uint offset, out StubSite site)
    {
        site = default;
        if (offset >= (uint)_sites.Length || _sites[offset] is not { } s) return false;
        site = s;
        return true;
    }

    /// <summary>Every <c>vmcall</c> site (page offset and entry), for tests.</summary>
    internal Dictionary<uint, StubSite> Sites()
    {
        var all = new Dictionary<uint, StubSite>();
        for (uint i = 0; i < _sites.Length; i++)
            if (_sites[i] is { } s) all[i] = s;
        return all;
    }

    /// <summary>Exceptions whose delivery pushes an error code.</summary>
    public static bool HasErrorCode(int vector) => vector is 8 or 10 or 11 or 12 or 13 or 14 or 17;

    public EntryStubs(bool kpti)
    {
        Kpti = kpti;
        uint perCpu = KernelLayout.Linear(KernelLayout.PerCpuPhysical);
        uint tss = KernelLayout.Linear(KernelLayout.TssPhysical);
        var a = new StubWriter();
        void SwitchCr3(uint slot)
        {
            // Linux's SWITCH_TO_KERNEL_CR3 / SWITCH_TO_USER_CR3, with EAX saved on the (entry-area) stack.
            a.PushEax();
            a.MovEaxFromAbsolute(perCpu + slot);
            a.MovCr3FromEax();
            a.PopEax();
        }
        void Vmcall(StubSite site, bool resumes = false)
        {
            _sites[a.Offset] = site;
            a.Vmcall();
            if (!resumes) a.Ud2();   // never reached: the kernel always sets EIP to an exit
        }
        uint Entry(StubSite site)
        {
            uint at = a.Offset;
            if (kpti) SwitchCr3(KernelLayout.PerCpuKernelCr3);
            Vmcall(site);
            return at;
        }

        // Exits.
        IretExit = a.Offset;
        if (kpti) SwitchCr3(KernelLayout.PerCpuUserCr3);
        a.Iretd();
        SysexitExit = a.Offset;
        if (kpti) SwitchCr3(KernelLayout.PerCpuUserCr3);
        a.Sti();
        a.Sysexit();
        Ring0IretExit = a.Offset;
        a.Iretd();
        DirectCallExit = a.Offset;
        a.Ret();

        // Entries through gates and sysenter.
        Int80Entry = Entry(new StubSite(StubEntry.Int80, 0x80));
        SysenterEntry = Entry(new StubSite(StubEntry.Sysenter, 0));
        TimerEntry = Entry(new StubSite(StubEntry.Timer, KernelLayout.TimerVector));
        for (int v = 0; v < 32; v++) _exceptionEntries[v] = Entry(new StubSite(StubEntry.Exception, v));

        // KML's direct call: the caller (the vDSO in ring 0) pushed the return address on its own stack. Remember the
        // user ESP in the per-CPU page and switch to the kernel stack (ESP0). Interrupts stay enabled: one that arrives
        // inside these stubs is returned from at once (the kernel is not preemptible there).
        DirectCallEntry = a.Offset;
        a.MovAbsoluteFromEsp(perCpu + KernelLayout.PerCpuDirectCallEsp);
        a.MovEspFromAbsolute(tss + (uint)Kml.Machine.Protection.Tss32.Esp0);
        Vmcall(new StubSite(StubEntry.DirectCall, 0));

        // The double-fault and NMI tasks: each runs in its own TSS (own stack and CR3); iretd with NT returns to the
        // interrupted task, and the next fault re-enters after the iretd, hence the loop.
        DoubleFaultTask = a.Offset;
        Vmcall(new StubSite(StubEntry.DoubleFault, 8), resumes: true);
        a.AddEsp(4);   // the error code
        a.Iretd();
        a.JmpBack(DoubleFaultTask);
        NmiTask = a.Offset;
        Vmcall(new StubSite(StubEntry.Nmi, 2), resumes: true);
        a.Iretd();
        a.JmpBack(NmiTask);
        DoubleFaultKilled = a.Offset;
        Vmcall(new StubSite(StubEntry.DoubleFaultKilled, 8));

        if (a.Offset > 4096) throw new InvalidOperationException("the entry stubs do not fit in one page");
        Page = new byte[4096];
        for (int i = 0; i < Page.Length; i++) Page[i] = 0xCC;   // int3 padding: a stray jump into the page traps
        a.Code.CopyTo(Page);
    }
}

/// <summary>
/// The few instruction forms of the entry stubs, encoded by hand (32-bit code; absolute addresses as disp32 with no
/// base register, which is how Iced's assembler encodes them too: the tests compare with it byte for byte).
/// A plain byte array, no List&lt;byte&gt; or params spans: their framework generics would be JIT-compiled at every start.
/// </summary>
internal sealed class StubWriter
{
    private byte[] _code = new byte[4096];
    private int _length;

    /// <summary>The offset of the next instruction.</summary>
    public uint Offset => (uint)_length;

    /// <summary>The bytes so far.</summary>
    public ReadOnlySpan<byte> Code => new(_code, 0, _length);

    private void Byte(byte b)
    {
        if (_length == _code.Length)
        {
            var larger = new byte[_code.Length * 2];
            Buffer.BlockCopy(_code, 0, larger, 0, _length);
            _code = larger;
        }
        _code[_length++] = b;
    }

    private void Bytes(byte b0) => Byte(b0);
    private void Bytes(byte b0, byte b1) { Byte(b0); Byte(b1); }
    private void Bytes(byte b0, byte b1, byte b2) { Byte(b0); Byte(b1); Byte(b2); }

    private void Dword(uint value)
    {
        for (int i = 0; i < 4; i++) Byte((byte)(value >> (8 * i)));
    }

    public void PushEax() => Bytes(0x50);
    public void PopEax() => Bytes(0x58);
    /// <summary>mov eax, [abs] (the short moffs32 form).</summary>
    public void MovEaxFromAbsolute(uint address) { Bytes(0xA1); Dword(address); }
    /// <summary>mov cr3, eax.</summary>
    public void MovCr3FromEax() => Bytes(0x0F, 0x22, 0xD8);
    /// <summary>mov [abs], esp (89 /r, ModRM 00 100 101: disp32).</summary>
    public void MovAbsoluteFromEsp(uint address) { Bytes(0x89, 0x25); Dword(address); }
    /// <summary>mov esp, [abs] (8B /r, ModRM 00 100 101: disp32).</summary>
    public void MovEspFromAbsolute(uint address) { Bytes(0x8B, 0x25); Dword(address); }
    /// <summary>add esp, imm8 (83 /0 ib).</summary>
    public void AddEsp(sbyte value) => Bytes(0x83, 0xC4, (byte)value);
    public void Vmcall() => Bytes(0x0F, 0x01, 0xC1);
    public void Ud2() => Bytes(0x0F, 0x0B);
    public void Iretd() => Bytes(0xCF);
    public void Sti() => Bytes(0xFB);
    public void Sysexit() => Bytes(0x0F, 0x35);
    public void Ret() => Bytes(0xC3);

    /// <summary>jmp to an earlier offset: EB rel8 when it reaches, else E9 rel32.</summary>
    public void JmpBack(uint target)
    {
        long rel8 = (long)target - (Offset + 2);
        if (rel8 >= sbyte.MinValue) { Bytes(0xEB, (byte)(sbyte)rel8); return; }
        Byte(0xE9);
        Dword((uint)((long)target - (Offset + 4)));
    }
}
