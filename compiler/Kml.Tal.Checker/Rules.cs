namespace Kml.Tal.Checker;

/// <summary>
/// Every rule the checker enforces, in one place (docs/tal.md lists them with their reasons). The text
/// is what users see, so it is kept short and stable; the corpus tests match it exactly.
/// </summary>
internal static class Rules
{
    // Object file and annotations (TAL1xxx).
    public const string MalformedObject = "TAL1001 malformed object";
    public const string BadAnnotation = "TAL1002 malformed annotation";
    public const string LabelOutsideText = "TAL1003 label outside .text";
    public const string LabelNotInstructionStart = "TAL1004 label is not an instruction start";
    public const string ReservedName = "TAL1005 name claims a kernel entry point";
    public const string DuplicateName = "TAL1006 duplicate name";
    public const string BadData = "TAL1007 ill-typed static data";
    public const string BadImport = "TAL1008 bad import";
    public const string BadEntry = "TAL1009 bad entry point";
    public const string UnboundVariable = "TAL1010 type variable not bound by the annotation";
    public const string BadRefinement = "TAL1011 refinement names no array register";
    public const string FreeVariable = "TAL1012 type variable is not in scope";

    // Decoding and the instruction allow-list (TAL2xxx).
    public const string Undecodable = "TAL2001 invalid instruction";
    public const string Truncated = "TAL2002 truncated instruction at the end of .text";
    public const string Forbidden = "TAL2003 instruction not allowed";
    public const string ForbiddenPrefix = "TAL2004 prefix not allowed";
    public const string BadOperand = "TAL2005 operand not allowed";
    public const string BadLock = "TAL2006 lock prefix not allowed here";

    // Values (TAL3xxx).
    public const string Uninitialised = "TAL3001 use of an uninitialised value";
    public const string NotInteger = "TAL3002 integer operation on a non-integer";
    public const string PartialWrite = "TAL3003 partial write of a non-integer register";
    public const string CmovJoin = "TAL3004 conditional move of incompatible types";
    public const string EspUse = "TAL3005 esp used other than as the stack pointer";

    // Memory (TAL4xxx).
    public const string NotPointer = "TAL4001 address from a non-pointer";
    public const string NoField = "TAL4002 no field at this offset";
    public const string MisalignedField = "TAL4003 access does not match the field";
    public const string ReadOnly = "TAL4004 write to read-only memory";
    public const string StoreType = "TAL4005 stored value does not match the field";
    public const string NullablePointer = "TAL4006 possibly-null pointer with a large offset";
    public const string Unproven = "TAL4007 array index not proven in bounds";
    public const string ElementRange = "TAL4008 access outside the element";
    public const string NotStatic = "TAL4009 absolute address outside typed data";
    public const string StackOutside = "TAL4010 stack access outside the frame";
    public const string StackMisaligned = "TAL4011 stack access does not match a slot";
    public const string StackUninit = "TAL4012 read of an uninitialised stack slot";

    // Stack pointer (TAL5xxx).
    public const string StackUnderflow = "TAL5001 stack underflow into the caller's frame";
    public const string StackAdjust = "TAL5002 stack adjustment not a multiple of 4";
    public const string StackProbe = "TAL5003 stack grows past the guard page";
    public const string FrameTooLarge = "TAL5004 frame too large";

    // Control flow (TAL6xxx).
    public const string TargetNotLabel = "TAL6001 jump target is not an annotated label";
    public const string CallTargetNotFunction = "TAL6002 call target does not take a return address";
    public const string TransferMismatch = "TAL6003 state does not match the target";
    public const string NotReturnAddress = "TAL6004 ret without a return address on top of the stack";
    public const string ReturnMismatch = "TAL6005 state does not match the return type";
    public const string RetImmediate = "TAL6006 bad ret immediate";
    public const string IndirectTransfer = "TAL6007 indirect jump or call";
    public const string BadImportCall = "TAL6008 call through memory that is not an import slot";
    public const string ImportArgument = "TAL6009 import argument has the wrong type";
    public const string FallOffEnd = "TAL6010 execution falls off the end of .text";
}
