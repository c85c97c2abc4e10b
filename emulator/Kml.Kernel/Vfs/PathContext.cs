namespace Kml.Kernel.Vfs;

/// <summary>Who resolves a path, and from where: the process's root, current directory and identity.</summary>
internal sealed class PathContext
{
    public required DirectoryNode Root { get; init; }
    public required DirectoryNode Cwd { get; set; }
    public required Credentials Credentials { get; set; }

    /// <summary>What <c>/proc/self</c> shows; null outside a process (tests, the importer).</summary>
    public IProcessView? Process { get; init; }
}

/// <summary>The parts of a process that <c>/proc/self</c> exposes.</summary>
internal interface IProcessView
{
    int Pid { get; }

    /// <summary>The guest path of the executable (the target of <c>/proc/self/exe</c>).</summary>
    string ExecutablePath { get; }

    /// <summary>Open descriptors, ascending.</summary>
    IEnumerable<int> OpenDescriptors { get; }

    /// <summary>What <c>/proc/self/fd/N</c> points at (a path, or <c>pipe:[ino]</c>), null if N is not open.</summary>
    string? DescriptorTarget(int fd);

    /// <summary>The inode behind descriptor N (null for pipes, sockets, the console, or if N is not open).</summary>
    Inode? DescriptorInode(int fd);
}
