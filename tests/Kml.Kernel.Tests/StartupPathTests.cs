using Kml.Kernel.Memory;
using Kml.Kernel.Platform;
using Shouldly;
using Xunit;

namespace Kml.Kernel.Tests;

/// <summary>The start-up path's hand-written replacements for framework generics must compute what those did.</summary>
public sealed class StartupPathTests
{
    [Theory]
    [InlineData(0ul, 1_000_000_000ul, 3_000_000_000ul)]
    [InlineData(2_999_999_999ul, 1_000_000_000ul, 3_000_000_000ul)]
    [InlineData(123_456_789_012_345ul, 1_000_000_000ul, 3_000_000_000ul)]
    [InlineData(ulong.MaxValue, 1_000_000_000ul, 3_000_000_000ul)]
    [InlineData(ulong.MaxValue, 3_000_000_000ul, 1_000_000_000ul)]
    [InlineData(987_654_321_987ul, 3_000_000_000ul, 1_000_000_000ul)]
    [InlineData(ulong.MaxValue - 7, 20_000_000_000ul, 1_000_000_000ul)]   // div × mul beyond 64 bits: the 128-bit path
    [InlineData(5ul, 0ul, 7ul)]
    public void CpuClock_MulDiv_EqualsThe128BitQuotient_LowBits(ulong value, ulong mul, ulong div)
    {
        CpuClock.MulDiv(value, mul, div).ShouldBe((ulong)((UInt128)value * mul / div));
    }

    [Fact]
    public void CpuClock_MulDiv_EqualsThe128BitQuotient_OnRandomValues()
    {
        var random = new Random(7);
        foreach (ulong hz in new ulong[] { 3_000_000_000, 2_400_000_000, 1_000_000_000, 17_000_000_000 })
            for (int i = 0; i < 10_000; i++)
            {
                ulong value = (ulong)random.NextInt64() << random.Next(2);
                CpuClock.MulDiv(value, 1_000_000_000, hz).ShouldBe((ulong)((UInt128)value * 1_000_000_000 / hz));
                CpuClock.MulDiv(value, hz, 1_000_000_000).ShouldBe((ulong)((UInt128)value * hz / 1_000_000_000));
            }
    }

    [Fact]
    public void PageAllocator_HandsOutFramesLowestFirst_ThenTheLastReleased()
    {
        var pages = new PageAllocator(0x10000, 0x16000);
        pages.TotalCount.ShouldBe(6);
        var got = new List<uint>();
        while (pages.TryAllocate(out uint frame)) got.Add(frame);
        got.ShouldBe([0x10000u, 0x11000, 0x12000, 0x13000, 0x14000, 0x15000]);
        pages.FreeCount.ShouldBe(0);
        pages.PeakUsed.ShouldBe(6);
        pages.Release(0x12000);
        pages.Release(0x14000);
        pages.FreeCount.ShouldBe(2);
        pages.TryAllocate(out uint a).ShouldBeTrue();
        pages.TryAllocate(out uint b).ShouldBeTrue();
        (a, b).ShouldBe((0x14000u, 0x12000u));
        pages.TryAllocate(out _).ShouldBeFalse();
    }

    [Fact]
    public void PageAllocator_MixesReleasedAndFreshFrames_AsOneStackWould()
    {
        var pages = new PageAllocator(0x10000, 0x20000);
        pages.TryAllocate(out uint first).ShouldBeTrue();
        pages.TryAllocate(out uint second).ShouldBeTrue();
        pages.Release(first);
        pages.TryAllocate(out uint again).ShouldBeTrue();
        again.ShouldBe(first);
        pages.TryAllocate(out uint fresh).ShouldBeTrue();
        fresh.ShouldBe(second + PageAllocator.PageSize);
        pages.FreeCount.ShouldBe(pages.TotalCount - 3);
    }
}
