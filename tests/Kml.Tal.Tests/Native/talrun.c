// talrun: runs a TAL binary the checker accepted natively, in a 32-bit Linux process, as a test harness
// (not the kernel, and not trusted). It maps the PT_LOAD segments at their addresses, fills the import
// table with C implementations of the typed kernel interface (cdecl, as docs/tal.md specifies), gives the
// program a stack with a 64 KiB guard below it, and jumps to the entry point.
//
// A fault is classified, as a crude run-time oracle for the mutation fuzzer: a fault in the null page or
// in the stack guard, or a division trap, is an allowed trap; any other fault or an illegal instruction
// means a checked program escaped its types (exit 200 / 201).
//
// It is a sandbox too, because it also runs fuzzer mutants: open() is read-only (no create, truncate or
// write access), write() goes only to stdout and stderr, unlink/mkdir/rmdir are refused (-EPERM), and sockets
// are not implemented.
//
// With TALRUN_TRACE=1 the program runs under ptrace, single-stepped: every instruction executed inside
// .text must start at an offset the checker's linear decode verified (the `starts` bitmap), so a control
// transfer to anything else is caught even when it does not fault (exit 202).
//
// usage: talrun MANIFEST [ARG...]   (the manifest is written by the tests from the checked object; see
//   NativeRunner.cs; the ARGs are the program's arguments, what argc counts and arg copies)
//   file PATH | seg VADDR OFFSET SIZE FLAGS | import SLOT NAME SIZE | entry ADDR | starts PATH TEXT LENGTH
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STACK_SIZE (16u << 20)
#define GUARD_SIZE (64u << 10)
#define HEAP_SIZE (256u << 20)

static uint8_t *heap, *heap_end;
static uint8_t *starts;                   // bit i: an instruction of the linear decode starts at .text + i
static uint32_t text_start, text_length;
static uintptr_t stack_low, stack_high; // the guard is [stack_low - GUARD_SIZE, stack_low)

static void die(const char *what) { fprintf(stderr, "talrun: %s: %s\n", what, strerror(errno)); _exit(2); }

static int bad_range(const uint32_t *arr, int offset, int count) {
    return arr == NULL || offset < 0 || count < 0 || (uint64_t)(uint32_t)offset + (uint32_t)count > arr[0];
}

static void k_exit(int status) { _exit(status & 0xff); }
static void k_panic(int kind, int location) { fprintf(stderr, "talrun: panic %d at %d\n", kind, location); _exit(134); }
static int k_read(int fd, uint32_t *buf, int offset, int count) {
    if (bad_range(buf, offset, count)) return -EFAULT;
    int r = read(fd, (uint8_t *)(buf + 1) + offset, count); return r < 0 ? -errno : r;
}
static int k_write(int fd, uint32_t *buf, int offset, int count) {
    if (bad_range(buf, offset, count)) return -EFAULT;
    if (fd != 1 && fd != 2) return -EPERM; // sandbox
    int r = write(fd, (uint8_t *)(buf + 1) + offset, count); return r < 0 ? -errno : r;
}
static char *c_string(const uint32_t *arr) {
    static char path[4096];
    if (arr == NULL || arr[0] >= sizeof path) return NULL;
    memcpy(path, arr + 1, arr[0]); path[arr[0]] = 0; return path;
}
static int k_open(uint32_t *path, int flags, int mode) {
    char *p = c_string(path); if (!p) return -EFAULT;
    if ((flags & (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND)) != O_RDONLY) return -EPERM; // sandbox
    int r = open(p, flags, mode); return r < 0 ? -errno : r;
}
static int k_close(int fd) { if (fd <= 2) return -EPERM; return close(fd) < 0 ? -errno : 0; }
static int k_lseek(int fd, int offset, int whence) { off_t r = lseek(fd, offset, whence); return r < 0 ? -errno : (int)r; }
static int k_getdents(int fd, uint32_t *buf, int offset, int count) {
    if (bad_range(buf, offset, count)) return -EFAULT;
    long r = syscall(SYS_getdents64, fd, (uint8_t *)(buf + 1) + offset, count); return r < 0 ? -errno : (int)r;
}
static void fill_stat(int32_t *st, const struct stat *s) {
    st[0] = s->st_dev; st[1] = s->st_ino; st[2] = s->st_mode; st[3] = s->st_nlink; st[4] = s->st_uid; st[5] = s->st_gid;
    st[6] = s->st_rdev; int64_t size = s->st_size; memcpy(st + 7, &size, 8); st[9] = s->st_blksize; st[10] = s->st_blocks;
    st[11] = s->st_atime; st[12] = s->st_mtime; st[13] = s->st_ctime;
}
static int k_stat(uint32_t *path, int32_t *st) {
    struct stat s; char *p = c_string(path); if (!p) return -EFAULT;
    if (stat(p, &s) < 0) return -errno;
    fill_stat(st, &s);
    return 0;
}
static int k_fstat(int fd, int32_t *st) { struct stat s; if (fstat(fd, &s) < 0) return -errno; fill_stat(st, &s); return 0; }
static int k_unsupported(void) { return -ENOSYS; } // sockets: not in this harness (no network side effects)
static int k_getpid(void) { return getpid(); }
static int prog_argc;
static char **prog_argv;
static int k_argc(void) { return prog_argc; }
static int k_arg(int i, uint32_t *buf, int offset, int count) {
    if (i < 0 || i >= prog_argc) return -EINVAL;
    if (bad_range(buf, offset, count)) return -EFAULT;
    size_t length = strlen(prog_argv[i]);
    memcpy((uint8_t *)(buf + 1) + offset, prog_argv[i], (size_t)count < length ? (size_t)count : length);
    return (int)length;
}
static int k_llseek(int fd, int low, int high, int whence, int64_t *result) {
    off64_t r = lseek64(fd, (off64_t)(((uint64_t)(uint32_t)high << 32) | (uint32_t)low), whence);
    if (r < 0) return -errno;
    *result = r; return 0;
}
static int k_ftruncate(int fd, int low, int high) {
    if (fd <= 2) return -EPERM; // sandbox: other descriptors are open read-only, so ftruncate fails on them anyway
    return ftruncate64(fd, (off64_t)(((uint64_t)(uint32_t)high << 32) | (uint32_t)low)) < 0 ? -errno : 0;
}
static int k_lstat(uint32_t *path, int32_t *st) {
    struct stat s; char *p = c_string(path); if (!p) return -EFAULT;
    if (lstat(p, &s) < 0) return -errno;
    fill_stat(st, &s);
    return 0;
}
static int k_denied(void) { return -EPERM; } // sandbox: unlink, mkdir and rmdir change no file here
static int k_clock_gettime(int clock, int32_t *ts) {
    struct timespec t; if (clock_gettime(clock, &t) < 0) return -errno; ts[0] = t.tv_sec; ts[1] = t.tv_nsec; return 0;
}

static uint32_t slot_size[16];
static void *bump(uint64_t bytes) {
    bytes = (bytes + 3) & ~3ull;
    if (bytes > (uint64_t)(heap_end - heap)) k_panic(5, 0);
    void *p = heap; heap += bytes; return p; // the heap is fresh anonymous memory: already zero
}
static void *alloc_object(int k) { return bump(slot_size[k]); }
static void *alloc_array(int k, int count) {
    if (count < 0 || 4 + (uint64_t)count * slot_size[k] > (1u << 30)) k_panic(5, 0);
    uint32_t *a = bump(4 + (uint64_t)count * slot_size[k]); a[0] = count; return a;
}
#define ALLOC(k) static void *alloc_##k(void) { return alloc_object(k); } \
                 static void *alloc_array_##k(int count) { return alloc_array(k, count); }
ALLOC(0) ALLOC(1) ALLOC(2) ALLOC(3) ALLOC(4) ALLOC(5) ALLOC(6) ALLOC(7)
ALLOC(8) ALLOC(9) ALLOC(10) ALLOC(11) ALLOC(12) ALLOC(13) ALLOC(14) ALLOC(15)
static void *allocs[16] = { alloc_0, alloc_1, alloc_2, alloc_3, alloc_4, alloc_5, alloc_6, alloc_7,
    alloc_8, alloc_9, alloc_10, alloc_11, alloc_12, alloc_13, alloc_14, alloc_15 };
static void *alloc_arrays[16] = { alloc_array_0, alloc_array_1, alloc_array_2, alloc_array_3, alloc_array_4,
    alloc_array_5, alloc_array_6, alloc_array_7, alloc_array_8, alloc_array_9, alloc_array_10, alloc_array_11,
    alloc_array_12, alloc_array_13, alloc_array_14, alloc_array_15 };

static void *entry_for(const char *name, int k, uint32_t size) {
    if (!strcmp(name, "alloc") || !strcmp(name, "alloc_array")) {
        if (k >= 16) { fprintf(stderr, "talrun: too many allocator slots\n"); _exit(2); }
        slot_size[k] = size;
        return name[5] ? alloc_arrays[k] : allocs[k];
    }
    static const struct { const char *name; void *fn; } table[] = {
        {"exit", k_exit}, {"panic", k_panic}, {"read", k_read}, {"write", k_write}, {"open", k_open},
        {"close", k_close}, {"lseek", k_lseek}, {"getdents", k_getdents}, {"stat", k_stat}, {"fstat", k_fstat},
        {"socket", k_unsupported}, {"bind", k_unsupported}, {"listen", k_unsupported}, {"accept", k_unsupported},
        {"connect", k_unsupported}, {"getpid", k_getpid}, {"clock_gettime", k_clock_gettime},
        {"argc", k_argc}, {"arg", k_arg}, {"llseek", k_llseek}, {"ftruncate", k_ftruncate}, {"lstat", k_lstat},
        {"unlink", k_denied}, {"mkdir", k_denied}, {"rmdir", k_denied},
        {"send", k_unsupported}, {"recv", k_unsupported}, {"shutdown", k_unsupported}, {"setsockopt", k_unsupported},
        {"getsockname", k_unsupported},
    };
    for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++) if (!strcmp(table[i].name, name)) return table[i].fn;
    fprintf(stderr, "talrun: unknown import %s\n", name); _exit(2);
}

static void on_fault(int sig, siginfo_t *info, void *context) {
    (void)context;
    uintptr_t a = (uintptr_t)info->si_addr;
    char line[160];
    int code;
    if (sig == SIGFPE) { code = 136; snprintf(line, sizeof line, "talrun: trap: division (#DE)\n"); }
    else if (sig == SIGALRM) { code = 124; snprintf(line, sizeof line, "talrun: timeout\n"); }
    else if (sig == SIGILL) { code = 201; snprintf(line, sizeof line, "talrun: VIOLATION: illegal instruction at 0x%lx\n", (unsigned long)a); }
    else if (a < 0x1000) { code = 139; snprintf(line, sizeof line, "talrun: trap: null page 0x%lx\n", (unsigned long)a); }
    else if (a >= stack_low - GUARD_SIZE && a < stack_low) { code = 139; snprintf(line, sizeof line, "talrun: trap: stack guard 0x%lx\n", (unsigned long)a); }
    else { code = 200; snprintf(line, sizeof line, "talrun: VIOLATION: fault at 0x%lx (signal %d)\n", (unsigned long)a, sig); }
    write(2, line, strlen(line));
    _exit(code);
}

// The parent in trace mode: single-steps the child and checks every instruction it executes in .text.
static int tracer(pid_t child, unsigned seconds) {
    int status;
    if (waitpid(child, &status, 0) < 0 || !WIFSTOPPED(status)) die("trace start");
    long long steps = 0, limit = (long long)seconds * 2000000;
    int deliver = 0;
    for (;;) {
        if (ptrace(PTRACE_SINGLESTEP, child, 0, deliver) < 0) die("single-step");
        if (waitpid(child, &status, 0) < 0) die("waitpid");
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        deliver = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status); // pass faults on to the child's handler
        struct user_regs_struct regs;
        if (ptrace(PTRACE_GETREGS, child, 0, &regs) < 0) die("getregs");
        uint32_t eip = (uint32_t)regs.eip;
        if (eip - text_start < text_length && !(starts[(eip - text_start) / 8] & (1 << ((eip - text_start) % 8)))) {
            fprintf(stderr, "talrun: VIOLATION: control reached 0x%x, not a verified instruction start\n", eip);
            kill(child, SIGKILL);
            return 202;
        }
        if (++steps > limit) { fprintf(stderr, "talrun: timeout\n"); kill(child, SIGKILL); return 124; }
    }
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: talrun MANIFEST [ARG...]\n"); return 2; }
    prog_argc = argc - 2; prog_argv = argv + 2;
    FILE *m = fopen(argv[1], "r"); if (!m) die("manifest");
    char path[4096] = "", kw[32], name[64], flags[8];
    uint32_t vaddr, off, size, entry = 0, slot;
    int nimports = 0;
    FILE *f = NULL;
    struct { uint32_t vaddr, size; int prot; } segs[8]; int nsegs = 0;
    while (fscanf(m, "%31s", kw) == 1) {
        if (!strcmp(kw, "file")) { if (fscanf(m, "%4095s", path) != 1) die("manifest file"); f = fopen(path, "rb"); if (!f) die(path); }
        else if (!strcmp(kw, "seg")) {
            if (fscanf(m, "%x %x %x %7s", &vaddr, &off, &size, flags) != 4 || !f || nsegs == 8) die("manifest seg");
            uint32_t start = vaddr & ~0xfffu, len = (vaddr + size - start + 0xfff) & ~0xfffu;
            if (mmap((void *)start, len, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED) die("mmap segment");
            if (fseek(f, off, SEEK_SET) || fread((void *)vaddr, 1, size, f) != size) die("read segment");
            int prot = (strchr(flags, 'r') ? PROT_READ : 0) | (strchr(flags, 'w') ? PROT_WRITE : 0) | (strchr(flags, 'x') ? PROT_EXEC : 0);
            segs[nsegs].vaddr = start; segs[nsegs].size = len; segs[nsegs].prot = prot; nsegs++;
        }
        else if (!strcmp(kw, "import")) {
            if (fscanf(m, "%x %63s %u", &slot, name, &size) != 3) die("manifest import");
            *(void **)(uintptr_t)slot = entry_for(name, nimports++, size);
        }
        else if (!strcmp(kw, "entry")) { if (fscanf(m, "%x", &entry) != 1) die("manifest entry"); }
        else if (!strcmp(kw, "starts")) {
            char bits[4096];
            if (fscanf(m, "%4095s %x %x", bits, &text_start, &text_length) != 3) die("manifest starts");
            FILE *b = fopen(bits, "rb"); if (!b) die(bits);
            starts = malloc(text_length / 8 + 1);
            if (!starts || fread(starts, 1, text_length / 8 + 1, b) != text_length / 8 + 1) die("read starts");
            fclose(b);
        }
        else { fprintf(stderr, "talrun: bad manifest keyword %s\n", kw); return 2; }
    }
    for (int i = 0; i < nsegs; i++) if (mprotect((void *)(uintptr_t)segs[i].vaddr, segs[i].size, segs[i].prot)) die("mprotect");

    heap = mmap(NULL, HEAP_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (heap == MAP_FAILED) die("heap");
    heap_end = heap + HEAP_SIZE;
    uint8_t *stack = mmap(NULL, STACK_SIZE + GUARD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (stack == MAP_FAILED) die("stack");
    if (mprotect(stack, GUARD_SIZE, PROT_NONE)) die("guard");
    stack_low = (uintptr_t)stack + GUARD_SIZE; stack_high = (uintptr_t)stack + GUARD_SIZE + STACK_SIZE;

    static uint8_t altstack[65536];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    if (sigaltstack(&ss, NULL)) die("sigaltstack");
    struct sigaction sa; memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault; sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGALRM, SIGTRAP };
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
    const char *limit = getenv("TALRUN_TIMEOUT");
    unsigned seconds = limit ? (unsigned)atoi(limit) : 5;
    fflush(stdout);
    const char *trace = getenv("TALRUN_TRACE");
    if (trace && !strcmp(trace, "1") && starts) {
        pid_t child = fork();
        if (child < 0) die("fork");
        if (child > 0) return tracer(child, seconds);
        if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) die("ptrace");
        raise(SIGSTOP);
    }
    alarm(seconds);
    // Start with nothing typed, as the kernel does: esp at the top of a fresh stack, then jump to the entry.
    __asm__ volatile("mov %0, %%esp\n\tjmp *%1" : : "r"(stack_high - 16), "r"(entry) : "memory");
    return 0;
}
