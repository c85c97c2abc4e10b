using Kml.Kernel.Abi;
using Kml.Kernel.Memory;
using Kml.Kernel.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.Kernel.Tests;

public sealed class AddressSpaceTests
{
    private static (KmlKernel Kernel, AddressSpace Space) Make()
    {
        var k = TestKernel.Create();
        return (k, k.NewAddressSpace());
    }

    [Fact]
    public void AnonymousMemory_IsZero_OnFirstTouch()
    {
        var (k, s) = Make();
        using var kernel = k;
        s.AddArea(new Vma { Start = 0x1000_0000, End = 0x1000_4000, Protection = 3, Kind = VmaKind.Anonymous });
        s.ResidentPages.ShouldBe(0);
        s.TryReadUInt32(0x1000_2000, out uint v).ShouldBeTrue();
        v.ShouldBe(0u);
        s.ResidentPages.ShouldBe(1);
        s.TryReadUInt32(0x1000_4000, out _).ShouldBeFalse();
    }

    [Fact]
    public void Fork_CopiesOnWrite()
    {
        var (k, parent) = Make();
        using var kernel = k;
        parent.AddArea(new Vma { Start = 0x1000_0000, End = 0x1000_1000, Protection = 3, Kind = VmaKind.Anonymous });
        parent.TryWriteUInt32(0x1000_0000, 111).ShouldBeTrue();
        var child = parent.Fork();
        child.TryWriteUInt32(0x1000_0000, 222).ShouldBeTrue();
        parent.TryReadUInt32(0x1000_0000, out uint p).ShouldBeTrue();
        child.TryReadUInt32(0x1000_0000, out uint c).ShouldBeTrue();
        p.ShouldBe(111u);
        c.ShouldBe(222u);
        child.CopiedOnWrite.ShouldBe(1);
        parent.TryWriteUInt32(0x1000_0000, 333).ShouldBeTrue();
        parent.CopiedOnWrite.ShouldBe(0);   // the last user of the frame writes in place
        child.Dispose();
    }

    [Fact]
    public void Mprotect_ReadOnly_RefusesWrites()
    {
        var (k, s) = Make();
        using var kernel = k;
        s.AddArea(new Vma { Start = 0x1000_0000, End = 0x1000_2000, Protection = 3, Kind = VmaKind.Anonymous });
        s.TryWriteUInt32(0x1000_0000, 5).ShouldBeTrue();
        s.Protect(0x1000_0000, 0x1000, Mman.ProtRead).ShouldBe(Errno.None);
        s.Areas.Count.ShouldBe(2);
        s.HandleFault(0x1000_0000, write: true).ShouldBe(FaultResult.AccessDenied);
        s.TryReadUInt32(0x1000_0000, out uint v).ShouldBeTrue();
        v.ShouldBe(5u);
        s.TryWriteUInt32(0x1000_1000, 6).ShouldBeTrue();
        s.Protect(0x1000_0000, 0x3000, Mman.ProtRead).ShouldBe(Errno.ENOMEM);
    }

    [Fact]
    public void Stack_GrowsDown_WithinItsLimit()
    {
        var (k, s) = Make();
        using var kernel = k;
        s.StackLimit = 1 << 20;
        s.AddArea(new Vma { Start = 0xBFFF_0000, End = 0xC000_0000, Protection = 3, Kind = VmaKind.Stack });
        s.HandleFault(0xBFF8_0000, write: true).ShouldBe(FaultResult.Handled);
        s.Find(0xBFF8_0000)!.Kind.ShouldBe(VmaKind.Stack);
        s.HandleFault(0xBFE0_0000, write: true).ShouldBe(FaultResult.NotMapped);
    }

    [Fact]
    public void Unmap_ReturnsFrames()
    {
        var (k, s) = Make();
        using var kernel = k;
        int before = k.Pages.FreeCount;
        s.AddArea(new Vma { Start = 0x1000_0000, End = 0x1010_0000, Protection = 3, Kind = VmaKind.Anonymous });
        for (uint a = 0x1000_0000; a < 0x1010_0000; a += 4096) s.TryWriteUInt32(a, a).ShouldBeTrue();
        k.Pages.FreeCount.ShouldBeLessThan(before - 256);
        s.Unmap(0x1000_0000, 0x10_0000);
        s.TryReadUInt32(0x1000_0000, out _).ShouldBeFalse();
        k.Pages.FreeCount.ShouldBe(before - 1);   // the page table stays until the address space dies
    }

    [Fact]
    public void Brk_GrowsAndShrinks()
    {
        var (k, s) = Make();
        using var kernel = k;
        s.BrkStart = s.Brk = 0x0805_0000;
        s.SetBrk(0x0805_3000).ShouldBe(0x0805_3000u);
        s.TryWriteUInt32(0x0805_2FFC, 1).ShouldBeTrue();
        s.SetBrk(0x0805_1000).ShouldBe(0x0805_1000u);
        s.TryReadUInt32(0x0805_2000, out _).ShouldBeFalse();
        s.SetBrk(0x0804_0000).ShouldBe(0x0805_1000u);
    }
}
