using Iced.Intel;
using Kml.Tal.Types;

namespace Kml.Tal.Checker;

// Memory operands: every access is proven in bounds and well typed before it is allowed.
public sealed partial class TalChecker
{
    private enum Place { StackSlot, Cell, Length }

    /// <summary>What a memory operand addresses.</summary>
    private readonly record struct Location(Place Place, int Slot, bool Partial, Cell? Cell, bool Writable, int ArrayReg);

    private ValType Load(int size)
    {
        var loc = Resolve(size);
        switch (loc.Place)
        {
            case Place.StackSlot:
                var t = S.Slot(loc.Slot);
                if (t is JunkType) throw new Reject(Rules.StackUninit, $"[esp+{4 * loc.Slot}]: expected a value, found uninit");
                if (loc.Partial)
                {
                    if (!t.IsInt) throw new Reject(Rules.NotInteger, $"[esp+{4 * loc.Slot}]: expected int, found {t}");
                    return IntType.Instance;
                }
                return t;
            case Place.Length:
                return loc.ArrayReg >= 0 ? Refinements.Len(loc.ArrayReg) : IntType.Instance;
            default:
                return loc.Cell!.Pointer ?? (ValType)IntType.Instance;
        }
    }

    private void Store(int size, ValType value)
    {
        var loc = Resolve(size);
        switch (loc.Place)
        {
            case Place.StackSlot:
                if (loc.Partial)
                {
                    var old = S.Slot(loc.Slot);
                    if (!old.IsInt) throw new Reject(Rules.PartialWrite, $"[esp+{4 * loc.Slot}]: expected int, found {old}");
                    S.SetSlot(loc.Slot, IntType.Instance);
                }
                else S.SetSlot(loc.Slot, Subtyping.Degrade(value));
                return;
            case Place.Length:
                throw new Reject(Rules.ReadOnly, "expected a mutable field, found the array length");
            default:
                var c = loc.Cell!;
                if (!loc.Writable) throw new Reject(Rules.ReadOnly, $"expected a mutable field, found {c.Name} ({c.Pointer?.ToString() ?? "int"}, read-only)");
                if (c.Pointer is { } p ? !Subtyping.Sub(value, p) : !value.IsInt)
                    throw new Reject(Rules.StoreType, $"{c.Name}: expected {c.Pointer?.ToString() ?? "int"}, found {value}");
                return;
        }
    }

    /// <summary>Resolves the current instruction's memory operand for an access of <paramref name="size"/> bytes.</summary>
    private Location Resolve(int size)
    {
        var disp = (int)_ins.MemoryDisplacement32;
        var baseReg = _ins.MemoryBase;
        var indexReg = _ins.MemoryIndex;
        if (baseReg == Register.ESP) return ResolveStack(disp, size, indexReg);
        if (baseReg == Register.None && indexReg == Register.None) return ResolveStatic((uint)disp, size);

        var b = baseReg == Register.None ? -1 : Gp32(baseReg);
        var x = indexReg == Register.None ? -1 : Gp32(indexReg);
        var scale = _ins.MemoryIndexScale;
        ValType? bt = b >= 0 ? S.Regs[b] : null;
        ValType? xt = x >= 0 ? S.Regs[x] : null;
        // [t + arr] with scale 1 is [arr + t].
        if (bt is not PtrType && xt is PtrType && scale == 1) { (b, x, bt, xt) = (x, b, xt, bt); }
        if (bt is not PtrType p)
            throw new Reject(bt is JunkType ? Rules.Uninitialised : Rules.NotPointer, $"{(b >= 0 ? Gpr.Name(b) : "address")}: expected a pointer, found {bt?.ToString() ?? "no base register"}");

        switch (p.Target)
        {
            case StructHeap s:
                if (x >= 0) throw new Reject(Rules.NotPointer, $"expected [{Gpr.Name(b)} + constant], found an index register ({Gpr.Name(x)}) with {p}");
                if (p.Nullable && (disp < 0 || (long)disp + size > TalLayout.NullGuard))
                    throw new Reject(Rules.NullablePointer, $"{Gpr.Name(b)}: expected a displacement in 0..{TalLayout.NullGuard - size} for {p}, found {disp}");
                var cell = Lookup(_ctx.Layouts.Cells(s.Name), disp, size, s.Name);
                return new Location(Place.Cell, 0, false, cell, cell.Mutable, -1);

            case ArrayHeap a:
                if (x < 0)
                {
                    if (disp == 0 && size == 4) return new Location(Place.Length, 0, false, null, false, b);
                    throw new Reject(Rules.Unproven, $"expected an index register for {Gpr.Name(b)}: {p}, found [{Gpr.Name(b)}{Signed(disp)}]");
                }
                var elemSize = _ctx.Layouts.SizeOf(a.Element);
                var proven = (xt is IndexType it && it.Array == b && scale == elemSize) || (xt is ElemOffsetType e && e.Array == b && scale == 1);
                if (!proven)
                    throw new Reject(Rules.Unproven, $"{Gpr.Name(x)}: expected index({Gpr.Name(b)}) scaled by {elemSize} or eoff({Gpr.Name(b)}), found {xt} scaled by {scale}");
                var off = disp - TalLayout.ArrayHeader;
                if (off < 0 || (long)off + size > elemSize)
                    throw new Reject(Rules.ElementRange, $"expected a displacement in {TalLayout.ArrayHeader}..{TalLayout.ArrayHeader + elemSize - size} for {size} bytes of {a.Element}, found {disp}");
                var ec = Lookup(_ctx.ElementCells(a.Element), off, size, a.Element.ToString());
                return new Location(Place.Cell, 0, false, ec, !a.ReadOnly && ec.Mutable, -1);
        }
        throw new Reject(Rules.NotPointer, $"expected a pointer, found {p}");
    }

    private static string Signed(int d) => d < 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "+" + d.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Location ResolveStack(int disp, int size, Register index)
    {
        if (index != Register.None) throw new Reject(Rules.EspUse, "expected [esp + constant], found an index register");
        var frame = 4 * S.Depth;
        if (disp < 0 || (long)disp + size > frame)
            throw new Reject(Rules.StackOutside, $"expected [esp+0] to [esp+{Math.Max(frame - size, 0)}], found [esp{Signed(disp)}]");
        var slot = disp / 4;
        var within = disp % 4;
        if (within + size > 4) throw new Reject(Rules.StackMisaligned, $"expected an access inside one 4-byte slot, found {size} bytes at [esp{Signed(disp)}]");
        // A successful access at esp+disp proves that address is mapped stack.
        S.Unprobed = Math.Min(S.Unprobed, disp);
        return new Location(Place.StackSlot, slot, size < 4, null, true, -1);
    }

    private Location ResolveStatic(uint address, int size)
    {
        var o = _ctx.StaticAt(address);
        if (o is null || (ulong)address + (ulong)size > o.End)
            throw new Reject(Rules.NotStatic, $"expected an address inside a typed data object, found 0x{address:x8}");
        var rel = (int)(address - o.Object.Address);
        if (o.Object.Struct is not null)
        {
            var cell = Lookup(o.Cells, rel, size, o.Object.Struct);
            return new Location(Place.Cell, 0, false, cell, !o.ReadOnly && cell.Mutable, -1);
        }
        if (rel < TalLayout.ArrayHeader)
        {
            if (rel == 0 && size == 4) return new Location(Place.Length, 0, false, null, false, -1);
            throw new Reject(Rules.MisalignedField, $"expected a 4-byte read of the length of {o.Object.Name}, found {size} bytes at +{rel}");
        }
        var inElement = (rel - TalLayout.ArrayHeader) % o.ElementSize;
        var c = Lookup(o.Cells, inElement, size, o.Object.Element!.ToString());
        return new Location(Place.Cell, 0, false, c, !o.ReadOnly && c.Mutable, -1);
    }

    /// <summary>The cell an access of <paramref name="size"/> bytes at <paramref name="off"/> falls in: pointers only whole, integers any part.</summary>
    private static Cell Lookup(Cell[] cells, int off, int size, string what)
    {
        foreach (var c in cells)
        {
            if (off < c.Offset || off >= c.Offset + c.Size) continue;
            if (c.Pointer is not null && (off != c.Offset || size != 4))
                throw new Reject(Rules.MisalignedField, $"expected 4 bytes at +{c.Offset} ({c.Name}: {c.Pointer}), found {size} bytes at +{off}");
            if (off + size > c.Offset + c.Size)
                throw new Reject(Rules.MisalignedField, $"expected at most {c.Offset + c.Size - off} bytes at +{off} ({c.Name}), found {size}");
            return c;
        }
        throw new Reject(Rules.NoField, $"expected a field of {what}, found offset {Signed(off)}");
    }
}
