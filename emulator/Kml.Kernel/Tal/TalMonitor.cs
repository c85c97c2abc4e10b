using System.Buffers.Binary;
using System.Collections;
using Kml.Kernel.Memory;
using Kml.Machine;
using Kml.Tal;
using Kml.Tal.Types;

namespace Kml.Kernel.Tal;

/// <summary>
/// The run-time safety monitor of a TAL process (<c>kml run --monitor</c>, and the fuzzer's oracle), attached to the
/// CPU as its <see cref="IMachineObserver"/> while the process runs. It knows what the checker promised and checks
/// that the running program keeps it:
/// <list type="bullet">
/// <item>every data access of the program lands in its own memory, consistent with the types: inside one cell of one
/// static or heap object (never across cells, into padding, the length header for writing, or part of a pointer),
/// writes only to mutable cells outside .rodata, the import table only read slot by slot, the stack only at or above
/// esp − 16 (a push, or an interrupt frame in ring 0) and never above its top; the null page and the stack guard are
/// allowed because they trap; nothing else (not .text, not kernel memory, not the trampolines);</item>
/// <item>every pointer the program reads from memory, and every pointer its registers or stack slots hold where an
/// annotation names a type, is null (if nullable) or the start of a live object of a fitting type; len, index and eoff
/// values agree with their array; every return address follows a call;</item>
/// <item>every control transfer of the program lands on an instruction start of the checker's linear decode (jumps and
/// calls on annotated labels, returns right after a call), or on its import slot's kernel entry through that slot,
/// which must return exactly behind the call; nothing enters or leaves otherwise.</item>
/// </list>
/// Code that is not the program's (the kernel's stubs, the ring-3 trampolines, interrupt delivery) is followed only
/// through the transfers into and out of it. The first violation stops the machine (<see cref="Cpu.RequestStop"/>).
/// With no monitor attached the CPU runs at full speed: the cost is only paid under <c>--monitor</c>.
/// </summary>
internal sealed class TalMonitor : IMachineObserver
{
    private readonly TalProcess _tal;
    private readonly Cpu _cpu;
    private readonly Action<TalViolation> _report;
    private readonly uint _textStart, _textEnd, _entry;
    private readonly BitArray _starts;
    private readonly byte[] _text;
    private readonly uint _tableStart, _tableEnd;
    private readonly Dictionary<uint, int> _slotOfEntry = [];
    private readonly IReadOnlyList<TalObjectInfo> _statics;

    private bool _inProgram, _started, _stopped;
    private uint _expectedReturn;
    private string? _pendingDelivery;
    private (uint Address, PtrType Type, string Where) _pendingPointer;
    private bool _hasPendingPointer;
    private int _pendingSlot = -1;
    private uint _block;

    public TalMonitor(TalProcess tal, Cpu cpu, Action<TalViolation> report)
    {
        _tal = tal;
        _cpu = cpu;
        _report = report;
        var obj = tal.Program.Object!;
        _text = obj.Text.Bytes;
        _textStart = obj.Text.Address;
        _textEnd = obj.Text.Address + (uint)obj.Text.Bytes.Length;
        _entry = obj.Entry;
        _starts = tal.Program.Check.InstructionStarts;
        if (obj.Imports is { } imports)
        {
            _tableStart = imports.Address;
            _tableEnd = imports.Address + (uint)imports.Bytes.Length;
        }
        for (int k = 0; k < tal.SlotEntries.Length; k++) _slotOfEntry[tal.SlotEntries[k]] = k;
        _statics = tal.Program.Statics;
    }

    /// <summary>What the monitor caught (it stops at the first, so usually one).</summary>
    public List<TalViolation> Violations { get; } = [];

    /// <summary>Data accesses seen.</summary>
    public long Accesses { get; private set; }

    /// <summary>Control transfers seen.</summary>
    public long Transfers { get; private set; }

    /// <summary>Checks what is still pending (a pointer stored by the last instruction) when the process ends.</summary>
    public void Finish()
    {
        if (_hasPendingPointer && !_stopped) CheckPendingPointer();
    }

    // ---------------------------------------------------------------- memory

    /// <inheritdoc/>
    public void OnMemoryAccess(uint linear, int size, bool write, int cpl)
    {
        Accesses++;
        if (!_inProgram || _stopped) return;
        if (_hasPendingPointer) CheckPendingPointer();
        if (_pendingDelivery != null)
        {
            // Between the IDT read that starts a delivery and the transfer that ends it, the CPU reads descriptors
            // and the TSS and pushes the frame: on the kernel stack (from ring 3) or just below esp (ring 0).
            if (linear >= KernelMappings.DirectMapBase || IsFramePush(linear)) return;
            Violation("memory", linear, $"the program read the IDT: {_pendingDelivery}");
            return;
        }
        if (_pendingSlot >= 0)
        {
            // Between the slot read of `call [slot]` and its transfer, only the push of the return address, or the
            // delivery of a fault that push took (the call then runs again).
            if (write && size == 4 && linear == _cpu.Esp - 4) return;
            if (!write && IsIdtEntry(linear))
            {
                _pendingSlot = -1;
                _pendingDelivery = $"read of {size} bytes at 0x{linear:x8}";
                return;
            }
            Violation("memory", linear, $"import slot {_pendingSlot} was read by something other than call [slot] (then a {(write ? "write" : "read")} at 0x{linear:x8})");
            return;
        }
        if (!write && IsIdtEntry(linear))
        {
            _pendingDelivery = $"read of {size} bytes at 0x{linear:x8}";
            return;
        }
        CheckAccess(linear, size, write);
    }

    private bool IsIdtEntry(uint linear)
    {
        var idt = _cpu.Idtr;
        return linear - idt.Base <= idt.Limit && (linear - idt.Base) % 4 == 0;
    }

    private bool IsFramePush(uint linear) => linear < _cpu.Esp && linear >= _cpu.Esp - 24;

    private void CheckAccess(uint linear, int size, bool write)
    {
        string what = write ? "write" : "read";
        ulong end = (ulong)linear + (uint)size;
        // The null page traps: that is how an implicit null check works.
        if (linear < TalLayout.NullGuard) return;
        var plan = _tal.Plan;
        if (linear >= plan.GuardLow && linear < plan.StackTop)
        {
            // The stack (and its guard, which traps). Checked code touches [esp + d] with d >= 0, pushes at esp − 4,
            // and in ring 0 an interrupt frame lands at most 16 bytes below esp.
            uint esp = _cpu.Esp;
            if (linear < esp - 16 && esp - 16 < esp)
                Violation("memory", linear, $"stack {what} of {size} bytes at 0x{linear:x8}, {esp - linear} bytes below esp 0x{esp:x8}");
            else if (end > plan.StackTop)
                Violation("memory", linear, $"stack {what} of {size} bytes at 0x{linear:x8} runs past the stack's top 0x{plan.StackTop:x8}");
            return;
        }
        var obj = FindObject(linear);
        if (obj == null)
        {
            if (linear >= _textStart && linear < _textEnd)
                Violation("memory", linear, $"data {what} of {size} bytes at 0x{linear:x8} inside .text");
            else if (linear >= _tableStart && linear < _tableEnd)
            {
                if (write || size != 4 || (linear - _tableStart) % 4 != 0)
                    Violation("memory", linear, $"{what} of {size} bytes at 0x{linear:x8} in the import table (only a call may read a slot)");
                else
                    _pendingSlot = (int)((linear - _tableStart) / 4);   // must be followed by the call through it
            }
            else
                Violation("memory", linear, $"{what} of {size} bytes at 0x{linear:x8}: {DescribeAddress(linear)}");
            return;
        }
        uint offset = linear - obj.Address;
        var reason = obj.FindCell(offset, size, out var cell, out _);
        if (reason != null)
        {
            Violation("memory", linear, $"{what} of {size} bytes at 0x{linear:x8} {reason}");
            return;
        }
        if (write)
        {
            if (obj.InReadOnlyMemory || !cell.Mutable)
            {
                Violation("memory", linear, $"write at 0x{linear:x8} to read-only {(obj.InReadOnlyMemory ? ".rodata " : "")}cell {cell.Name} of {obj.Describe()}");
                return;
            }
            if (cell.Pointer is { } stored)
            {
                // Observers run before the access: the stored value is checked at the next event.
                _pendingPointer = (linear, stored, $"pointer cell {cell.Name} of {obj.Describe()}");
                _hasPendingPointer = true;
            }
            return;
        }
        if (cell.Pointer is { } loaded && TryRead(linear, out uint value))
            CheckPointer(value, loaded, $"pointer cell {cell.Name} of {obj.Describe()} (read at 0x{linear:x8})", linear);
    }

    private void CheckPendingPointer()
    {
        _hasPendingPointer = false;
        var (address, type, where) = _pendingPointer;
        if (TryRead(address, out uint value)) CheckPointer(value, type, where, address);
    }

    private TalObjectInfo? FindObject(uint linear) => TalHeap.FindIn(_statics, linear) ?? _tal.Heap.Find(linear);

    private TalObjectInfo? ObjectAt(uint address)
    {
        var o = FindObject(address);
        return o != null && o.Address == address ? o : null;
    }

    private string DescribeAddress(uint linear)
    {
        if (linear >= KernelMappings.DirectMapBase) return "kernel memory";
        var plan = _tal.Plan;
        if (plan.TrampolineBytes > 0 && linear - plan.TrampolineStart < plan.TrampolineBytes) return "the kernel's trampolines";
        if (linear >= plan.HeapStart && linear < plan.HeapEnd) return "heap memory outside every object";
        if (FindObjectSection(linear) is { } section) return $"{section} outside every typed object";
        return "outside the program's memory";
    }

    private string? FindObjectSection(uint linear)
    {
        var obj = _tal.Program.Object!;
        if (obj.RoData is { } r && linear - r.Address < (uint)r.Bytes.Length) return ".rodata";
        if (obj.Data is { } d && linear - d.Address < (uint)d.Bytes.Length) return ".data";
        return null;
    }

    private bool TryRead(uint linear, out uint value)
    {
        Span<byte> b = stackalloc byte[4];
        value = 0;
        if (!_cpu.TryReadLinear(linear, b, user: false)) return false;
        value = BinaryPrimitives.ReadUInt32LittleEndian(b);
        return true;
    }

    // ---------------------------------------------------------------- types of values

    private void CheckPointer(uint value, PtrType type, string where, uint address)
    {
        if (value == 0)
        {
            if (!type.Nullable) Violation("memory", address, $"{where} holds null, but its type is {type}");
            return;
        }
        var target = ObjectAt(value);
        if (target == null)
        {
            var inside = FindObject(value);
            Violation("memory", address, $"{where} holds 0x{value:x8}, which is not the start of an object " +
                $"({(inside != null ? $"it points inside {inside.Describe()}" : DescribeAddress(value))}); its type is {type}");
            return;
        }
        if (!Fits(target, type.Target))
            Violation("memory", address, $"{where} points to {target.Describe()}, but its type is {type}");
    }

    private static bool Fits(TalObjectInfo obj, HeapType expected) => (obj.Type, expected) switch
    {
        (StructHeap a, StructHeap b) => a.Name == b.Name,
        (ArrayHeap a, ArrayHeap b) => b.ReadOnly ? FieldSub(a.Element, b.Element) : !obj.InReadOnlyMemory && a.Element == b.Element,
        _ => false,
    };

    private static bool FieldSub(FieldType x, FieldType y) =>
        x == y || (x is PointerField px && y is PointerField py && PtrSub(px.Pointer, py.Pointer));

    private static bool PtrSub(PtrType a, PtrType b) => (!a.Nullable || b.Nullable) && (a.Target, b.Target) switch
    {
        (StructHeap x, StructHeap y) => x.Name == y.Name,
        (ArrayHeap x, ArrayHeap y) => y.ReadOnly ? FieldSub(x.Element, y.Element) : !x.ReadOnly && x.Element == y.Element,
        _ => false,
    };

    /// <summary>Checks the registers and stack slots against a code type where it names something checkable.</summary>
    private void CheckState(CodeType type, string at)
    {
        for (int r = 0; r < Gpr.Count && !_stopped; r++)
        {
            if (r == Gpr.Esp) continue;
            CheckValue(_cpu.GetRegister(r), type.Registers[r], $"{Gpr.Name(r)} at {at}");
        }
        uint esp = _cpu.Esp;
        for (int j = 0; j < type.Slots.Length && !_stopped; j++)
        {
            var t = type.Slots[j];
            if (t is not (PtrType or NullType or RetType)) continue;
            if (!TryRead(esp + (uint)j * 4, out uint v)) continue;
            CheckValue(v, t, $"[esp+{j * 4}] at {at}");
        }
    }

    private void CheckValue(uint v, ValType t, string where)
    {
        switch (t)
        {
            case PtrType p:
                CheckPointer(v, p, where, v);
                break;
            case NullType when v != 0:
                Violation("memory", v, $"{where} holds 0x{v:x8}, but its type is null");
                break;
            case LenType or IndexType or ElemOffsetType:
            {
                var array = ObjectAt(_cpu.GetRegister(t.RefersTo));
                if (array is not { IsArray: true }) break;   // the array register itself is checked as a pointer
                bool ok = t switch
                {
                    LenType => v == array.Length,
                    IndexType => v < array.Length,
                    _ => v % (uint)array.ElementSize == 0 && v / (uint)array.ElementSize < array.Length,
                };
                if (!ok) Violation("memory", v, $"{where} holds {v}, but its type is {t} and {Gpr.Name(t.RefersTo)} points to an array of length {array.Length}");
                break;
            }
            case RetType when !FollowsCall(v, out _):
                Violation("control", v, $"{where} holds 0x{v:x8}, which is not a return address (the instruction after a call)");
                break;
        }
    }

    private bool IsStart(uint linear) => linear >= _textStart && linear < _textEnd && _starts[(int)(linear - _textStart)];

    /// <summary>Whether <paramref name="address"/> is right after a verified <c>call L</c> (E8 rel32); gives L.</summary>
    private bool FollowsCall(uint address, out uint callee)
    {
        callee = 0;
        if (!IsStart(address) || address - _textStart < 5 || !IsStart(address - 5)) return false;
        int at = (int)(address - 5 - _textStart);
        if (_text[at] != 0xE8) return false;
        callee = address + (uint)BinaryPrimitives.ReadInt32LittleEndian(_text.AsSpan(at + 1));
        return true;
    }

    // ---------------------------------------------------------------- control

    /// <inheritdoc/>
    public void OnControlTransfer(uint from, uint to, ControlTransferKind kind)
    {
        Transfers++;
        if (_stopped) return;
        if (_inProgram)
        {
            if (_hasPendingPointer) CheckPendingPointer();
            if (_pendingDelivery != null)
            {
                if (kind is ControlTransferKind.Interrupt or ControlTransferKind.TaskSwitch)
                {
                    _pendingDelivery = null;
                    FromProgram(from, to, kind);
                    return;
                }
                Violation("memory", from, $"the program read the IDT: {_pendingDelivery}");
                return;
            }
            if (_pendingSlot >= 0)
            {
                int slot = _pendingSlot;
                _pendingSlot = -1;
                if (kind != ControlTransferKind.Call || slot >= _tal.SlotEntries.Length || to != _tal.SlotEntries[slot])
                {
                    Violation("control", to, $"import slot {slot} was read, then {kind} from 0x{from:x8} to 0x{to:x8} instead of the call through it", from);
                    return;
                }
            }
            FromProgram(from, to, kind);
            return;
        }
        if (to < _textStart || to >= _textEnd) return;   // inside the kernel's stubs or the trampolines
        if (!_started)
        {
            _started = true;
            if (to != _entry) { Violation("control", to, $"the program started at 0x{to:x8}, not at its entry 0x{_entry:x8}", from); return; }
            _inProgram = true;
            _block = to;
            return;
        }
        if (!IsStart(to))
        {
            Violation("control", to, $"{kind} from 0x{from:x8} into the program at 0x{to:x8}, not an instruction start", from);
            return;
        }
        if (_expectedReturn != 0)
        {
            if (kind != ControlTransferKind.Return || to != _expectedReturn)
            {
                Violation("control", to, $"an import call came back by {kind} to 0x{to:x8} instead of returning to 0x{_expectedReturn:x8}", from);
                return;
            }
            _expectedReturn = 0;
        }
        _inProgram = true;
        _block = to;
    }

    private void FromProgram(uint from, uint to, ControlTransferKind kind)
    {
        switch (kind)
        {
            case ControlTransferKind.Jump:
            case ControlTransferKind.Branch:
            case ControlTransferKind.Call:
            case ControlTransferKind.Return:
                if (to >= _textStart && to < _textEnd)
                {
                    _block = to;
                    if (!IsStart(to))
                    {
                        Violation("control", to, $"{kind} from 0x{from:x8} to 0x{to:x8}, not an instruction start", from);
                        return;
                    }
                    if (kind == ControlTransferKind.Return)
                    {
                        if (!FollowsCall(to, out uint callee))
                        {
                            Violation("control", to, $"ret from 0x{from:x8} to 0x{to:x8}, which does not follow a call", from);
                            return;
                        }
                        if (_tal.Program.Labels.TryGetValue(callee - _textStart, out var f) && f.Type.Slots is [RetType ret, ..])
                            CheckState(ret.Continuation, $"the return to 0x{to:x8}");
                        return;
                    }
                    if (!_tal.Program.Labels.TryGetValue(to - _textStart, out var label))
                    {
                        Violation("control", to, $"{kind} from 0x{from:x8} to 0x{to:x8}, an instruction start without an annotation", from);
                        return;
                    }
                    CheckState(label.Type, $"{(label.Name.Length > 0 ? label.Name : $"0x{label.Offset:x4}")} (from 0x{from:x8})");
                    return;
                }
                if (kind == ControlTransferKind.Call && _slotOfEntry.TryGetValue(to, out int slot))
                {
                    // Only `call dword ptr [slot]` (FF 15 disp32) of this very slot may enter its kernel entry.
                    uint at = from - _textStart;
                    uint slotAddress = _tableStart + (uint)slot * 4;
                    if (!IsStart(from) || at + 6 > (uint)_text.Length || _text[at] != 0xFF || _text[at + 1] != 0x15
                        || BinaryPrimitives.ReadUInt32LittleEndian(_text.AsSpan((int)at + 2)) != slotAddress)
                    {
                        Violation("control", to, $"the kernel entry of import slot {slot} was reached from 0x{from:x8}, not by call [0x{slotAddress:x8}]", from);
                        return;
                    }
                    _expectedReturn = from + 6;
                    _inProgram = false;
                    return;
                }
                Violation("control", to, $"{kind} from 0x{from:x8} to 0x{to:x8}: {(to >= KernelMappings.DirectMapBase ? "kernel code that is no import entry" : "outside the program's code")}", from);
                return;
            case ControlTransferKind.Interrupt:
            case ControlTransferKind.TaskSwitch:
                // An exception, the timer, or the double fault of a ring-0 stack overflow: the kernel takes over. Never
                // int n, int3, into or int1: checked code enters the kernel only through its import table.
                if (IsStart(from) && _text[from - _textStart] is 0xCD or 0xCC or 0xCE or 0xF1)
                {
                    Violation("control", to, $"software interrupt at 0x{from:x8} (the kernel is entered only through the import table)", from);
                    return;
                }
                _inProgram = false;
                return;
            default:
                Violation("control", to, $"{kind} from 0x{from:x8} to 0x{to:x8}: the program may not do that", from);
                return;
        }
    }

    private void Violation(string kind, uint address, string detail, uint? eip = null)
    {
        if (_stopped) return;
        _stopped = true;
        // Memory accesses are reported without their instruction: name the block (the last transfer's target).
        var v = new TalViolation(kind, eip ?? _block, address, eip != null ? detail : detail + $" (in the block at 0x{_block:x8})");
        Violations.Add(v);
        _report(v);
        _cpu.RequestStop();
    }
}
