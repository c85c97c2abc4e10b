/* Native i386 harness for differential instruction tests (compiled by the tests with gcc -m32 -static).
 * The C# side (NativeHarness.cs) appends the generated cases to this file: for each case an init function and
 * the snippet between case_N_start and case_N_end (followed by "jmp snippet_exit"). For every case this program
 * prints the snippet's address and length, the final registers and EFLAGS (or the signal and the registers at
 * the fault), and the data and stack windows, one line per case. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/mman.h>
/* One extra page at a fixed address with an unmapped page after it, for faults part-way through an access. */
#define EDGE_PAGE 0x20000000u

#define MEM_SIZE 4096
#define STK_SIZE 8192
unsigned char mem[MEM_SIZE] __attribute__((aligned(4096)));
unsigned char stk[STK_SIZE] __attribute__((aligned(4096)));
#define STK_TOP ((uint32_t)(stk + 4096))
#define STK_WINDOW 128

struct state { uint32_t r[8]; uint32_t eflags; };
struct state in_state, out_state;
uint32_t saved_esp;
void *snippet_target;

static sigjmp_buf env;
static volatile int fault_sig;
static volatile uint32_t fault_eip;
static struct state fault_state;
static unsigned char altstack[65536];

void run_case(void);
__asm__(
    ".text\n"
    ".globl run_case\n"
    "run_case:\n"
    "  pushal\n"
    "  pushfl\n"
    "  movl %esp, saved_esp\n"
    "  pushl in_state+32\n"
    "  popfl\n"
    "  movl in_state+4, %ecx\n"
    "  movl in_state+8, %edx\n"
    "  movl in_state+12, %ebx\n"
    "  movl in_state+20, %ebp\n"
    "  movl in_state+24, %esi\n"
    "  movl in_state+28, %edi\n"
    "  movl in_state+16, %esp\n"
    "  movl in_state+0, %eax\n"
    "  jmp *snippet_target\n"
    ".globl snippet_exit\n"
    "snippet_exit:\n"
    "  movl %eax, out_state+0\n"
    "  movl %ecx, out_state+4\n"
    "  movl %edx, out_state+8\n"
    "  movl %ebx, out_state+12\n"
    "  movl %esp, out_state+16\n"
    "  movl %ebp, out_state+20\n"
    "  movl %esi, out_state+24\n"
    "  movl %edi, out_state+28\n"
    "  movl saved_esp, %esp\n"
    "  pushfl\n"
    "  popl out_state+32\n"
    "  popfl\n"
    "  popal\n"
    "  ret\n");

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
    (void)si;
    ucontext_t *uc = (ucontext_t *)ctx;
    greg_t *g = uc->uc_mcontext.gregs;
    fault_sig = sig;
    fault_eip = (uint32_t)g[REG_EIP];
    fault_state.r[0] = (uint32_t)g[REG_EAX];
    fault_state.r[1] = (uint32_t)g[REG_ECX];
    fault_state.r[2] = (uint32_t)g[REG_EDX];
    fault_state.r[3] = (uint32_t)g[REG_EBX];
    fault_state.r[4] = (uint32_t)g[REG_UESP];
    fault_state.r[5] = (uint32_t)g[REG_EBP];
    fault_state.r[6] = (uint32_t)g[REG_ESI];
    fault_state.r[7] = (uint32_t)g[REG_EDI];
    fault_state.eflags = (uint32_t)g[REG_EFL];
    siglongjmp(env, 1);
}

static void hex(const unsigned char *p, int n)
{
    for (int i = 0; i < n; i++) printf("%02x", p[i]);
}

static void reset(void)
{
    memset((void *)EDGE_PAGE, 0, 4096);
    for (int i = 0; i < MEM_SIZE; i++) mem[i] = (unsigned char)(i * 37 + 11);
    memset(stk, 0, STK_SIZE);
    memset(&in_state, 0, sizeof in_state);
    in_state.r[4] = STK_TOP;
    in_state.eflags = 0x202;
}

struct test_case { void (*init)(void); unsigned char *start, *end; };
extern struct test_case cases[];
extern int case_count;

int main(void)
{
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    sigaltstack(&ss, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGFPE, &sa, 0);
    sigaction(SIGSEGV, &sa, 0);
    sigaction(SIGILL, &sa, 0);
    sigaction(SIGTRAP, &sa, 0);
    sigaction(SIGBUS, &sa, 0);
    sigaction(SIGALRM, &sa, 0); /* a case that loops forever reports signal 14 */
    if (mmap((void *)EDGE_PAGE, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (void *)EDGE_PAGE) return 3;
    printf("MEM %08x STK %08x STKTOP %08x\n", (uint32_t)mem, (uint32_t)stk, STK_TOP);
    for (int i = 0; i < case_count; i++)
    {
        reset();
        cases[i].init();
        snippet_target = cases[i].start;
        fault_sig = 0;
        __asm__ volatile("fninit");
        struct state *st = &out_state;
        alarm(2);
        if (sigsetjmp(env, 1) == 0) run_case();
        else
        {
            st = &fault_state;
            /* a case may leave TF or AC set: clear them before going on */
            __asm__ volatile("pushfl; andl $0xfffbfeff, (%%esp); popfl" ::: "memory", "cc");
        }
        alarm(0);
        printf("C %d start=%08x len=%d sig=%d feip=%08x", i, (uint32_t)cases[i].start, (int)(cases[i].end - cases[i].start), fault_sig, fault_sig ? fault_eip : 0);
        for (int r = 0; r < 8; r++) printf(" r%d=%08x", r, st->r[r]);
        printf(" efl=%08x code=", st->eflags);
        hex(cases[i].start, (int)(cases[i].end - cases[i].start));
        printf(" mem=");
        hex(mem, 256);
        printf(" stk=");
        hex(stk + 4096 - STK_WINDOW / 2, STK_WINDOW);
        printf("\n");
    }
    return 0;
}
