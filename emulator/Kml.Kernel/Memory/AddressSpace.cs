using System.Text;
using Kml.Kernel.Abi;

namespace Kml.Kernel.Memory;

/// <summary>Outcome of a page fault.</summary>
internal enum FaultResult
{
    /// <summary>The page is mapped now: resume the faulting instruction.</summary>
    Handled,
    /// <summary>No mapping at the address (SIGSEGV, SEGV_MAPERR).</summary>
    NotMapped,
    /// <summary>A mapping that forbids the access (SIGSEGV, SEGV_ACCERR).</summary>
    AccessDenied,
    /// <summary>No free physical page.</summary>
    OutOfMemory,
}

/// <summary>Invalidates the CPU's cached translations after the kernel changed page tables (invlpg, CR3 reload).</summary>
internal interface ITranslationCache
{
    void InvalidatePage(uint linearAddress);

    void FlushAll();
}

/// <summary>
/// One process's address space: an IA-32 two-level page directory in guest physical memory and the list of
/// virtual memory areas it maps lazily. The top quarter (0xC0000000 and up) is the kernel's, shared by every
/// address space (<see cref="KernelMappings"/>). Private pages are copied on write after fork.
/// </summary>
internal sealed class AddressSpace : IDisposable
{
    public const uint PageSize = 4096;
    public const uint UserEnd = 0xC0000000;

    // Page-table entry bits.
    public const uint Present = 1, ReadWrite = 2, UserBit = 4, Accessed = 0x20, Dirty = 0x40;
    /// <summary>A software bit (ignored by the CPU): a not-present entry that keeps its frame (PROT_NONE).</summary>
    public const uint Retained = 0x200;
    private const uint FrameMask = 0xFFFFF000;

    private readonly IPhysicalMemory _memory;
    private readonly PageAllocator _pages;
    private readonly KernelMappings _kernel;
    private readonly List<Vma> _vmas = [];
    private bool _disposed;

    /// <param name="memory">Guest physical memory.</param>
    /// <param name="pages">The frame allocator.</param>
    /// <param name="kernel">The kernel's shared mappings.</param>
    /// <param name="isolated">
    /// KPTI: also keep a second page directory for user mode, with the same user part but only the kernel's entry area
    /// (<see cref="UserPageDirectory"/>).
    /// </param>
    public AddressSpace(IPhysicalMemory memory, PageAllocator pages, KernelMappings kernel, bool isolated = false)
    {
        _memory = memory;
        _pages = pages;
        _kernel = kernel;
        if (!pages.TryAllocate(out uint pd)) throw new OutOfMemoryException("no physical page for a page directory");
        memory.Fill(pd, (int)PageSize, 0);
        kernel.Install(memory, pd);
        PageDirectory = pd;
        if (isolated)
        {
            if (!pages.TryAllocate(out uint upd))
            {
                pages.Release(pd);
                throw new OutOfMemoryException("no physical page for a user page directory");
            }
            memory.Fill(upd, (int)PageSize, 0);
            kernel.InstallEntryArea(memory, upd);
            UserPageDirectory = upd;
        }
    }

    /// <summary>Physical address of the page directory (the value of CR3 in the kernel).</summary>
    public uint PageDirectory { get; }

    /// <summary>
    /// KPTI's user page directory: the same user page tables, and of the kernel only the entry area; 0 when the address
    /// space is not isolated (then <see cref="PageDirectory"/> serves both modes).
    /// </summary>
    public uint UserPageDirectory { get; }

    /// <summary>True when user mode runs on <see cref="UserPageDirectory"/> (protection level 1).</summary>
    public bool Isolated => UserPageDirectory != 0;

    /// <summary>Set while this address space is loaded in CR3, so page-table changes invalidate the CPU's TLB.</summary>
    public ITranslationCache? Tlb { get; set; }

    /// <summary>Processes using this address space (a vfork child borrows its parent's).</summary>
    public int Users { get; set; } = 1;

    public IReadOnlyList<Vma> Areas => _vmas;

    public uint BrkStart { get; set; }
    public uint Brk { get; set; }

    /// <summary>Highest address a top-down mmap may use.</summary>
    public uint MmapTop { get; set; } = Platform.KernelLayout.VdsoAddress;

    /// <summary>Largest size the stack may grow to (RLIMIT_STACK).</summary>
    public uint StackLimit { get; set; } = 8 << 20;

    /// <summary>Gap kept free below a growing stack (Linux's stack_guard_gap).</summary>
    public uint StackGuardGap { get; set; } = 256 * PageSize;

    /// <summary>Pages mapped (resident) in user space.</summary>
    public int ResidentPages { get; private set; }

    // ---------------------------------------------------------------- areas

    public Vma? Find(uint address)
    {
        int lo = 0, hi = _vmas.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            var v = _vmas[mid];
            if (address < v.Start) hi = mid - 1;
            else if (address >= v.End) lo = mid + 1;
            else return v;
        }
        return null;
    }

    /// <summary>The first area that ends above <paramref name="address"/>.</summary>
    private int IndexAbove(uint address)
    {
        int i = 0;
        while (i < _vmas.Count && _vmas[i].End <= address) i++;
        return i;
    }

    public bool IsFree(uint start, uint end)
    {
        if (end <= start || end > UserEnd || start < PageSize) return false;
        foreach (var v in _vmas)
            if (v.Start < end && start < v.End) return false;
        return true;
    }

    /// <summary>Adds an area; the range must be free and page-aligned.</summary>
    public void AddArea(Vma vma)
    {
        if ((vma.Start | vma.End) % PageSize != 0 || vma.End <= vma.Start)
            throw new ArgumentException($"unaligned area {vma}");
        if (!IsFree(vma.Start, vma.End))
            throw new InvalidOperationException($"area {vma} overlaps an existing mapping");
        int i = IndexAbove(vma.Start);
        _vmas.Insert(i, vma);
    }

    /// <summary>Finds a free range of <paramref name="length"/> bytes, top-down below <see cref="MmapTop"/>; 0 if none.</summary>
    public uint FindFreeRange(uint length)
    {
        uint top = MmapTop;
        for (int i = _vmas.Count - 1; i >= -1; i--)
        {
            uint floor = i >= 0 ? _vmas[i].End : PageSize;
            if (i >= 0 && _vmas[i].Start >= top) continue;
            if (i >= 0 && _vmas[i].Kind == VmaKind.Heap) floor = Math.Max(floor, _vmas[i].End);
            if (top >= floor && top - floor >= length) return top - length;
            if (i >= 0) top = Math.Min(top, _vmas[i].Start);
        }
        return 0;
    }

    /// <summary>munmap: removes every mapping in [start, start+length).</summary>
    public void Unmap(uint start, uint length)
    {
        uint end = start + length;
        SplitAround(start, end);
        for (int i = _vmas.Count - 1; i >= 0; i--)
        {
            var v = _vmas[i];
            if (v.Start >= start && v.End <= end)
            {
                ReleasePages(v.Start, v.End);
                _vmas.RemoveAt(i);
            }
        }
    }

    /// <summary>mprotect: every page of the range must be mapped (else ENOMEM).</summary>
    public Errno Protect(uint start, uint length, int protection)
    {
        uint end = start + length;
        for (uint a = start; a < end;)
        {
            var v = Find(a);
            if (v == null) return Errno.ENOMEM;
            a = v.End;
        }
        SplitAround(start, end);
        foreach (var v in _vmas)
        {
            if (v.Start < start || v.End > end) continue;
            v.Protection = protection;
            for (uint page = v.Start; page < v.End; page += PageSize)
            {
                uint pte = GetPte(page, out uint pteAddress);
                if (pteAddress == 0 || (pte & (Present | Retained)) == 0) continue;
                uint frame = pte & FrameMask;
                uint bits = v.Accessible ? Present | UserBit : Retained;
                // A page is writable only if nobody else shares its frame (copy-on-write otherwise).
                if (v.Writable && (v.Shared || _pages.ReferenceCount(frame) <= 1)) bits |= ReadWrite;
                _memory.WriteUInt32(pteAddress, frame | bits | (pte & (Accessed | Dirty)));
                Tlb?.InvalidatePage(page);
            }
        }
        Merge();
        return Errno.None;
    }

    /// <summary>Makes area boundaries fall at <paramref name="start"/> and <paramref name="end"/>.</summary>
    private void SplitAround(uint start, uint end)
    {
        for (int i = 0; i < _vmas.Count; i++)
        {
            var v = _vmas[i];
            if (v.Contains(start) && v.Start != start)
            {
                _vmas.Insert(i + 1, v.SplitAt(start));
                continue;
            }
            if (v.Contains(end) && v.Start != end)
                _vmas.Insert(i + 1, v.SplitAt(end));
        }
    }

    /// <summary>Joins neighbouring anonymous areas that became identical (keeps the list short after mprotect).</summary>
    private void Merge()
    {
        for (int i = _vmas.Count - 1; i > 0; i--)
        {
            Vma a = _vmas[i - 1], b = _vmas[i];
            if (a.End == b.Start && a.Kind == b.Kind && a.Kind is VmaKind.Anonymous && a.Protection == b.Protection && a.Shared == b.Shared && a.Name == b.Name)
            {
                a.End = b.End;
                _vmas.RemoveAt(i);
            }
        }
    }

    /// <summary>Drops one page (madvise MADV_DONTNEED): the next touch maps a fresh one.</summary>
    public void DropPage(uint page) => ReleasePages(page & FrameMask, (page & FrameMask) + PageSize);

    /// <summary>Grows an area in place (mremap); the caller checked that the range above is free.</summary>
    public void ExtendArea(Vma vma, uint newEnd) => vma.End = newEnd;

    /// <summary>mremap with MREMAP_MAYMOVE: moves the pages of [oldStart, oldStart+oldSize) to a free range, keeping their frames.</summary>
    public bool MoveArea(uint oldStart, uint oldSize, uint newStart, uint newSize)
    {
        SplitAround(oldStart, oldStart + oldSize);
        var vma = Find(oldStart);
        if (vma == null || vma.Start != oldStart || vma.End != oldStart + oldSize) return false;
        for (uint offset = 0; offset < oldSize; offset += PageSize)
        {
            uint pte = GetPte(oldStart + offset, out uint oldPte);
            if (oldPte == 0 || (pte & (Present | Retained)) == 0) continue;
            if (!TryEnsurePageTable(newStart + offset, out uint newPte)) return false;
            _memory.WriteUInt32(newPte, pte);
            _memory.WriteUInt32(oldPte, 0);
            Tlb?.InvalidatePage(oldStart + offset);
        }
        _vmas.Remove(vma);
        if (vma.Kind == VmaKind.File) vma.SourceEnd = newStart + (vma.SourceEnd > oldStart ? vma.SourceEnd - oldStart : 0);
        vma.Start = newStart;
        vma.End = newStart + newSize;
        _vmas.Insert(IndexAbove(newStart), vma);
        return true;
    }

    // ---------------------------------------------------------------- brk

    /// <summary>brk(2): moves the end of the heap; returns the new (or unchanged) break.</summary>
    public uint SetBrk(uint requested)
    {
        if (requested < BrkStart) return Brk;
        uint oldTop = PageAlign(Brk), newTop = PageAlign(requested);
        if (newTop > oldTop)
        {
            if (!IsFree(oldTop, newTop)) return Brk;
            // Respect the stack's guard gap too.
            int above = IndexAbove(oldTop);
            if (above < _vmas.Count && _vmas[above].Kind == VmaKind.Stack && newTop + StackGuardGap > _vmas[above].Start) return Brk;
            var heap = _vmas.FirstOrDefault(v => v.Kind == VmaKind.Heap);
            if (heap != null && heap.End == oldTop) heap.End = newTop;
            else AddArea(new Vma { Start = oldTop, End = newTop, Protection = Mman.ProtRead | Mman.ProtWrite, Kind = VmaKind.Heap, Name = "[heap]" });
        }
        else if (newTop < oldTop)
        {
            Unmap(newTop, oldTop - newTop);
        }
        Brk = requested;
        return Brk;
    }

    public static uint PageAlign(uint address) => (uint)(((ulong)address + PageSize - 1) & ~(ulong)(PageSize - 1));

    // ---------------------------------------------------------------- page tables

    /// <summary>The page-table entry of <paramref name="address"/>; <paramref name="pteAddress"/> is 0 if there is no page table.</summary>
    public uint GetPte(uint address, out uint pteAddress)
    {
        uint pde = _memory.ReadUInt32(PageDirectory + (address >> 22) * 4);
        if ((pde & Present) == 0)
        {
            pteAddress = 0;
            return 0;
        }
        pteAddress = (pde & FrameMask) + ((address >> 12) & 0x3FF) * 4;
        return _memory.ReadUInt32(pteAddress);
    }

    private bool TryEnsurePageTable(uint address, out uint pteAddress)
    {
        uint pdeAddress = PageDirectory + (address >> 22) * 4;
        uint pde = _memory.ReadUInt32(pdeAddress);
        if ((pde & Present) == 0)
        {
            if (!_pages.TryAllocate(out uint table))
            {
                pteAddress = 0;
                return false;
            }
            _memory.Fill(table, (int)PageSize, 0);
            // The directory entry allows everything; the page-table entries decide.
            pde = table | Present | ReadWrite | UserBit;
            _memory.WriteUInt32(pdeAddress, pde);
            // KPTI: the user directory shares the page table.
            if (UserPageDirectory != 0) _memory.WriteUInt32(UserPageDirectory + (address >> 22) * 4, pde);
        }
        pteAddress = (pde & FrameMask) + ((address >> 12) & 0x3FF) * 4;
        return true;
    }

    /// <summary>Maps <paramref name="frame"/> at <paramref name="address"/> for user access.</summary>
    public bool MapPage(uint address, uint frame, bool writable)
    {
        if (!TryEnsurePageTable(address, out uint pteAddress)) return false;
        uint old = _memory.ReadUInt32(pteAddress);
        if ((old & (Present | Retained)) == 0) ResidentPages++;
        _memory.WriteUInt32(pteAddress, frame | Present | UserBit | (writable ? ReadWrite : 0));
        if ((old & Present) != 0) Tlb?.InvalidatePage(address);
        return true;
    }

    private void ReleasePages(uint start, uint end)
    {
        for (uint page = start; page < end; page += PageSize)
        {
            uint pte = GetPte(page, out uint pteAddress);
            if (pteAddress == 0)
            {
                page = (page & 0xFFC00000) + 0x400000 - PageSize;   // no page table: skip the 4 MiB
                if (page + PageSize < page) break;
                continue;
            }
            if ((pte & (Present | Retained)) == 0) continue;
            _memory.WriteUInt32(pteAddress, 0);
            _pages.Release(pte & FrameMask);
            ResidentPages--;
            if ((pte & Present) != 0) Tlb?.InvalidatePage(page);
        }
    }

    // ---------------------------------------------------------------- faults

    /// <summary>
    /// Resolves a fault at <paramref name="address"/>: grows the stack, maps a zero or file page, or copies a
    /// shared page on write. Also used by the kernel's own accesses to user memory.
    /// </summary>
    public FaultResult HandleFault(uint address, bool write)
    {
        if (address >= UserEnd) return FaultResult.NotMapped;
        var vma = Find(address) ?? TryGrowStack(address);
        if (vma == null) return FaultResult.NotMapped;
        if (write ? !vma.Writable : !vma.Accessible) return FaultResult.AccessDenied;
        uint page = address & FrameMask;
        uint pte = GetPte(page, out uint pteAddress);
        if (pteAddress != 0 && (pte & Present) != 0)
        {
            if (!write || (pte & ReadWrite) != 0)
            {
                Tlb?.InvalidatePage(page);   // a stale translation: the entry is fine now
                return FaultResult.Handled;
            }
            uint frame = pte & FrameMask;
            if (vma.Shared || _pages.ReferenceCount(frame) <= 1)
            {
                _memory.WriteUInt32(pteAddress, pte | ReadWrite);
            }
            else
            {
                if (!_pages.TryAllocate(out uint copy)) return FaultResult.OutOfMemory;
                _memory.Copy(frame, copy, (int)PageSize);
                _pages.Release(frame);
                _memory.WriteUInt32(pteAddress, copy | Present | UserBit | ReadWrite);
                CopiedOnWrite++;
            }
            Tlb?.InvalidatePage(page);
            return FaultResult.Handled;
        }
        if (!_pages.TryAllocate(out uint fresh)) return FaultResult.OutOfMemory;
        FillPage(vma, page, fresh);
        if (!MapPage(page, fresh, vma.Writable))
        {
            _pages.Release(fresh);
            return FaultResult.OutOfMemory;
        }
        DemandFaults++;
        return FaultResult.Handled;
    }

    /// <summary>Pages filled on first touch (statistics).</summary>
    public long DemandFaults { get; private set; }

    /// <summary>Pages copied on write after fork (statistics).</summary>
    public long CopiedOnWrite { get; private set; }

    private void FillPage(Vma vma, uint page, uint frame)
    {
        if (vma.Kind != VmaKind.File || vma.Source == null || page >= vma.SourceEnd)
        {
            _memory.Fill(frame, (int)PageSize, 0);
            return;
        }
        Span<byte> buffer = stackalloc byte[(int)PageSize];
        int valid = (int)Math.Min(PageSize, vma.SourceEnd - page);
        int got = vma.Source.Read(vma.SourceOffset + (page - vma.Start), buffer[..valid]);
        buffer[Math.Max(0, got)..].Clear();
        _memory.Write(frame, buffer);
    }

    private Vma? TryGrowStack(uint address)
    {
        int i = IndexAbove(address);
        if (i >= _vmas.Count) return null;
        var stack = _vmas[i];
        if (stack.Kind != VmaKind.Stack || address >= stack.Start) return null;
        uint page = address & FrameMask;
        if (stack.End - page > StackLimit) return null;
        if (i > 0 && (ulong)_vmas[i - 1].End + StackGuardGap > page) return null;
        stack.Start = page;
        return stack;
    }

    // ---------------------------------------------------------------- kernel access to user memory

    /// <summary>
    /// Translates a user address for a kernel access (copy_from_user / copy_to_user), faulting the page in as the
    /// CPU would; false means EFAULT.
    /// </summary>
    public bool TryTranslate(uint address, bool write, out uint physical)
    {
        physical = 0;
        if (address >= UserEnd) return false;
        uint pte = GetPte(address, out uint pteAddress);
        if (pteAddress == 0 || (pte & Present) == 0 || (write && (pte & ReadWrite) == 0))
        {
            if (HandleFault(address, write) != FaultResult.Handled) return false;
            pte = GetPte(address, out _);
        }
        physical = (pte & FrameMask) | (address & 0xFFF);
        return true;
    }

    /// <summary>Bytes copied to or from user memory by the kernel (the cost model charges per byte).</summary>
    public long BytesCopied { get; private set; }

    public bool CopyFromUser(uint address, Span<byte> destination)
    {
        BytesCopied += destination.Length;
        while (destination.Length > 0)
        {
            if (!TryTranslate(address, false, out uint pa)) return false;
            int chunk = (int)Math.Min((uint)destination.Length, PageSize - (address & 0xFFF));
            _memory.Read(pa, destination[..chunk]);
            destination = destination[chunk..];
            address += (uint)chunk;
        }
        return true;
    }

    public bool CopyToUser(uint address, ReadOnlySpan<byte> source)
    {
        BytesCopied += source.Length;
        while (source.Length > 0)
        {
            if (!TryTranslate(address, true, out uint pa)) return false;
            int chunk = (int)Math.Min((uint)source.Length, PageSize - (address & 0xFFF));
            _memory.Write(pa, source[..chunk]);
            source = source[chunk..];
            address += (uint)chunk;
        }
        return true;
    }

    public bool ClearUser(uint address, uint length)
    {
        while (length > 0)
        {
            if (!TryTranslate(address, true, out uint pa)) return false;
            uint chunk = Math.Min(length, PageSize - (address & 0xFFF));
            _memory.Fill(pa, (int)chunk, 0);
            length -= chunk;
            address += chunk;
        }
        return true;
    }

    public bool TryReadUInt32(uint address, out uint value)
    {
        value = 0;
        if ((address & 3) == 0 || (address & 0xFFF) <= 0xFFC)
        {
            if (!TryTranslate(address, false, out uint pa)) return false;
            value = _memory.ReadUInt32(pa);
            return true;
        }
        Span<byte> b = stackalloc byte[4];
        if (!CopyFromUser(address, b)) return false;
        value = BitConverter.ToUInt32(b);
        return true;
    }

    public bool TryWriteUInt32(uint address, uint value)
    {
        if ((address & 0xFFF) <= 0xFFC)
        {
            if (!TryTranslate(address, true, out uint pa)) return false;
            _memory.WriteUInt32(pa, value);
            return true;
        }
        Span<byte> b = stackalloc byte[4];
        BitConverter.TryWriteBytes(b, value);
        return CopyToUser(address, b);
    }

    /// <summary>Reads a NUL-terminated string (bytes kept one per char); ENAMETOOLONG past <paramref name="maxLength"/>.</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]   // every byte read is copied in first; zeroing 4 KiB per path was a cost
    public Errno ReadString(uint address, int maxLength, out string value)
    {
        value = "";
        Span<byte> text = maxLength <= 4096 ? stackalloc byte[maxLength] : new byte[maxLength];
        var err = ReadStringBytes(address, maxLength, text, out int length);
        if (err != Errno.None) return err;
        value = Encoding.Latin1.GetString(text[..length]);
        return Errno.None;
    }

    /// <summary>
    /// <see cref="ReadString(uint, int, out string)"/> into <paramref name="destination"/> (at least
    /// <paramref name="maxLength"/> chars) instead of a new string: a path that is only resolved needs no string.
    /// </summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    public Errno ReadString(uint address, int maxLength, Span<char> destination, out int length)
    {
        Span<byte> text = maxLength <= 4096 ? stackalloc byte[maxLength] : new byte[maxLength];
        var err = ReadStringBytes(address, maxLength, text, out length);
        if (err != Errno.None) return err;
        for (int i = 0; i < length; i++) destination[i] = (char)text[i];
        return Errno.None;
    }

    [System.Runtime.CompilerServices.SkipLocalsInit]
    private Errno ReadStringBytes(uint address, int maxLength, Span<byte> text, out int length)
    {
        // Copied in chunks of at most 256 bytes that stay inside a page, as before: the bytes copied (and so the emulated
        // cost of the copy) and where a fault is detected must not change. The characters go straight into one buffer
        // (paths are read on every open and stat: a StringBuilder per call was a measurable share of busybox find).
        Span<byte> spare = stackalloc byte[256];
        length = 0;
        while (true)
        {
            int n = (int)Math.Min(256u, PageSize - (address & 0xFFF));
            if (length + n <= text.Length)
            {
                var chunk = text.Slice(length, n);
                if (!CopyFromUser(address, chunk)) return Errno.EFAULT;
                int nul = chunk.IndexOf((byte)0);
                int take = nul >= 0 ? nul : n;
                if (length + take >= maxLength) return Errno.ENAMETOOLONG;
                length += take;
                if (nul >= 0) break;
            }
            else
            {
                // The last chunk would overrun the buffer: only a NUL inside the room left can end the string.
                var chunk = spare[..n];
                if (!CopyFromUser(address, chunk)) return Errno.EFAULT;
                int nul = chunk.IndexOf((byte)0);
                int take = nul >= 0 ? nul : n;
                if (length + take >= maxLength) return Errno.ENAMETOOLONG;
                chunk[..take].CopyTo(text[length..]);
                length += take;
                if (nul >= 0) break;
            }
            address += (uint)n;
        }
        return Errno.None;
    }

    // ---------------------------------------------------------------- fork, exit

    /// <summary>A copy for fork: shared areas share frames; private pages become copy-on-write in both spaces.</summary>
    public AddressSpace Fork()
    {
        var child = new AddressSpace(_memory, _pages, _kernel, Isolated)
        {
            BrkStart = BrkStart, Brk = Brk, MmapTop = MmapTop, StackLimit = StackLimit, StackGuardGap = StackGuardGap,
        };
        foreach (var v in _vmas)
        {
            child._vmas.Add(v.Clone());
            for (uint page = v.Start; page < v.End; page += PageSize)
            {
                uint pte = GetPte(page, out uint pteAddress);
                if (pteAddress == 0)
                {
                    uint next = (page & 0xFFC00000) + 0x400000;
                    if (next == 0 || next >= v.End) break;
                    page = next - PageSize;
                    continue;
                }
                if ((pte & (Present | Retained)) == 0) continue;
                uint frame = pte & FrameMask;
                if (!v.Shared && (pte & ReadWrite) != 0)
                {
                    pte &= ~ReadWrite;
                    _memory.WriteUInt32(pteAddress, pte);
                }
                if (!child.TryEnsurePageTable(page, out uint childPte))
                {
                    child.Dispose();
                    throw new OutOfMemoryException("no physical page for a page table during fork");
                }
                _pages.AddReference(frame);
                _memory.WriteUInt32(childPte, pte);
                child.ResidentPages++;
            }
        }
        Tlb?.FlushAll();
        return child;
    }

    /// <summary>Releases every user page and page table (exit, execve).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var v in _vmas) ReleasePages(v.Start, v.End);
        _vmas.Clear();
        for (uint i = 0; i < UserEnd >> 22; i++)
        {
            uint pde = _memory.ReadUInt32(PageDirectory + i * 4);
            if ((pde & Present) != 0) _pages.Release(pde & FrameMask);
        }
        _pages.Release(PageDirectory);
        if (UserPageDirectory != 0) _pages.Release(UserPageDirectory);
    }

    public override string ToString() => string.Join('\n', _vmas);
}
