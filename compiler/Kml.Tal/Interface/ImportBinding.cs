using Kml.Tal.Annotations;
using Kml.Tal.Elf;
using Kml.Tal.Types;

namespace Kml.Tal.Interface;

/// <summary>
/// What the loader needs to fill import slot k: the slot's address, the entry, its signature and, for the
/// allocators, the byte size of the object or of one array element. Derive it only from an object the
/// checker accepted (the checker has validated every name, type argument and layout used here).
/// </summary>
/// <param name="SlotAddress">Address of the 4-byte slot in .kml.imports.</param>
/// <param name="Entry">The kernel entry point.</param>
/// <param name="TypeArgument">alloc's struct or alloc_array's element type, else null.</param>
/// <param name="AllocationSize">alloc: the struct's size; alloc_array: the element size; else 0.</param>
public sealed record ImportBinding(uint SlotAddress, ImportSignature Entry, FieldType? TypeArgument, int AllocationSize)
{
    /// <summary>The bindings of an accepted object's import table, in slot order.</summary>
    public static IReadOnlyList<ImportBinding> For(TalObject accepted)
    {
        var annotations = AnnotationReader.Read(accepted.Annotations);
        var layouts = new Layouts(annotations.Structs.Concat(KernelInterface.Records));
        var list = new List<ImportBinding>(annotations.Imports.Count);
        for (var k = 0; k < annotations.Imports.Count; k++)
        {
            var import = annotations.Imports[k];
            if (!KernelInterface.Entries.TryGetValue(import.Name, out var entry))
                throw new InvalidDataException($"import {k}: no kernel entry point {import.Name} (was the object checked?)");
            var size = import.TypeArgument is null ? 0 : layouts.SizeOf(import.TypeArgument);
            list.Add(new ImportBinding(annotations.ImportTable + 4u * (uint)k, entry, import.TypeArgument, size));
        }
        return list;
    }
}
