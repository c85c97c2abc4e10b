namespace Kml.Machine;

/// <summary>Segment registers, numbered as in instruction encodings.</summary>
public enum SegmentRegister
{
    /// <summary>ES.</summary>
    ES,
    /// <summary>CS.</summary>
    CS,
    /// <summary>SS.</summary>
    SS,
    /// <summary>DS.</summary>
    DS,
    /// <summary>FS.</summary>
    FS,
    /// <summary>GS.</summary>
    GS,
}
