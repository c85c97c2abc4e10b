using Kml.Machine.Protection;

namespace Kml.Machine;

public sealed partial class Cpu
{
    /// <summary>The x87 unit's state.</summary>
    public X87State Fpu { get; }

    /// <summary>Saves the full CPU state (registers, EIP, lazy flags, segment caches, LDTR/TR, CR0/CR2/CR3/CR4, x87)
    /// into <paramref name="into"/> (allocated when null). Cheap: no TLB or cache work.</summary>
    public CpuState SaveState(CpuState? into = null)
    {
        var s = into ?? new CpuState();
        for (int i = 0; i < 8; i++) s.Registers[i] = R[i];
        s.Eip = EipField;
        s.FlagOp = FlagOp; s.FlagRes = FlagRes; s.FlagA = FlagA; s.FlagB = FlagB; s.FlagAux = FlagAux; s.EflagsRest = EflagsRest;
        for (int i = 0; i < 6; i++) s.Segments[i] = SegAt(i);
        s.Ldt = Ldt; s.Tr = Tr;
        s.Cr0 = Cr0Field; s.Cr2 = Cr2Field; s.Cr3 = Cr3Field; s.Cr4 = Cr4Field;
        s.Cpl = CplField;
        s.InterruptShadow = InterruptShadow;
        s.Fpu.CopyFrom(Fpu);
        return s;
    }

    /// <summary>Restores a state saved by <see cref="SaveState"/>. Flushes the TLB only when CR3/CR0/CR4 differ.</summary>
    public void RestoreState(CpuState s)
    {
        for (int i = 0; i < 8; i++) R[i] = s.Registers[i];
        EipField = s.Eip;
        FlagOp = s.FlagOp; FlagRes = s.FlagRes; FlagA = s.FlagA; FlagB = s.FlagB; FlagAux = s.FlagAux; EflagsRest = s.EflagsRest;
        for (int i = 0; i < 6; i++) SetSegmentCache(i, s.Segments[i]);
        Ldt = s.Ldt; Tr = s.Tr;
        Cr2Field = s.Cr2;
        if (s.Cr0 != Cr0Field || s.Cr4 != Cr4Field) { Cr0Field = s.Cr0; Cr4Field = s.Cr4; FlushTlb(); }
        if (s.Cr3 != Cr3Field) SetCr3Internal(s.Cr3);
        SetCpl(s.Cpl);
        NewChainEpoch();
        InterruptShadow = s.InterruptShadow;
        Fpu.CopyFrom(s.Fpu);
        RequestEventCheck();
    }
}

/// <summary>A saved CPU context (see <see cref="Cpu.SaveState"/>). Reuse one per thread to avoid allocation.</summary>
public sealed class CpuState
{
    /// <summary>EAX..EDI.</summary>
    public uint[] Registers { get; } = new uint[8];
    /// <summary>EIP.</summary>
    public uint Eip { get; set; }
    internal int FlagOp;
    internal uint FlagRes, FlagA, FlagB, FlagAux, EflagsRest;
    /// <summary>ES, CS, SS, DS, FS, GS with their descriptor caches.</summary>
    public SegmentState[] Segments { get; } = new SegmentState[6];
    /// <summary>LDTR.</summary>
    public SegmentState Ldt { get; set; }
    /// <summary>TR.</summary>
    public SegmentState Tr { get; set; }
    /// <summary>CR0.</summary>
    public uint Cr0 { get; set; }
    /// <summary>CR2.</summary>
    public uint Cr2 { get; set; }
    /// <summary>CR3.</summary>
    public uint Cr3 { get; set; }
    /// <summary>CR4.</summary>
    public uint Cr4 { get; set; }
    /// <summary>CPL.</summary>
    public int Cpl { get; set; }
    /// <summary>Interrupt shadow pending.</summary>
    public bool InterruptShadow { get; set; }
    /// <summary>x87 state.</summary>
    public X87State Fpu { get; } = new();

    /// <summary>EFLAGS as saved (materialized).</summary>
    public uint EFlags
    {
        get
        {
            return EflagsRest | Cpu.ComputeArith(FlagOp, FlagRes, FlagA, FlagB, FlagAux);
        }
    }
}
