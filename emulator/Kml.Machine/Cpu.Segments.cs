using Kml.Machine.Protection;

namespace Kml.Machine;

// Segment registers and their descriptor caches, descriptor-table reads, protection checks on loads.
public sealed unsafe partial class Cpu
{
    internal const int SegEs = 0, SegCs = 1, SegSs = 2, SegDs = 3, SegFs = 4, SegGs = 5;

    /// <summary>The selector and descriptor cache of a segment register.</summary>
    public SegmentState GetSegment(SegmentRegister register) => SegAt((int)register);

    /// <summary>Loads a segment register from the GDT/LDT the way the kernel's boot code would, without privilege
    /// checks (loading CS also sets CPL to the selector's RPL). A null selector makes DS/ES/FS/GS unusable.</summary>
    /// <exception cref="InvalidOperationException">The selector is outside the table or the table cannot be read.</exception>
    public void SetSegment(SegmentRegister register, ushort selector)
    {
        int s = (int)register;
        if ((selector & 0xFFFC) == 0)
        {
            if (register is SegmentRegister.CS or SegmentRegister.SS) throw new InvalidOperationException($"cannot load a null selector into {register}");
            SetSegmentCache(s, new SegmentState(selector, 0, 0, 0));
            return;
        }
        ulong d;
        try { d = ReadDescriptor(selector); }
        catch (GuestFault f) { throw new InvalidOperationException($"cannot load {register} = 0x{selector:x4}: the descriptor read raises exception {f.Vector}"); }
        SetSegmentCache(s, SegmentState.FromDescriptor(selector, d));
        if (register == SegmentRegister.CS) SetCpl(selector & 3);
    }

    /// <summary>Sets a segment register's selector and descriptor cache directly.</summary>
    public void SetSegment(SegmentRegister register, SegmentState state)
    {
        SetSegmentCache((int)register, state);
        if (register == SegmentRegister.CS) SetCpl(state.Selector & 3);
    }

    internal void SetSegmentCache(int s, SegmentState st)
    {
        SegAt(s) = st;
        SegBaseAt(s) = st.Base;
        ulong end = st.Usable && !st.IsExpandDown ? (ulong)st.Limit + 1 : 0;
        SegEndReadAt(s) = st.IsReadable ? end : 0;
        SegEndWriteAt(s) = st.IsWritable ? end : 0;
    }

    internal void SetCpl(int cpl)
    {
        // Links made at this privilege level in the current mapping epoch become valid again (the low bits).
        ChainEpoch = (ChainEpoch & ~3u) | (uint)cpl;
        CplField = cpl;
        UpdateTlbPointers();
    }

    /// <summary>Reads the 8-byte descriptor named by <paramref name="selector"/> (#GP(selector) past the table limit).</summary>
    internal ulong ReadDescriptor(ushort selector)
    {
        uint addr = DescriptorAddress(selector);
        uint lo = SysRead32(addr), hi = SysRead32(addr + 4);
        return lo | ((ulong)hi << 32);
    }

    internal uint DescriptorAddress(ushort selector)
    {
        uint index = (uint)(selector & 0xFFF8);
        if ((selector & 4) != 0)
        {
            if (!Ldt.Usable || index + 7 > Ldt.Limit) Gp((uint)(selector & 0xFFFC));
            return Ldt.Base + index;
        }
        if (index + 7 > Gdtr.Limit) Gp((uint)(selector & 0xFFFC));
        return Gdtr.Base + index;
    }

    internal void SetAccessed(ushort selector, ulong descriptor)
    {
        if ((descriptor & (1ul << 40)) != 0) return;
        uint addr = DescriptorAddress(selector) + 5;
        uint p = Translate(addr, true, false);
        Mem.Base[p] |= 1;
    }

    /// <summary><c>mov sreg</c>/<c>pop sreg</c>: loads DS, ES, FS, GS or SS with the protection checks of the SDM.</summary>
    internal void LoadDataSegment(int s, ushort selector)
    {
        uint errSel = (uint)(selector & 0xFFFC);
        int rpl = selector & 3;
        if (s == SegSs)
        {
            if (errSel == 0) Gp(0);
            if (rpl != CplField) Gp(errSel);
            ulong d = ReadDescriptor(selector);
            var st = SegmentState.FromDescriptor(selector, d);
            if (!st.IsWritable || st.Dpl != CplField) Gp(errSel);
            if (!st.Present) Fault(Vectors.SS, errSel);
            SetAccessed(selector, d);
            SetSegmentCache(s, SegmentState.FromDescriptor(selector, d | (1ul << 40)));
            return;
        }
        if (errSel == 0) { SetSegmentCache(s, new SegmentState(selector, 0, 0, 0)); return; }
        {
            ulong d = ReadDescriptor(selector);
            var st = SegmentState.FromDescriptor(selector, d);
            if (!st.IsReadable) Gp(errSel);
            if (!st.IsConforming && (rpl > st.Dpl || CplField > st.Dpl)) Gp(errSel);
            if (!st.Present) Fault(Vectors.NP, errSel);
            SetAccessed(selector, d);
            SetSegmentCache(s, SegmentState.FromDescriptor(selector, d | (1ul << 40)));
        }
    }

    /// <summary>After a return to an outer level: data segment registers not valid at the new CPL become null.</summary>
    internal void NullifyInvalidSegments()
    {
        foreach (int s in stackalloc[] { SegEs, SegDs, SegFs, SegGs })
        {
            var st = SegAt(s);
            if (!st.Usable) continue;
            if ((!st.IsCode || !st.IsConforming) && st.Dpl < CplField) SetSegmentCache(s, new SegmentState(0, 0, 0, 0));
        }
    }
}
