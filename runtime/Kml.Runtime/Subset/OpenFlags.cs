namespace Kml;

/// <summary>
/// The flags of <see cref="Files.Open"/>: one access mode (<see cref="ReadOnly"/>, <see cref="WriteOnly"/>,
/// <see cref="ReadWrite"/>) combined with <c>|</c> with any of the others. The values are Linux i386's
/// <c>O_*</c> values, so they pass to the kernel unchanged.
/// </summary>
[System.Flags]
public enum OpenFlags
{
    /// <summary>O_RDONLY: open for reading.</summary>
    ReadOnly = 0,
    /// <summary>O_WRONLY: open for writing.</summary>
    WriteOnly = 0x1,
    /// <summary>O_RDWR: open for reading and writing.</summary>
    ReadWrite = 0x2,
    /// <summary>O_CREAT: create the file if it does not exist (with the mode given to Open).</summary>
    Create = 0x40,
    /// <summary>O_EXCL: with Create, fail with EEXIST if the file exists.</summary>
    Exclusive = 0x80,
    /// <summary>O_TRUNC: truncate a regular file to length 0.</summary>
    Truncate = 0x200,
    /// <summary>O_APPEND: every write goes to the end of the file.</summary>
    Append = 0x400,
    /// <summary>O_DIRECTORY: fail with ENOTDIR unless the path is a directory.</summary>
    Directory = 0x10000,
}
