using Kml.Compiler.Diagnostics;
using Kml.Compiler.Ir;
using Kml.Compiler.Types;
using Kml.Tal.Interface;
using Kml.Tal.Lines;
using Kml.Tal.Types;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kml.Compiler.Lowering;

/// <summary>
/// The library surface (docs/subset.md) mapped onto the runtime's routines and inline code, and the runtime's
/// primitives: <c>Kml.KernelCalls</c> (one method per kernel entry point) and <c>Kml.StringOps.Freeze</c>
/// (a char[] the runtime will not change again, viewed as a string without copying).
/// </summary>
internal sealed class Intrinsics(ProgramLowering program)
{
    /// <summary>KernelCalls' methods and the entry points they call.</summary>
    public static readonly IReadOnlyDictionary<string, string> KernelCalls = new Dictionary<string, string>
    {
        ["Exit"] = "exit", ["Read"] = "read", ["Write"] = "write", ["Open"] = "open", ["Close"] = "close", ["Seek"] = "lseek",
        ["ReadDirectory"] = "getdents", ["Stat"] = "stat", ["StatDescriptor"] = "fstat", ["Socket"] = "socket", ["Bind"] = "bind",
        ["Listen"] = "listen", ["Accept"] = "accept", ["Connect"] = "connect", ["ProcessId"] = "getpid", ["ClockGetTime"] = "clock_gettime",
        ["Seek64"] = "llseek", ["Truncate"] = "ftruncate", ["Unlink"] = "unlink", ["MakeDirectory"] = "mkdir", ["RemoveDirectory"] = "rmdir",
        ["LinkStat"] = "lstat", ["Send"] = "send", ["Receive"] = "recv", ["Shutdown"] = "shutdown", ["SetSocketOption"] = "setsockopt",
        ["GetSocketName"] = "getsockname", ["ArgumentCount"] = "argc", ["Argument"] = "arg",
    };

    public Opnd[]? Invoke(MethodLowering m, IInvocationOperation inv)
    {
        var method = inv.TargetMethod;
        var type = method.ContainingType;
        var typeName = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        if (typeName == "Kml.KernelCalls") return Kernel(m, inv);
        if (typeName == "Kml.StringOps" && method.Name == "Freeze") return m.ArgumentValues(inv)[0];
        if (method.Name == "ToString" && method.Parameters.Length == 0 && inv.Instance is { } value && IsPrimitive(value.Type))
            return [m.ToStringOf(m.Eval(value), value.Type!)];
        switch (typeName)
        {
            case "System.Console": return Console(m, inv);
            case "string": return String(m, inv);
            case "System.Math": return MathCall(m, inv);
            case "int" when method.Name == "Parse": return Parse(m, inv);
        }
        return null;
    }

    private static bool IsPrimitive(ITypeSymbol? t) => t is not null && (t.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_UInt64);

    private Opnd[] Kernel(MethodLowering m, IInvocationOperation inv)
    {
        var method = inv.TargetMethod;
        if (!KernelCalls.TryGetValue(method.Name, out var entry)) throw new InvalidOperationException($"KernelCalls.{method.Name} names no kernel entry point");
        var signature = KernelInterface.Entries[entry];
        var args = m.ArgumentValues(inv).SelectMany(a => a).ToArray();
        if (args.Length != signature.Parameters.Length) throw new InvalidOperationException($"KernelCalls.{method.Name}: {args.Length} arguments for {entry}");
        var result = m.CallImport(entry, null, args, signature.NoReturn || method.ReturnsVoid ? null : signature.Result);
        return method.ReturnsVoid ? [] : [result];
    }

    private Opnd[] Console(MethodLowering m, IInvocationOperation inv)
    {
        var method = inv.TargetMethod;
        var newLine = method.Name == "WriteLine";
        if (method.Parameters.Length == 1)
        {
            var v = m.ArgumentValues(inv)[0];
            var t = method.Parameters[0].Type;
            var long64 = program.Compilation.GetSpecialType(SpecialType.System_Int64);
            var ulong64 = program.Compilation.GetSpecialType(SpecialType.System_UInt64);
            Opnd line = Opnd.Const(newLine ? 1 : 0);
            switch (t.SpecialType)
            {
                case SpecialType.System_String: m.CallRuntime("Kml.ConsoleOut", "Write", 2, v[0], line); break;
                case SpecialType.System_Char: m.CallRuntime("Kml.ConsoleOut", "WriteChar", 2, v[0], line); break;
                case SpecialType.System_Boolean: m.CallRuntime("Kml.ConsoleOut", "WriteBoolean", 2, v[0], line); break;
                case SpecialType.System_Int32: m.CallRuntime("Kml.ConsoleOut", "WriteInt64", 2, [.. m.ConvertNumeric(v, t, long64), line]); break;
                case SpecialType.System_Int64: m.CallRuntime("Kml.ConsoleOut", "WriteInt64", 2, [.. v, line]); break;
                case SpecialType.System_UInt32: m.CallRuntime("Kml.ConsoleOut", "WriteUInt64", 2, [.. m.ConvertNumeric(v, t, ulong64), line]); break;
                case SpecialType.System_UInt64: m.CallRuntime("Kml.ConsoleOut", "WriteUInt64", 2, [.. v, line]); break;
                default: throw new NotSupportedException(CompilerMessages.Unsupported($"Console.{method.Name}({t})"));
            }
        }
        else if (method.Parameters.Length != 0) throw new NotSupportedException(CompilerMessages.Unsupported($"Console.{method.Name} with {method.Parameters.Length} arguments"));
        else if (newLine) m.CallRuntime("Kml.ConsoleOut", "NewLine", 0);
        return [];
    }

    private Opnd[] String(MethodLowering m, IInvocationOperation inv)
    {
        var method = inv.TargetMethod;
        if (method.Name == "Concat")
        {
            var values = m.ArgumentValues(inv);
            if (method.Parameters.Length == 1 && method.Parameters[0].Type is IArrayTypeSymbol)
            {
                m.PanicIf(Cond.Eq, values[0][0], Opnd.Const(0), RuntimeError.ArgumentNull);
                return m.CallRuntime("Kml.StringOps", "ConcatArray", 1, values[0]);
            }
            return [m.ConcatAll([.. values.Select(v => v[0])])];
        }
        var s = m.InReg(m.Eval1(inv.Instance!));
        var args = m.ArgumentValues(inv);
        switch (method.Name)
        {
            case "Substring":
            {
                var length = m.LoadLength(s);
                var start = args[0][0];
                Opnd count;
                if (args.Length == 1)
                {
                    m.PanicIf(Cond.Gtu, start, length, RuntimeError.ArgumentOutOfRange);
                    count = m.Binary(Op.Sub, length, start);
                }
                else
                {
                    count = args[1][0];
                    // count in 0..length, then start in 0..length - count (unsigned compares catch negatives).
                    m.PanicIf(Cond.Gtu, count, length, RuntimeError.ArgumentOutOfRange);
                    var room = m.Binary(Op.Sub, length, count);
                    m.PanicIf(Cond.Gtu, start, room, RuntimeError.ArgumentOutOfRange);
                }
                return m.CallRuntime("Kml.StringOps", "Substring", 3, s, start, count);
            }
            case "IndexOf": return m.CallRuntime("Kml.StringOps", "IndexOf", 2, s, args[0][0]);
            case "StartsWith" or "EndsWith":
                m.PanicIf(Cond.Eq, args[0][0], Opnd.Const(0), RuntimeError.ArgumentNull);
                return m.CallRuntime("Kml.StringOps", method.Name, 2, s, args[0][0]);
            case "ToCharArray": return m.CallRuntime("Kml.StringOps", "ToCharArray", 1, s);
        }
        throw new NotSupportedException(CompilerMessages.Unsupported($"string.{method.Name}"));
    }

    private Opnd[] MathCall(MethodLowering m, IInvocationOperation inv)
    {
        var method = inv.TargetMethod;
        var args = m.ArgumentValues(inv);
        var t = method.Parameters[0].Type;
        var unsigned = MethodLowering.Unsigned(t);
        var wide = MethodLowering.IsWide(t);
        switch (method.Name)
        {
            case "Min" or "Max":
            {
                var cond = method.Name == "Min" ? Cond.Le : Cond.Ge;
                if (unsigned) cond = MethodLowering.ToUnsigned(cond);
                var a = args[0];
                var b = args[1];
                if (!wide) return [m.Select(cond, m.InReg(a[0]), b[0], a[0], b[0])];
                var flag = m.SetCond64(cond, a, b);
                return [m.Select(Cond.Ne, flag, Opnd.Const(0), a[0], b[0]), m.Select(Cond.Ne, flag, Opnd.Const(0), a[1], b[1])];
            }
            case "Abs":
            {
                var a = args[0];
                if (!wide)
                {
                    var min = t.SpecialType switch { SpecialType.System_SByte => sbyte.MinValue, SpecialType.System_Int16 => short.MinValue, _ => int.MinValue };
                    m.PanicIf(Cond.Eq, a[0], Opnd.Const(min), RuntimeError.Overflow);
                    var negated = m.Unary(Op.Neg, a[0]);
                    return [m.Select(Cond.Lt, m.InReg(a[0]), Opnd.Const(0), negated, a[0])];
                }
                var isMin = m.Binary(Op.Or, m.Binary(Op.Xor, a[1], Opnd.Const(int.MinValue)), a[0]);
                m.PanicIf(Cond.Eq, isMin, Opnd.Const(0), RuntimeError.Overflow);
                var neg = m.Pair(Op.NegPair, a, []);
                var hi = m.InReg(a[1]);
                return [m.Select(Cond.Lt, hi, Opnd.Const(0), neg[0], a[0]), m.Select(Cond.Lt, hi, Opnd.Const(0), neg[1], a[1])];
            }
        }
        throw new NotSupportedException(CompilerMessages.Unsupported($"Math.{method.Name}"));
    }

    private Opnd[] Parse(MethodLowering m, IInvocationOperation inv)
    {
        var text = m.ArgumentValues(inv)[0];
        // NumberText.ParseInt32 returns ParsedInt32 { Value, Status }; a failure is the exception CoreCLR throws.
        var parsed = m.CallRuntime("Kml.NumberText", "ParseInt32", 1, text);
        var status = m.InReg(parsed[1]);
        m.PanicIf(Cond.Eq, status, Opnd.Const(1), RuntimeError.ArgumentNull);
        m.PanicIf(Cond.Eq, status, Opnd.Const(2), RuntimeError.Format);
        m.PanicIf(Cond.Eq, status, Opnd.Const(3), RuntimeError.Overflow);
        return [parsed[0]];
    }

    public Opnd[]? Property(MethodLowering m, IPropertyReferenceOperation p)
    {
        var property = p.Property;
        var type = property.ContainingType;
        if (type.SpecialType == SpecialType.System_String || type.SpecialType == SpecialType.System_Array)
        {
            var target = m.InReg(m.Eval1(p.Instance!));
            switch (property.Name)
            {
                case "Length": return [m.LoadLength(target)];
                case "this[]" or "Chars":
                {
                    var index = m.InReg(m.Eval1(p.Arguments[0].Value));
                    var shape = m.Types.ShapeOf(property.Type);
                    return new ElementPlace(target, index, 2, 0, shape, nullCheck: true).Load(m);
                }
            }
            throw new NotSupportedException(CompilerMessages.Unsupported($"{type}.{property.Name}"));
        }
        if (type.SpecialType == SpecialType.System_Object || type.ContainingNamespace?.ToDisplayString() == "System")
            throw new NotSupportedException(CompilerMessages.Unsupported($"the library property {property.ToDisplayString()}"));
        return null;
    }

    public Opnd[]? New(MethodLowering m, IObjectCreationOperation o)
    {
        if (o.Type?.SpecialType != SpecialType.System_String) return null;
        var chars = m.Eval1(o.Arguments[0].Value);
        return m.CallRuntime("Kml.StringOps", "FromChars", 1, chars);
    }
}
