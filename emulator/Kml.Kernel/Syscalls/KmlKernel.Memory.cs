using Kml.Kernel.Abi;
using Kml.Kernel.Files;
using Kml.Kernel.Memory;
using Kml.Kernel.Processes;
using Kml.Kernel.Syscalls;
using Kml.Kernel.Vfs;

namespace Kml.Kernel;

// brk, mmap2, munmap, mprotect, mremap, madvise.
public sealed partial class KmlKernel
{
    private const uint PageSize = 4096;

    internal long Brk(Process p, in SyscallArgs a)
    {
        uint brk = p.Memory.SetBrk(a.A0);
        if (p.Log != null && brk > p.Memory.BrkStart)
            LogMemory(p, "brk", p.Memory.BrkStart, AddressSpace.PageAlign(brk), "brk heap");
        return brk;
    }

    internal long Mmap2(Process p, in SyscallArgs a) => MmapCore(p, a.A0, a.A1, a.I2, a.I3, a.I4, (long)a.A5 * PageSize);

    /// <summary>The old mmap(2): its six arguments are in a struct in user memory; the offset is in bytes.</summary>
    internal long OldMmap(Process p, in SyscallArgs a)
    {
        var b = new byte[24];
        if (!p.Memory.CopyFromUser(a.A0, b)) return Err(Errno.EFAULT);
        uint U(int i) => BitConverter.ToUInt32(b, i * 4);
        if ((U(5) & (PageSize - 1)) != 0) return Err(Errno.EINVAL);
        return MmapCore(p, U(0), U(1), (int)U(2), (int)U(3), (int)U(4), U(5));
    }

    private long MmapCore(Process p, uint address, uint length, int protection, int flags, int fd, long offset)
    {
        if (length == 0 || (address & (PageSize - 1)) != 0 && (flags & (Mman.Fixed | Mman.FixedNoReplace)) != 0) return Err(Errno.EINVAL);
        uint size = AddressSpace.PageAlign(length);
        if (size == 0 || size > AddressSpace.UserEnd) return Err(Errno.ENOMEM);
        int type = flags & Mman.TypeMask;
        if (type != Mman.Shared && type != Mman.Private && type != Mman.SharedValidate) return Err(Errno.EINVAL);
        bool shared = type != Mman.Private;
        bool anonymous = (flags & Mman.Anonymous) != 0;
        IPageSource? source = null;
        uint fileBytes = 0;
        if (!anonymous)
        {
            var f = p.Files.Get(fd);
            if (f == null) return Err(Errno.EBADF);
            if (f is not InodeFile { Inode: RegularFile file }) return Err(Errno.ENODEV);
            if (!f.CanRead) return Err(Errno.EACCES);
            if (shared && (protection & Mman.ProtWrite) != 0)
            {
                // Writes through a shared file mapping would have to reach the file: not supported.
                NoteUnsupported("mmap MAP_SHARED|PROT_WRITE of a file");
                return Err(Errno.ENODEV);
            }
            if (offset < 0 || (offset & (PageSize - 1)) != 0) return Err(Errno.EINVAL);
            source = file;
            fileBytes = (uint)Math.Clamp(file.Size - offset, 0, size);
            shared = false;   // read-only shared file mappings behave as private ones
        }
        uint start;
        if ((flags & (Mman.Fixed | Mman.FixedNoReplace)) != 0)
        {
            if ((ulong)address + size > AddressSpace.UserEnd || address < PageSize) return Err(Errno.ENOMEM);
            if ((flags & Mman.FixedNoReplace) != 0 && !p.Memory.IsFree(address, address + size)) return Err(Errno.EEXIST);
            p.Memory.Unmap(address, size);
            start = address;
        }
        else if (address != 0 && (address & (PageSize - 1)) == 0 && p.Memory.IsFree(address, address + size))
        {
            start = address;
        }
        else
        {
            start = p.Memory.FindFreeRange(size);
            if (start == 0) return Err(Errno.ENOMEM);
        }
        p.Memory.AddArea(new Vma
        {
            Start = start,
            End = start + size,
            Protection = protection & (Mman.ProtRead | Mman.ProtWrite | Mman.ProtExec),
            Kind = anonymous ? VmaKind.Anonymous : VmaKind.File,
            Shared = shared && anonymous,
            Source = source,
            SourceOffset = offset,
            SourceEnd = start + fileBytes,
            Name = anonymous ? "" : "file",
        });
        LogMemory(p, start, start, start + size, anonymous ? "anonymous mmap" : "file mmap");
        return start;
    }

    internal long Munmap(Process p, in SyscallArgs a)
    {
        if ((a.A0 & (PageSize - 1)) != 0 || a.A1 == 0) return Err(Errno.EINVAL);
        uint size = AddressSpace.PageAlign(a.A1);
        if ((ulong)a.A0 + size > AddressSpace.UserEnd) return Err(Errno.EINVAL);
        p.Memory.Unmap(a.A0, size);
        ForgetMemory(p, a.A0, a.A0 + size);
        return 0;
    }

    internal long Mprotect(Process p, in SyscallArgs a)
    {
        if ((a.A0 & (PageSize - 1)) != 0) return Err(Errno.EINVAL);
        if ((a.I2 & ~(Mman.ProtRead | Mman.ProtWrite | Mman.ProtExec | Mman.ProtGrowsDown)) != 0) return Err(Errno.EINVAL);
        uint size = AddressSpace.PageAlign(a.A1);
        if (size == 0) return 0;
        if ((ulong)a.A0 + size > AddressSpace.UserEnd) return Err(Errno.ENOMEM);
        return Err(p.Memory.Protect(a.A0, size, a.I2 & (Mman.ProtRead | Mman.ProtWrite | Mman.ProtExec)));
    }

    internal long Madvise(Process p, in SyscallArgs a)
    {
        const int DontNeed = 4, Free = 8;
        if ((a.A0 & (PageSize - 1)) != 0) return Err(Errno.EINVAL);
        if (a.I2 is DontNeed or Free)
        {
            // Private anonymous pages read as zero afterwards: drop them.
            uint end = a.A0 + AddressSpace.PageAlign(a.A1);
            for (uint page = a.A0; page < end; page += PageSize)
            {
                var vma = p.Memory.Find(page);
                if (vma == null) return Err(Errno.ENOMEM);
                if (vma.Kind is VmaKind.Anonymous or VmaKind.Heap or VmaKind.Stack && !vma.Shared) p.Memory.DropPage(page);
            }
        }
        return 0;
    }

    internal long Msync(Process p, in SyscallArgs a) => (a.A0 & (PageSize - 1)) != 0 ? Err(Errno.EINVAL) : 0;

    internal long Mremap(Process p, in SyscallArgs a)
    {
        const int MayMove = 1, Fixed = 2;
        uint oldAddress = a.A0, oldSize = AddressSpace.PageAlign(a.A1), newSize = AddressSpace.PageAlign(a.A2);
        int flags = a.I3;
        if ((oldAddress & (PageSize - 1)) != 0 || newSize == 0 || (flags & ~(MayMove | Fixed)) != 0 || (flags & Fixed) != 0) return Err(Errno.EINVAL);
        var vma = p.Memory.Find(oldAddress);
        if (vma == null || oldAddress + oldSize > vma.End) return Err(Errno.EFAULT);
        if (newSize <= oldSize)
        {
            if (newSize < oldSize) p.Memory.Unmap(oldAddress + newSize, oldSize - newSize);
            return oldAddress;
        }
        if (oldAddress + oldSize == vma.End && p.Memory.IsFree(vma.End, oldAddress + newSize))
        {
            p.Memory.ExtendArea(vma, oldAddress + newSize);
            return oldAddress;
        }
        if ((flags & MayMove) == 0) return Err(Errno.ENOMEM);
        uint target = p.Memory.FindFreeRange(newSize);
        if (target == 0) return Err(Errno.ENOMEM);
        return p.Memory.MoveArea(oldAddress, oldSize, target, newSize) ? target : Err(Errno.ENOMEM);
    }
}
