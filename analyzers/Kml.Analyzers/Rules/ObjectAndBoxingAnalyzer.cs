using Kml.Analyzers.Diagnostics;
using Kml.Analyzers.Subset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Kml.Analyzers.Rules;

/// <summary>
/// KML0019: the type object where named, and string concatenation (+, +=) with a value whose type is in the subset
/// but has no KML string conversion: enums, structs, classes, arrays. Strings, the integer types, char and bool
/// concatenate; values of types outside the subset are reported where those types come from.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ObjectAndBoxingAnalyzer : KmlAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public ObjectAndBoxingAnalyzer()
        : base(DiagnosticDescriptors.ObjectAndBoxing)
    {
    }

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        TypeReferences.Register(context, Rule);
        context.RegisterOperationAction(AnalyzeBinary, OperationKind.Binary);
        context.RegisterOperationAction(AnalyzeCompound, OperationKind.CompoundAssignment);
    }

    private void AnalyzeBinary(OperationAnalysisContext context)
    {
        var binary = (IBinaryOperation)context.Operation;
        if (binary.OperatorKind == BinaryOperatorKind.Add && binary.OperatorMethod is null && binary.Type?.SpecialType == SpecialType.System_String)
        {
            CheckOperand(context, binary.LeftOperand);
            CheckOperand(context, binary.RightOperand);
        }
    }

    private void AnalyzeCompound(OperationAnalysisContext context)
    {
        var compound = (ICompoundAssignmentOperation)context.Operation;
        if (compound.OperatorKind == BinaryOperatorKind.Add && compound.OperatorMethod is null && compound.Target.Type?.SpecialType == SpecialType.System_String)
        {
            CheckOperand(context, compound.Value);
        }
    }

    private void CheckOperand(OperationAnalysisContext context, IOperation operand)
    {
        while (operand is IConversionOperation { IsImplicit: true } conversion)
        {
            operand = conversion.Operand;
        }
        var type = operand.Type;
        if (type is null or IErrorTypeSymbol || IsConcatenable(type) || TypeClassifier.Classify(type, context.Compilation) is not null)
        {
            return;
        }
        context.ReportDiagnostic(Create(operand.Syntax.GetLocation(), Constructs.ConcatenationWith(type)));
    }

    private static bool IsConcatenable(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_String or SpecialType.System_Char or SpecialType.System_Boolean
            or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64;
}
