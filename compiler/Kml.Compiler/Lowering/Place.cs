using Kml.Compiler.Ir;
using Kml.Compiler.Types;

namespace Kml.Compiler.Lowering;

/// <summary>
/// A storage location a C# expression denotes (an lvalue): registers (locals, parameters, a struct's this),
/// a field of an object or of the statics, an array element. Its base parts are evaluated once, when the place
/// is made, so reading and writing it later (compound assignment, a struct method's copy-out) does not
/// evaluate them again.
/// </summary>
internal abstract class Place(Shape shape)
{
    /// <summary>The shape of the value stored here.</summary>
    public Shape Shape { get; } = shape;

    /// <summary>Reads the value (emitting loads and checks).</summary>
    public abstract Opnd[] Load(MethodLowering m);

    /// <summary>Writes the value.</summary>
    public abstract void Store(MethodLowering m, Opnd[] value);

    /// <summary>The place of a field of the struct stored here.</summary>
    public abstract Place Field(MethodLowering m, FieldSlot field);

    /// <summary>Whether a struct method called on this place works on a copy (a readonly field: C#'s defensive copy,
    /// or a value with no storage): its changes are not stored back.</summary>
    public virtual bool IsReadOnlyCopy => false;
}

/// <summary>Virtual registers: a local, a parameter, a flow capture, the leaves of a struct's this.</summary>
internal sealed class RegisterPlace(VReg[] leaves, int first, Shape shape) : Place(shape)
{
    public VReg[] Leaves { get; } = leaves;
    public int First { get; } = first;

    public override Opnd[] Load(MethodLowering m)
    {
        // A snapshot: a later write to the local must not change a value already read.
        var result = new Opnd[Shape.Count];
        for (var i = 0; i < result.Length; i++) result[i] = m.Copy(Leaves[First + i]);
        return result;
    }

    public override void Store(MethodLowering m, Opnd[] value)
    {
        for (var i = 0; i < value.Length; i++) m.Move(Leaves[First + i], value[i]);
    }

    public override Place Field(MethodLowering m, FieldSlot field) => new RegisterPlace(Leaves, First + field.FirstLeaf, field.Shape);
}

/// <summary>A value with no storage (an rvalue receiver of a struct method): writes are dropped.</summary>
internal sealed class ValuePlace(Opnd[] value, Shape shape, int first = 0) : Place(shape)
{
    public override Opnd[] Load(MethodLowering m) => value[first..(first + Shape.Count)];
    public override void Store(MethodLowering m, Opnd[] v) { }
    public override Place Field(MethodLowering m, FieldSlot field) => new ValuePlace(value, field.Shape, first + field.FirstLeaf);
    public override bool IsReadOnlyCopy => true;
}

/// <summary>Memory at base + offset: a field of an object (base a pointer register) or a static (base the statics object).</summary>
internal sealed class MemoryPlace(Opnd baseAddress, int offset, Shape shape, bool nullCheck, bool readOnlyCopy = false) : Place(shape)
{
    public override Opnd[] Load(MethodLowering m)
    {
        var result = new Opnd[Shape.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var leaf = Shape.Leaves[i];
            result[i] = m.Load(baseAddress, offset + leaf.Offset, leaf, nullCheck && i == 0);
        }
        return result;
    }

    public override void Store(MethodLowering m, Opnd[] value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var leaf = Shape.Leaves[i];
            m.Store(baseAddress, offset + leaf.Offset, leaf.Kind, value[i], nullCheck && i == 0);
        }
    }

    public override Place Field(MethodLowering m, FieldSlot field) => new MemoryPlace(baseAddress, offset + field.Offset, field.Shape, nullCheck, readOnlyCopy);

    public override bool IsReadOnlyCopy => readOnlyCopy;
}

/// <summary>An array element (or a field inside it), or a char of a string: bounds checked on every access.</summary>
internal sealed class ElementPlace(VReg array, VReg index, int elemSize, int offset, Shape shape, bool nullCheck, bool readOnlyCopy = false) : Place(shape)
{
    public override Opnd[] Load(MethodLowering m)
    {
        var result = new Opnd[Shape.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var leaf = Shape.Leaves[i];
            result[i] = m.LoadElement(array, index, elemSize, offset + leaf.Offset, leaf, nullCheck && i == 0);
        }
        return result;
    }

    public override void Store(MethodLowering m, Opnd[] value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var leaf = Shape.Leaves[i];
            m.StoreElement(array, index, elemSize, offset + leaf.Offset, leaf.Kind, value[i], nullCheck && i == 0);
        }
    }

    public override Place Field(MethodLowering m, FieldSlot field) => new ElementPlace(array, index, elemSize, offset + field.Offset, field.Shape, nullCheck, readOnlyCopy);

    public override bool IsReadOnlyCopy => readOnlyCopy;
}

/// <summary>A property with accessors (not an auto-property): reads call the getter, writes the setter.</summary>
internal sealed class PropertyPlace(Microsoft.CodeAnalysis.IPropertySymbol property, Place? receiver, Shape shape) : Place(shape)
{
    public override Opnd[] Load(MethodLowering m) => m.CallAccessor(property.GetMethod!, receiver, []);

    public override void Store(MethodLowering m, Opnd[] value) => m.CallAccessor(property.SetMethod!, receiver, value);

    public override Place Field(MethodLowering m, FieldSlot field) => new ValuePlace(Load(m), Shape).Field(m, field);
}
