namespace Kml;

/// <summary>Where <see cref="Files.Seek"/> counts its offset from (Linux's SEEK_SET, SEEK_CUR, SEEK_END).</summary>
public enum Whence
{
    /// <summary>SEEK_SET: from the start of the file.</summary>
    Start = 0,
    /// <summary>SEEK_CUR: from the current position.</summary>
    Current = 1,
    /// <summary>SEEK_END: from the end of the file.</summary>
    End = 2,
}
