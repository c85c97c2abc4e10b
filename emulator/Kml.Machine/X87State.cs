namespace Kml.Machine;

/// <summary>The x87 FPU state: eight registers (kept as <see cref="double"/>), TOP, tag, status and control words.</summary>
public sealed class X87State
{
    /// <summary>Physical registers R0..R7 (ST(i) is R[(TOP + i) mod 8]).</summary>
    public double[] Registers { get; } = new double[8];
    /// <summary>Tag bits: bit i set when physical register i is empty.</summary>
    public byte EmptyMask { get; set; } = 0xFF;
    /// <summary>Stack top (0..7).</summary>
    public int Top { get; set; }
    /// <summary>Status word without the TOP field (C0–C3, exception flags).</summary>
    public ushort Status { get; set; }
    /// <summary>Control word (rounding control in bits 10–11).</summary>
    public ushort Control { get; set; } = 0x037F;

    /// <summary>fninit.</summary>
    public void Init()
    {
        Array.Clear(Registers);
        EmptyMask = 0xFF;
        Top = 0;
        Status = 0;
        Control = 0x037F;
    }

    /// <summary>The full status word (with TOP in bits 11–13).</summary>
    public ushort StatusWord => (ushort)((Status & ~0x3800) | ((Top & 7) << 11));

    /// <summary>Copies every field from <paramref name="other"/>.</summary>
    public void CopyFrom(X87State other)
    {
        Array.Copy(other.Registers, Registers, 8);
        EmptyMask = other.EmptyMask;
        Top = other.Top;
        Status = other.Status;
        Control = other.Control;
    }
}
