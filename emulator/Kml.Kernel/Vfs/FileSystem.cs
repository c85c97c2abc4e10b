using Kml.Kernel.Abi;

namespace Kml.Kernel.Vfs;

/// <summary>
/// The in-memory file system: path resolution (with "..", symlinks and the ELOOP limit) and the operations that
/// change the name space. Operations return an <see cref="Errno"/> (<see cref="Errno.None"/> on success), the way
/// the system calls report them, instead of throwing.
/// </summary>
internal sealed class FileSystem
{
    /// <summary>Linux's MAXSYMLINKS.</summary>
    public const int MaxSymlinkFollows = 40;
    public const int MaxNameLength = 255;
    public const int MaxPathLength = 4096;

    private long _nextInode = 1;

    public FileSystem(Func<Timespec>? clock = null, int defaultUid = 0, int defaultGid = 0)
    {
        Now = clock ?? (() => Timespec.FromDateTime(DateTime.UtcNow));
        DefaultUid = defaultUid;
        DefaultGid = defaultGid;
        Root = new DirectoryNode(this, 0x1ED, null);
    }

    public DirectoryNode Root { get; }

    /// <summary>The clock that stamps file times (the kernel sets it to emulated real time).</summary>
    public Func<Timespec> Now { get; set; }

    public int DefaultUid { get; set; }
    public int DefaultGid { get; set; }

    /// <summary>st_dev of every file.</summary>
    public const ulong DeviceId = 0x801;

    internal long NextInodeNumber() => _nextInode++;

    /// <summary>Reserves <paramref name="count"/> consecutive inode numbers (for a tree created lazily); returns the first.</summary>
    internal long ReserveInodeNumbers(long count)
    {
        long first = _nextInode;
        _nextInode += count;
        return first;
    }

    public PathContext RootContext(Credentials? credentials = null) =>
        new() { Root = Root, Cwd = Root, Credentials = credentials ?? new Credentials(0, 0, 0, 0) };

    // ---------------------------------------------------------------- resolution

    /// <summary>
    /// Resolves <paramref name="path"/> from <paramref name="start"/> (or the context's current directory) to an inode.
    /// <paramref name="followFinal"/> says whether a symlink as the last component is followed (stat vs lstat).
    /// A trailing slash demands a directory and always follows.
    /// </summary>
    public Errno Resolve(PathContext ctx, Inode? start, ReadOnlySpan<char> path, bool followFinal, out Inode node)
    {
        node = null!;
        if (path.Length == 0) return Errno.ENOENT;
        if (path.Length >= MaxPathLength) return Errno.ENAMETOOLONG;
        bool mustBeDirectory = path[^1] == '/';
        var walk = new PathWalk(path);
        Inode current = path[0] == '/' ? ctx.Root : start ?? ctx.Cwd;
        int follows = 0;
        while (walk.Next(out var name))
        {
            if (!IsDirectoryLike(current)) return Errno.ENOTDIR;
            if (!current.MayAccess(ctx.Credentials, 1)) return Errno.EACCES;
            if (name.Length > MaxNameLength) return Errno.ENAMETOOLONG;
            if (name is ".") continue;
            if (name is "..")
            {
                current = ParentOf(ctx, current);
                continue;
            }
            var child = LookupChild(ctx, current, name);
            if (child == null) return Errno.ENOENT;
            if (!child.IsSymlink)
            {
                current = child;
                continue;
            }
            bool last = !walk.HasMore;
            if (child is DescriptorLinkNode magic && (!last || followFinal || mustBeDirectory))
            {
                if (++follows > MaxSymlinkFollows) return Errno.ELOOP;
                var target = ctx.Process?.DescriptorInode(magic.Descriptor);
                current = target ?? magic;   // no inode (a pipe): the path ends at the link itself
                if (target == null && !last) return Errno.ENOTDIR;
                continue;
            }
            if (child.IsSymlink && (!last || followFinal || mustBeDirectory))
            {
                if (++follows > MaxSymlinkFollows) return Errno.ELOOP;
                string? target = SymlinkTarget(ctx, child);
                if (string.IsNullOrEmpty(target)) return Errno.ENOENT;
                walk.Push(target);
                if (target[0] == '/') current = ctx.Root;
                // A relative target resolves from the directory holding the link: current stays.
                continue;
            }
            current = child;
        }
        if (mustBeDirectory && !IsDirectoryLike(current)) return Errno.ENOTDIR;
        node = current;
        return Errno.None;
    }

    /// <summary>
    /// The components of a path being resolved, walked in place: the path, and inside it each symlink target being
    /// followed (innermost first). Paths are resolved on every open and stat, so this avoids splitting them into
    /// arrays and stacks of strings (a measurable share of busybox find's kernel time); the path itself may be a span
    /// (the stat calls resolve a path read from user memory without making a string of it).
    /// </summary>
    private ref struct PathWalk(ReadOnlySpan<char> path)
    {
        private readonly ReadOnlySpan<char> _path = path;
        private string? _target;   // the symlink target being walked; null while walking the path itself
        private int _position;
        private List<(string? Target, int Position)>? _outer;

        private readonly ReadOnlySpan<char> Text => _target == null ? _path : _target.AsSpan();

        /// <summary>The next non-empty component, or false at the end of everything.</summary>
        public bool Next(out ReadOnlySpan<char> name)
        {
            var text = Text;
            while (true)
            {
                while (_position < text.Length && text[_position] == '/') _position++;
                if (_position < text.Length) break;
                if (_outer is not { Count: > 0 })
                {
                    name = default;
                    return false;
                }
                (_target, _position) = _outer[^1];
                _outer.RemoveAt(_outer.Count - 1);
                text = Text;
            }
            int end = text[_position..].IndexOf('/');
            end = end < 0 ? text.Length : _position + end;
            name = text[_position..end];
            _position = end;
            return true;
        }

        /// <summary>True while a component remains, here or in an outer path.</summary>
        public readonly bool HasMore
        {
            get
            {
                if (HasComponent(Text, _position)) return true;
                if (_outer != null)
                    foreach (var (target, position) in _outer)
                        if (HasComponent(target == null ? _path : target.AsSpan(), position)) return true;
                return false;
            }
        }

        /// <summary>Walks <paramref name="target"/> (a symlink's) before the rest of the current path.</summary>
        public void Push(string target)
        {
            (_outer ??= []).Add((_target, _position));
            _target = target;
            _position = 0;
        }

        private static bool HasComponent(ReadOnlySpan<char> text, int from) => text[from..].IndexOfAnyExcept('/') >= 0;
    }

    /// <summary>
    /// Resolves all but the last component of <paramref name="path"/>: the directory an entry is created in or
    /// removed from, and the entry's name. The name is "." or ".." when the path ends so; callers reject those.
    /// </summary>
    public Errno ResolveParent(PathContext ctx, Inode? start, string path, out DirectoryNode parent, out string name)
    {
        parent = null!;
        name = "";
        if (path.Length == 0) return Errno.ENOENT;
        if (path.Length >= MaxPathLength) return Errno.ENAMETOOLONG;
        string trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            parent = ctx.Root;
            name = ".";
            return Errno.None;
        }
        int slash = trimmed.LastIndexOf('/');
        name = trimmed[(slash + 1)..];
        if (name.Length > MaxNameLength) return Errno.ENAMETOOLONG;
        Inode dir;
        if (slash < 0)
        {
            dir = start ?? ctx.Cwd;
        }
        else
        {
            string dirPath = slash == 0 ? "/" : trimmed[..slash];
            var err = Resolve(ctx, start, dirPath, true, out dir);
            if (err != Errno.None) return err;
        }
        if (!IsDirectoryLike(dir)) return Errno.ENOTDIR;
        if (dir is not DirectoryNode real) return Errno.EACCES;
        if (!real.MayAccess(ctx.Credentials, 1)) return Errno.EACCES;
        parent = real;
        return Errno.None;
    }

    private static bool IsDirectoryLike(Inode node) => node is DirectoryNode or DynamicDirectoryNode;

    private static Inode ParentOf(PathContext ctx, Inode dir)
    {
        if (dir == ctx.Root) return dir;
        return dir switch
        {
            DirectoryNode d => d.Parent,
            DynamicDirectoryNode dyn => (Inode?)dyn.Parent ?? ctx.Root,
            _ => ctx.Root,
        };
    }

    private static Inode? LookupChild(PathContext ctx, Inode dir, ReadOnlySpan<char> name) => dir switch
    {
        DirectoryNode d => d.Lookup(name),
        DynamicDirectoryNode dyn => dyn.Lookup(ctx, name.ToString()),
        _ => null,
    };

    public static string? SymlinkTarget(PathContext ctx, Inode link) => link switch
    {
        SymlinkNode s => s.Target,
        DynamicSymlinkNode d => d.TargetFor(ctx),
        DescriptorLinkNode f => ctx.Process?.DescriptorTarget(f.Descriptor),
        _ => null,
    };

    /// <summary>The absolute path of a directory (getcwd), or null if it was removed.</summary>
    public static string? PathOf(PathContext ctx, DirectoryNode dir)
    {
        var names = new List<string>();
        var cur = dir;
        while (cur != ctx.Root)
        {
            if (!cur.IsLive) return null;
            if (cur.Parent == cur) break;   // outside this context's root: stop at the top
            names.Add(cur.Name);
            cur = cur.Parent;
        }
        names.Reverse();
        return "/" + string.Join('/', names);
    }

    // ---------------------------------------------------------------- name space operations

    /// <summary>Looks up or creates a regular file for open(2). <paramref name="mode"/> has the umask applied.</summary>
    public Errno Open(PathContext ctx, Inode? start, string path, int flags, int mode, out Inode node)
    {
        node = null!;
        bool create = (flags & OpenFlags.Create) != 0;
        bool exclusive = create && (flags & OpenFlags.Exclusive) != 0;
        bool noFollow = (flags & OpenFlags.NoFollow) != 0 || exclusive;
        var err = Resolve(ctx, start, path, !noFollow, out node);
        if (err == Errno.ENOENT && create)
        {
            if (path[^1] == '/') return Errno.EISDIR;
            err = ResolveParent(ctx, start, path, out var parent, out string name);
            if (err != Errno.None) return err;
            var existing = parent.Lookup(name);
            if (existing != null)
            {
                // A dangling symlink: O_CREAT follows it and creates its target (unless O_EXCL).
                if (existing.IsSymlink && !noFollow)
                {
                    string? target = SymlinkTarget(ctx, existing);
                    if (string.IsNullOrEmpty(target)) return Errno.ENOENT;
                    return Open(ctx, parent, target, flags, mode, out node);
                }
                return Errno.EEXIST;
            }
            if (!parent.IsLive) return Errno.ENOENT;
            if (!parent.MayAccess(ctx.Credentials, 3)) return Errno.EACCES;
            var file = new RegularFile(this, mode) { Uid = ctx.Credentials.Euid, Gid = ctx.Credentials.Egid };
            parent.Add(name, file);
            parent.Touch();
            node = file;
            return Errno.None;
        }
        if (err != Errno.None) return err;
        if (exclusive) return Errno.EEXIST;
        if (node.IsSymlink && node is not DescriptorLinkNode) return Errno.ELOOP;   // O_NOFOLLOW on a symlink
        if ((flags & OpenFlags.Directory) != 0 && !IsDirectoryLike(node)) return Errno.ENOTDIR;
        int access = flags & OpenFlags.AccessMode;
        if (IsDirectoryLike(node) && (access != OpenFlags.ReadOnly || (flags & OpenFlags.Truncate) != 0)) return Errno.EISDIR;
        if ((flags & OpenFlags.Path) == 0)
        {
            int want = access switch { OpenFlags.ReadOnly => 4, OpenFlags.WriteOnly => 2, _ => 6 };
            if (!node.MayAccess(ctx.Credentials, want)) return Errno.EACCES;
        }
        return Errno.None;
    }

    public Errno MakeDirectory(PathContext ctx, Inode? start, string path, int mode, out DirectoryNode? created)
    {
        created = null;
        var err = ResolveParent(ctx, start, path, out var parent, out string name);
        if (err != Errno.None) return err;
        if (name is "." or ".." || parent.Lookup(name) != null) return Errno.EEXIST;
        if (!parent.IsLive) return Errno.ENOENT;
        if (!parent.MayAccess(ctx.Credentials, 3)) return Errno.EACCES;
        var dir = new DirectoryNode(this, mode, parent) { Uid = ctx.Credentials.Euid, Gid = ctx.Credentials.Egid };
        parent.Add(name, dir);
        parent.Touch();
        created = dir;
        return Errno.None;
    }

    public Errno MakeSymlink(PathContext ctx, Inode? start, string target, string path)
    {
        if (target.Length == 0) return Errno.ENOENT;
        var err = ResolveParent(ctx, start, path, out var parent, out string name);
        if (err != Errno.None) return err;
        if (name is "." or ".." || parent.Lookup(name) != null) return Errno.EEXIST;
        if (!parent.IsLive) return Errno.ENOENT;
        if (!parent.MayAccess(ctx.Credentials, 3)) return Errno.EACCES;
        parent.Add(name, new SymlinkNode(this, target) { Uid = ctx.Credentials.Euid, Gid = ctx.Credentials.Egid });
        parent.Touch();
        return Errno.None;
    }

    public Errno MakeHardLink(PathContext ctx, Inode? oldStart, string oldPath, Inode? newStart, string newPath, bool follow)
    {
        var err = Resolve(ctx, oldStart, oldPath, follow, out var node);
        if (err != Errno.None) return err;
        if (IsDirectoryLike(node)) return Errno.EPERM;
        if (node is DynamicSymlinkNode) return Errno.EXDEV;
        err = ResolveParent(ctx, newStart, newPath, out var parent, out string name);
        if (err != Errno.None) return err;
        if (name is "." or ".." || parent.Lookup(name) != null) return Errno.EEXIST;
        if (!parent.IsLive) return Errno.ENOENT;
        if (!parent.MayAccess(ctx.Credentials, 3)) return Errno.EACCES;
        parent.Add(name, node);
        node.LinkCount++;
        node.TouchChange();
        parent.Touch();
        return Errno.None;
    }

    /// <summary>unlink(2): removes a name of a non-directory.</summary>
    public Errno Unlink(PathContext ctx, Inode? start, string path)
    {
        var err = ResolveParent(ctx, start, path, out var parent, out string name);
        if (err != Errno.None) return err;
        if (name is "." or "..") return Errno.EISDIR;
        var node = parent.Lookup(name);
        if (node == null) return Errno.ENOENT;
        if (path[^1] == '/' ) return node.IsDirectory ? Errno.EISDIR : Errno.ENOTDIR;
        if (IsDirectoryLike(node)) return Errno.EISDIR;
        if (!parent.ContainsListed(name)) return Errno.EPERM;   // kernel-provided entries stay
        if (!MayDelete(ctx, parent, node)) return Errno.EACCES;
        parent.Remove(name);
        node.LinkCount--;
        node.TouchChange();
        parent.Touch();
        return Errno.None;
    }

    /// <summary>rmdir(2): removes an empty directory.</summary>
    public Errno RemoveDirectory(PathContext ctx, Inode? start, string path)
    {
        var err = ResolveParent(ctx, start, path, out var parent, out string name);
        if (err != Errno.None) return err;
        if (name == ".") return Errno.EINVAL;
        if (name == "..") return Errno.ENOTEMPTY;
        var node = parent.Lookup(name);
        if (node == null) return Errno.ENOENT;
        if (node is not DirectoryNode dir) return IsDirectoryLike(node) ? Errno.EBUSY : Errno.ENOTDIR;
        if (!parent.ContainsListed(name) || dir == ctx.Root) return Errno.EBUSY;
        if (dir.Count != 0) return Errno.ENOTEMPTY;
        if (!MayDelete(ctx, parent, node)) return Errno.EACCES;
        parent.Remove(name);
        dir.IsLive = false;
        dir.LinkCount = 0;
        parent.Touch();
        return Errno.None;
    }

    /// <summary>rename(2) with its rules for replacing an existing target.</summary>
    public Errno Rename(PathContext ctx, Inode? oldStart, string oldPath, Inode? newStart, string newPath, bool noReplace = false)
    {
        var err = ResolveParent(ctx, oldStart, oldPath, out var oldParent, out string oldName);
        if (err != Errno.None) return err;
        err = ResolveParent(ctx, newStart, newPath, out var newParent, out string newName);
        if (err != Errno.None) return err;
        if (oldName is "." or ".." || newName is "." or "..") return Errno.EBUSY;
        var node = oldParent.Lookup(oldName);
        if (node == null) return Errno.ENOENT;
        if (!oldParent.ContainsListed(oldName)) return Errno.EBUSY;
        bool trailingSlash = oldPath[^1] == '/' || newPath[^1] == '/';
        if (trailingSlash && !node.IsDirectory) return Errno.ENOTDIR;
        var existing = newParent.Lookup(newName);
        if (existing == node) return Errno.None;
        if (!newParent.IsLive) return Errno.ENOENT;
        if (!MayDelete(ctx, oldParent, node) || !newParent.MayAccess(ctx.Credentials, 3)) return Errno.EACCES;
        if (node is DirectoryNode movingDir)
        {
            // A directory cannot move into its own subtree.
            for (var d = newParent; ; d = d.Parent)
            {
                if (d == movingDir) return Errno.EINVAL;
                if (d.Parent == d) break;
            }
        }
        if (existing != null)
        {
            if (noReplace) return Errno.EEXIST;
            if (!newParent.ContainsListed(newName)) return Errno.EBUSY;
            if (node.IsDirectory)
            {
                if (existing is not DirectoryNode target) return Errno.ENOTDIR;
                if (target.Count != 0) return Errno.ENOTEMPTY;
            }
            else if (existing.IsDirectory)
            {
                return Errno.EISDIR;
            }
            if (!MayDelete(ctx, newParent, existing)) return Errno.EACCES;
            newParent.Remove(newName);
            if (existing is DirectoryNode replaced)
            {
                replaced.IsLive = false;
                replaced.LinkCount = 0;
            }
            else
            {
                existing.LinkCount--;
                existing.TouchChange();
            }
        }
        oldParent.Remove(oldName);
        newParent.Add(newName, node);
        node.TouchChange();
        oldParent.Touch();
        if (newParent != oldParent) newParent.Touch();
        return Errno.None;
    }

    /// <summary>Write permission on the directory, and the sticky bit's owner rule.</summary>
    private static bool MayDelete(PathContext ctx, DirectoryNode parent, Inode node)
    {
        var who = ctx.Credentials;
        if (!parent.MayAccess(who, 3)) return false;
        if ((parent.Mode & StMode.Sticky) != 0 && who.Euid != 0 && who.Euid != node.Uid && who.Euid != parent.Uid) return false;
        return true;
    }
}
