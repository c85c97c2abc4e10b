using Kml.Kernel.Abi;

namespace Kml.Kernel.Vfs;

/// <summary>What a character device does when opened.</summary>
internal enum DeviceKind
{
    /// <summary>/dev/null: reads end at once, writes vanish.</summary>
    Null,
    /// <summary>/dev/zero: reads give zeros.</summary>
    Zero,
    /// <summary>/dev/full: writes fail with ENOSPC.</summary>
    Full,
    /// <summary>/dev/random, /dev/urandom: reads give the kernel's (seeded, deterministic) random bytes.</summary>
    Random,
    /// <summary>/dev/tty: the controlling terminal (the host's stdin/stdout).</summary>
    Tty,
}

/// <summary>A character device node.</summary>
internal sealed class DeviceNode(FileSystem fs, DeviceKind kind, uint major, uint minor, int mode = 0x1B6)
    : Inode(fs, StMode.Char | mode)
{
    public DeviceKind Kind { get; } = kind;

    public uint Major { get; } = major;
    public uint Minor { get; } = minor;

    /// <summary>Linux's new_encode_dev.</summary>
    public uint Rdev => (Minor & 0xFF) | (Major << 8) | ((Minor & ~0xFFu) << 12);

    public override long Size => 0;
    public override long Blocks => 0;
}
