using System.Text;

namespace Kml.Benchmarks.Tal;

/// <summary>
/// Generates large, well-typed TAL programs for the checker benchmarks and the fuzzer: many functions,
/// each a bounds-checked loop over an int array with struct field accesses, a call, callee-saved
/// registers and arithmetic filler, so every kind of rule the checker has runs at a realistic mix.
/// </summary>
public static class TalProgramGenerator
{
    /// <summary>Instructions in one generated function (the generator emits whole functions).</summary>
    public const int InstructionsPerFunction = 40;

    /// <summary>TAL source with about <paramref name="instructions"/> instructions.</summary>
    public static string Generate(int instructions)
    {
        var functions = Math.Max(1, instructions / InstructionsPerFunction);
        var sb = new StringBuilder();
        sb.AppendLine(".import exit");
        sb.AppendLine(".import ints = alloc_array i32");
        sb.AppendLine(".import new_pair = alloc Pair");
        sb.AppendLine(".struct Pair { a: mut i32, b: mut i32, next: mut ptr? Pair }");
        sb.AppendLine(".code fret = {eax: int, saved, esp: [ptr i32[], ...]}");
        sb.AppendLine(".text");
        sb.AppendLine("_start: {esp: [...]}");
        sb.AppendLine("    push 16");
        sb.AppendLine("    call [ints]");
        sb.AppendLine("    add esp, 4");
        sb.AppendLine("    push eax");
        sb.AppendLine("    call f0");
        sb.AppendLine("    add esp, 4");
        sb.AppendLine("    push eax");
        sb.AppendLine("    call [exit]");
        for (var f = 0; f < functions; f++)
        {
            var next = f + 1 < functions ? $"f{f + 1}" : null;
            sb.AppendLine($"f{f}: {{saved, esp: [ret fret, ptr i32[], ...]}}");
            sb.AppendLine("    push esi");
            sb.AppendLine("    push ebx");
            sb.AppendLine("    mov esi, [esp+12]");
            sb.AppendLine("    call [new_pair]");
            sb.AppendLine("    mov ebx, eax");
            sb.AppendLine("    xor ecx, ecx");
            sb.AppendLine("    xor eax, eax");
            sb.AppendLine($"l{f}: {{eax: int, ecx: int, esi: ptr i32[], ebx: ptr Pair, edi: 'edi, ebp: 'ebp, esp: ['ebx, 'esi, ret fret, ptr i32[], ...]}}");
            sb.AppendLine("    mov edx, [esi]");
            sb.AppendLine("    cmp ecx, edx");
            sb.AppendLine($"    jae d{f}");
            sb.AppendLine("    add eax, [esi+ecx*4+4]");
            sb.AppendLine("    mov [esi+ecx*4+4], eax");
            sb.AppendLine("    mov edx, [ebx]");
            sb.AppendLine("    add edx, eax");
            sb.AppendLine("    mov [ebx+4], edx");
            sb.AppendLine("    lea edx, [eax+ecx*2+7]");
            sb.AppendLine("    xor edx, 0x55");
            sb.AppendLine("    shl edx, 3");
            sb.AppendLine("    sub eax, edx");
            sb.AppendLine("    imul edx, ecx, 12");
            sb.AppendLine("    and eax, 0xffff");
            sb.AppendLine("    mov edx, [ebx+8]");
            sb.AppendLine("    test edx, edx");
            sb.AppendLine($"    je s{f}");
            sb.AppendLine("    mov edx, [edx]");
            sb.AppendLine("    add eax, edx");
            sb.AppendLine($"s{f}: {{eax: int, ecx: index(esi), esi: ptr i32[], ebx: ptr Pair, edi: 'edi, ebp: 'ebp, esp: ['ebx, 'esi, ret fret, ptr i32[], ...]}}");
            sb.AppendLine("    inc ecx");
            sb.AppendLine($"    jmp l{f}");
            sb.AppendLine($"d{f}: {{eax: int, esi: ptr i32[], ebx: ptr Pair, edi: 'edi, ebp: 'ebp, esp: ['ebx, 'esi, ret fret, ptr i32[], ...]}}");
            if (next is not null)
            {
                sb.AppendLine("    push eax");
                sb.AppendLine("    push esi");
                sb.AppendLine($"    call {next}");
                sb.AppendLine("    add esp, 4");
                sb.AppendLine("    pop ecx");
                sb.AppendLine("    add eax, ecx");
            }
            sb.AppendLine("    pop ebx");
            sb.AppendLine("    pop esi");
            sb.AppendLine("    ret");
        }
        return sb.ToString();
    }
}
