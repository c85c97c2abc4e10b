using Kml.Machine.Protection;

namespace Kml.Machine;

/// <summary>Where an event comes from (decides gate-DPL checks and the EXT bit of error codes).</summary>
internal enum EventKind { Exception, Software, External }

/// <summary>What caused a hardware task switch.</summary>
internal enum TaskSource { Interrupt, Call, Jump, Iret }

// Interrupt and exception delivery through the IDT, iret, hardware task switches, sysenter/sysexit, control registers.
public sealed unsafe partial class Cpu
{
    /// <summary>Delivers an exception raised at EIP (already set), applying the double- and triple-fault rules.</summary>
    internal void DeliverException(int vector, bool hasCode, uint code)
    {
        if (vector < 32) Statistics.ExceptionsByVector[vector]++;
        try
        {
            Deliver(vector, EventKind.Exception, EipField, hasCode, code);
        }
        catch (GuestFault f)
        {
            int second = f.Vector;
            uint c2 = f.ErrorCode;
            bool h2 = f.HasErrorCode;
            if (vector == Vectors.DF)
                throw new MachineStopException(StopReason.TripleFault,
                    $"triple fault: exception {second} while delivering a double fault (EIP 0x{EipField:x8}, ESP 0x{R[4]:x8})");
            bool doubleFault = (Vectors.IsContributory(vector) && Vectors.IsContributory(second))
                            || (vector == Vectors.PF && (Vectors.IsContributory(second) || second == Vectors.PF));
            if (doubleFault) DeliverException(Vectors.DF, true, 0);
            else DeliverException(second, h2, c2);
        }
    }

    /// <summary>Delivers an external interrupt at the current instruction boundary.</summary>
    internal void DeliverExternal(int vector)
    {
        Statistics.ExternalInterrupts++;
        Deliver(vector, EventKind.External, EipField, false, 0);
    }

    /// <summary><c>int n</c>/<c>int3</c>/<c>into</c>: faults raised here are delivered at the instruction itself.</summary>
    internal void SoftwareInterrupt(int vector, uint returnEip)
    {
        Statistics.SoftwareInterrupts++;
        Deliver(vector, EventKind.Software, returnEip, false, 0);
    }

    private void Deliver(int vector, EventKind kind, uint returnEip, bool hasCode, uint code)
    {
        uint ext = kind == EventKind.Software ? 0u : 1u;
        uint idtErr = (uint)(vector * 8 + 2) + ext;
        if (vector * 8 + 7 > Idtr.Limit) Gp(idtErr);
        uint lo = SysRead32(Idtr.Base + (uint)vector * 8), hi = SysRead32(Idtr.Base + (uint)vector * 8 + 4);
        int type = (int)(hi >> 8) & 0x1F;
        int gateDpl = (int)(hi >> 13) & 3;
        if (type != Descriptors.TypeTaskGate && type != Descriptors.TypeInterruptGate32 && type != Descriptors.TypeTrapGate32) Gp(idtErr);
        if (kind == EventKind.Software && gateDpl < CplField) Gp(idtErr);
        if ((hi & 0x8000) == 0) Fault(Vectors.NP, idtErr);
        ushort sel = (ushort)(lo >> 16);
        uint offset = (lo & 0xFFFF) | (hi & 0xFFFF_0000);
        uint from = CurrentOp != null ? CurrentOp->Eip : returnEip; // int n: the instruction; faults and IRQs: EIP

        if (type == Descriptors.TypeTaskGate)
        {
            TaskSwitch(sel, TaskSource.Interrupt, returnEip, ext);
            if (hasCode) PushSystem(code);
            return;
        }

        uint errSel = (uint)(sel & 0xFFFC) + ext;
        if ((sel & 0xFFFC) == 0) Gp(ext);
        ulong d = ReadDescriptor(sel);
        var cs = SegmentState.FromDescriptor(sel, d);
        if (!cs.IsCode || cs.Dpl > CplField) Gp(errSel);
        if (!cs.Present) Fault(Vectors.NP, errSel);
        uint eflags = GetEflags();
        uint n = hasCode ? 6u : 5u;

        if (!cs.IsConforming && cs.Dpl < CplField)
        {
            int newCpl = cs.Dpl;
            if (!Tr.Usable) Fault(Vectors.TS, ext);
            uint tssOff = 4 + (uint)newCpl * 8;
            if (tssOff + 5 > Tr.Limit) Fault(Vectors.TS, (uint)(Tr.Selector & 0xFFFC) + ext);
            uint newEsp = SysRead32(Tr.Base + tssOff);
            ushort newSsSel = SysRead16(Tr.Base + tssOff + 4);
            uint ssErr = (uint)(newSsSel & 0xFFFC) + ext;
            if ((newSsSel & 0xFFFC) == 0) Fault(Vectors.TS, ext);
            if ((newSsSel & 3) != newCpl) Fault(Vectors.TS, ssErr);
            var ss = SegmentState.FromDescriptor(newSsSel, ReadDescriptor(newSsSel));
            if (!ss.IsWritable || ss.Dpl != newCpl) Fault(Vectors.TS, ssErr);
            if (!ss.Present) Fault(Vectors.SS, ssErr);
            uint esp = newEsp - (hasCode ? 24u : 20u);
            bool user = newCpl == 3;
            uint b = ss.Base + esp;
            // Write the frame (faults here leave every register unchanged).
            SysWrite32(b + (n - 1) * 4, Seg[SegSs].Selector, user);
            SysWrite32(b + (n - 2) * 4, R[4], user);
            SysWrite32(b + (n - 3) * 4, eflags, user);
            SysWrite32(b + (n - 4) * 4, Seg[SegCs].Selector, user);
            SysWrite32(b + (n - 5) * 4, returnEip, user);
            if (hasCode) SysWrite32(b, code, user);
            SetSegmentCache(SegSs, ss with { Attributes = ss.Attributes | 1 });
            R[4] = esp;
            SetSegmentCache(SegCs, cs with { Selector = (ushort)((sel & 0xFFFC) | newCpl) });
            SetCpl(newCpl);
            Statistics.PrivilegeChangingDeliveries++;
            CyclesField += (uint)Model.InterruptPrivilegeChange;
        }
        else
        {
            uint esp = R[4] - n * 4 + 8; // no SS:ESP pushed
            bool user = CplField == 3;
            uint b = SegBase[SegSs] + esp;
            SysWrite32(b + (n - 3) * 4, eflags, user);
            SysWrite32(b + (n - 4) * 4, Seg[SegCs].Selector, user);
            SysWrite32(b + (n - 5) * 4, returnEip, user);
            if (hasCode) SysWrite32(b, code, user);
            R[4] = esp;
            SetSegmentCache(SegCs, cs with { Selector = (ushort)((sel & 0xFFFC) | CplField) });
            CyclesField += (uint)Model.InterruptSamePrivilege;
        }
        EipField = offset;
        EflagsRest &= ~(TF | NT | RF | VM | (type == Descriptors.TypeInterruptGate32 ? IF : 0));
        ObserverField?.OnControlTransfer(from, offset, ControlTransferKind.Interrupt);
    }

    /// <summary>Pushes a doubleword with an implicit access at the current privilege (error codes after a task switch).</summary>
    private void PushSystem(uint value)
    {
        uint esp = R[4] - 4;
        SysWrite32(SegBase[SegSs] + esp, value, CplField == 3);
        R[4] = esp;
    }

    /// <summary>Applies EFLAGS from popf/iret with the IOPL/CPL rules for IF and IOPL.</summary>
    internal void SetEflagsChecked(uint value, int cpl, uint extraMask = 0)
    {
        uint mask = ArithMask | TF | DF | NT | RF | AC | ID | extraMask;
        if (cpl == 0) mask |= IOPL | IF;
        else if (cpl <= (int)((EflagsRest & IOPL) >> 12)) mask |= IF;
        uint cur = GetEflags();
        SetEflagsRaw((cur & ~mask) | (value & mask));
        RequestEventCheck();
    }

    /// <summary><c>iret</c> (32-bit operand size); <paramref name="nextEip"/> is the address after it.</summary>
    internal void Iret(uint nextEip)
    {
        Statistics.Irets++;
        if ((EflagsRest & NT) != 0)
        {
            // The outgoing (nested) task resumes after its iret the next time it is entered (SDM: the saved EIP of a
            // task switch by iret is the instruction following it).
            ushort link = (ushort)SysRead32(Tr.Base + Tss32.Link);
            TaskSwitch(link, TaskSource.Iret, nextEip, 0);
            return;
        }
        bool user = CplField == 3;
        uint esp = R[4];
        uint lin = SegBase[SegSs] + esp;
        uint newEip = SysRead32(lin, user);
        ushort newCs = (ushort)SysRead32(lin + 4, user);
        uint newFlags = SysRead32(lin + 8, user);
        int rpl = newCs & 3;
        uint csErr = (uint)(newCs & 0xFFFC);
        if (csErr == 0) Gp(0);
        if (rpl < CplField) Gp(csErr);
        var cs = SegmentState.FromDescriptor(newCs, ReadDescriptor(newCs));
        if (!cs.IsCode) Gp(csErr);
        if (cs.IsConforming ? cs.Dpl > rpl : cs.Dpl != rpl) Gp(csErr);
        if (!cs.Present) Fault(Vectors.NP, csErr);
        uint from = CurrentOp != null ? CurrentOp->Eip : EipField;
        int oldCpl = CplField;
        if (rpl == CplField)
        {
            if (newEip > cs.Limit) Gp(0);
            R[4] = esp + 12;
            SetSegmentCache(SegCs, cs);
            EipField = newEip;
            SetEflagsChecked(newFlags, oldCpl);
            CyclesField += (uint)Model.IretSamePrivilege;
        }
        else
        {
            uint newEsp = SysRead32(lin + 12, user);
            ushort newSs = (ushort)SysRead32(lin + 16, user);
            uint ssErr = (uint)(newSs & 0xFFFC);
            if (ssErr == 0) Gp(0);
            if ((newSs & 3) != rpl) Gp(ssErr);
            var ss = SegmentState.FromDescriptor(newSs, ReadDescriptor(newSs));
            if (!ss.IsWritable || ss.Dpl != rpl) Gp(ssErr);
            if (!ss.Present) Fault(Vectors.SS, ssErr);
            if (newEip > cs.Limit) Gp(0);
            SetEflagsChecked(newFlags, oldCpl);
            SetSegmentCache(SegCs, cs);
            SetCpl(rpl);
            SetSegmentCache(SegSs, ss);
            R[4] = newEsp;
            EipField = newEip;
            NullifyInvalidSegments();
            Statistics.IretsToOuterLevel++;
            CyclesField += (uint)Model.IretOuterPrivilege;
        }
        ObserverField?.OnControlTransfer(from, EipField, ControlTransferKind.InterruptReturn);
    }

    /// <summary>A hardware task switch to the TSS named by <paramref name="selector"/>.</summary>
    internal void TaskSwitch(ushort selector, TaskSource source, uint returnEip, uint ext)
    {
        uint errSel = (uint)(selector & 0xFFFC) + ext;
        if ((selector & 4) != 0 || (selector & 0xFFFC) == 0) Fault(Vectors.TS, errSel);
        ulong d = ReadDescriptor(selector);
        var nt = SegmentState.FromDescriptor(selector, d);
        int want = source == TaskSource.Iret ? Descriptors.TypeTss32Busy : Descriptors.TypeTss32Available;
        if (nt.IsCodeOrData || nt.Type != want) Fault(source == TaskSource.Iret ? Vectors.TS : Vectors.GP, errSel);
        if (!nt.Present) Fault(Vectors.NP, errSel);
        if (nt.Limit < Tss32.Size - 1) Fault(Vectors.TS, errSel);
        if (!Tr.Usable) Fault(Vectors.TS, ext);
        uint nb = nt.Base;
        // Read the whole new state first (the new TSS must be mapped in the current address space).
        uint newCr3 = SysRead32(nb + Tss32.Cr3);
        uint newEip = SysRead32(nb + Tss32.Eip);
        uint newFlags = SysRead32(nb + Tss32.EFlags);
        Span<uint> regs = stackalloc uint[8];
        for (int i = 0; i < 8; i++) regs[i] = SysRead32(nb + Tss32.Eax + (uint)i * 4);
        Span<ushort> sels = stackalloc ushort[6];
        for (int i = 0; i < 6; i++) sels[i] = (ushort)SysRead32(nb + Tss32.Es + (uint)i * 4);
        ushort ldt = (ushort)SysRead32(nb + Tss32.Ldt);

        // Save the outgoing task.
        uint ob = Tr.Base;
        uint saveFlags = GetEflags();
        if (source == TaskSource.Iret) saveFlags &= ~NT;
        SysWrite32(ob + Tss32.Eip, returnEip);
        SysWrite32(ob + Tss32.EFlags, saveFlags);
        for (int i = 0; i < 8; i++) SysWrite32(ob + Tss32.Eax + (uint)i * 4, R[i]);
        for (int i = 0; i < 6; i++) SysWrite32(ob + Tss32.Es + (uint)i * 4, SegAt(i).Selector);
        if (source is TaskSource.Jump or TaskSource.Iret) SetBusy(Tr.Selector, false);
        if (source != TaskSource.Iret) SetBusy(selector, true);
        if (source is TaskSource.Interrupt or TaskSource.Call) SysWrite16(nb + Tss32.Link, Tr.Selector);
        ushort oldTr = Tr.Selector;
        _ = oldTr;

        // Commit point: load the new task.
        Tr = nt with { Attributes = (nt.Attributes & ~0xFu) | Descriptors.TypeTss32Busy };
        Cr0Field |= Cr0Ts;
        if ((Cr0Field & Cr0Pg) != 0) SetCr3Internal(newCr3);
        if (source is TaskSource.Interrupt or TaskSource.Call) newFlags |= NT;
        SetEflagsRaw(newFlags);
        for (int i = 0; i < 8; i++) R[i] = regs[i];
        EipField = newEip;
        Statistics.TaskSwitches++;
        CyclesField += (uint)Model.TaskSwitch;
        NewChainEpoch();

        // Load LDTR and segment registers of the new task (faults here belong to the new task).
        if ((ldt & 0xFFFC) == 0) Ldt = default;
        else
        {
            if ((ldt & 4) != 0) Fault(Vectors.TS, (uint)(ldt & 0xFFFC));
            var l = SegmentState.FromDescriptor(ldt, ReadDescriptor(ldt));
            if (l.IsCodeOrData || l.Type != Descriptors.TypeLdt) Fault(Vectors.TS, (uint)(ldt & 0xFFFC));
            if (!l.Present) Fault(Vectors.NP, (uint)(ldt & 0xFFFC));
            Ldt = l;
        }
        int cpl = sels[SegCs] & 3;
        var csState = SegmentState.FromDescriptor(sels[SegCs], ReadDescriptor(sels[SegCs]));
        if (!csState.IsCode) Fault(Vectors.TS, (uint)(sels[SegCs] & 0xFFFC));
        if (!csState.Present) Fault(Vectors.NP, (uint)(sels[SegCs] & 0xFFFC));
        SetSegmentCache(SegCs, csState);
        SetCpl(cpl);
        var ssState = SegmentState.FromDescriptor(sels[SegSs], ReadDescriptor(sels[SegSs]));
        if (!ssState.IsWritable || ssState.Dpl != cpl || (sels[SegSs] & 3) != cpl) Fault(Vectors.TS, (uint)(sels[SegSs] & 0xFFFC));
        if (!ssState.Present) Fault(Vectors.SS, (uint)(sels[SegSs] & 0xFFFC));
        SetSegmentCache(SegSs, ssState);
        foreach (int s in stackalloc[] { SegEs, SegDs, SegFs, SegGs })
        {
            if ((sels[s] & 0xFFFC) == 0) { SetSegmentCache(s, new SegmentState(sels[s], 0, 0, 0)); continue; }
            var st = SegmentState.FromDescriptor(sels[s], ReadDescriptor(sels[s]));
            if (!st.IsReadable) Fault(Vectors.TS, (uint)(sels[s] & 0xFFFC));
            if (!st.Present) Fault(Vectors.NP, (uint)(sels[s] & 0xFFFC));
            SetSegmentCache(s, st);
        }
        ObserverField?.OnControlTransfer(returnEip, newEip, ControlTransferKind.TaskSwitch);
        RequestEventCheck();
    }

    private void SetBusy(ushort selector, bool busy)
    {
        uint addr = DescriptorAddress(selector) + 5;
        uint p = Translate(addr, true, false);
        if (busy) Mem.Base[p] |= 2; else Mem.Base[p] &= unchecked((byte)~2);
    }

    /// <summary>Loads TR from the GDT (the <c>ltr</c> semantics: the TSS must be available; it becomes busy).</summary>
    public void LoadTaskRegister(ushort selector)
    {
        try { Ltr(selector); }
        catch (GuestFault f) { throw new InvalidOperationException($"ltr 0x{selector:x4} raises exception {f.Vector} ({f.ErrorCode:x})"); }
    }

    internal void Ltr(ushort selector)
    {
        uint err = (uint)(selector & 0xFFFC);
        if (err == 0 || (selector & 4) != 0) Gp(err);
        var st = SegmentState.FromDescriptor(selector, ReadDescriptor(selector));
        if (st.IsCodeOrData || st.Type != Descriptors.TypeTss32Available) Gp(err);
        if (!st.Present) Fault(Vectors.NP, err);
        SetBusy(selector, true);
        Tr = st with { Attributes = (st.Attributes & ~0xFu) | Descriptors.TypeTss32Busy };
    }

    /// <summary>Loads LDTR from the GDT (the <c>lldt</c> semantics; a null selector disables the LDT).</summary>
    public void LoadLdtRegister(ushort selector)
    {
        try { Lldt(selector); }
        catch (GuestFault f) { throw new InvalidOperationException($"lldt 0x{selector:x4} raises exception {f.Vector} ({f.ErrorCode:x})"); }
    }

    internal void Lldt(ushort selector)
    {
        uint err = (uint)(selector & 0xFFFC);
        if (err == 0) { Ldt = default; return; }
        if ((selector & 4) != 0) Gp(err);
        var st = SegmentState.FromDescriptor(selector, ReadDescriptor(selector));
        if (st.IsCodeOrData || st.Type != Descriptors.TypeLdt) Gp(err);
        if (!st.Present) Fault(Vectors.NP, err);
        Ldt = st;
    }

    internal void Sysenter()
    {
        if ((SysenterCs & 0xFFFC) == 0) Gp(0);
        uint from = CurrentOp != null ? CurrentOp->Eip : EipField;
        EflagsRest &= ~(VM | IF | RF);
        ushort cs = (ushort)(SysenterCs & 0xFFFC);
        SetSegmentCache(SegCs, new SegmentState(cs, 0, 0xFFFF_FFFF, 0xC9B));
        SetSegmentCache(SegSs, new SegmentState((ushort)(cs + 8), 0, 0xFFFF_FFFF, 0xC93));
        SetCpl(0);
        R[4] = SysenterEsp;
        EipField = SysenterEip;
        Statistics.Sysenters++;
        CyclesField += (uint)Model.Sysenter;
        ObserverField?.OnControlTransfer(from, EipField, ControlTransferKind.Sysenter);
    }

    internal void Sysexit()
    {
        if (CplField != 0 || (SysenterCs & 0xFFFC) == 0) Gp(0);
        uint from = CurrentOp != null ? CurrentOp->Eip : EipField;
        ushort cs = (ushort)(SysenterCs & 0xFFFC);
        SetSegmentCache(SegCs, new SegmentState((ushort)((cs + 16) | 3), 0, 0xFFFF_FFFF, 0xCFB));
        SetSegmentCache(SegSs, new SegmentState((ushort)((cs + 24) | 3), 0, 0xFFFF_FFFF, 0xCF3));
        SetCpl(3);
        R[4] = R[1];
        EipField = R[2];
        Statistics.Sysexits++;
        CyclesField += (uint)Model.Sysexit;
        ObserverField?.OnControlTransfer(from, EipField, ControlTransferKind.Sysexit);
    }

    // ---------------- control registers and MSRs ----------------
    private void WriteCr0(uint value)
    {
        if ((value & Cr0Pe) == 0) throw new NotSupportedException("CR0.PE = 0: real mode is not emulated");
        Cr0Field = value | 0x10;
        TlbSet.FlushAll();
        Statistics.TlbFlushes++;
        NewChainEpoch();
    }

    private void WriteCr3(uint value) => SetCr3Internal(value);

    internal void SetCr3Internal(uint value)
    {
        Cr3Field = value;
        TlbSet.FlushAll();
        Statistics.Cr3Writes++;
        Statistics.TlbFlushes++;
        CyclesField += (uint)Model.MovCr3;
        NewChainEpoch();
    }

    private void WriteCr4(uint value)
    {
        Cr4Field = value;
        TlbSet.FlushAll();
        Statistics.TlbFlushes++;
        NewChainEpoch();
    }

    /// <summary>Reads a model-specific register (0x10 TSC, 0x174–0x176 SYSENTER_CS/ESP/EIP); false for others.</summary>
    public bool TryReadMsr(uint index, out ulong value)
    {
        switch (index)
        {
            case 0x10: value = CyclesField; return true;
            case 0x174: value = SysenterCs; return true;
            case 0x175: value = SysenterEsp; return true;
            case 0x176: value = SysenterEip; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>Writes a model-specific register (0x10 TSC, 0x174–0x176); false for others.</summary>
    public bool TryWriteMsr(uint index, ulong value)
    {
        switch (index)
        {
            case 0x10: Cycles = value; return true;
            case 0x174: SysenterCs = (uint)value; return true;
            case 0x175: SysenterEsp = (uint)value; return true;
            case 0x176: SysenterEip = (uint)value; return true;
            default: return false;
        }
    }
}
